"""Write the generated parts of the series: navigation cells, set-up cells, each title cell's time, collapsed
solutions and the README index.

    python tools/nbtool.py           # rewrite them in place
    python tools/nbtool.py --check   # exit 1, naming the files, if rewriting would change anything

Generated cells carry a tag (see tools/notebooks.py) and are replaced whole; never edit them by hand. The title
cell's ``**Time:**`` line is rewritten with the time tools/reading_time.py computes from the notebook's content.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebooks import ROOT, TIME_LINE, Notebook, Project, all_notebooks, dumps, generated_tag, project
from tools.reading_time import estimate

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
INDEX_START = "<!-- index:start (written by tools/nbtool.py) -->"
INDEX_END = "<!-- index:end -->"
SOLUTION_TAG = "solution"
# A solution cell opens collapsed, its code and its output hidden (the output often states the answer): the
# full edition is for self-study and for teachers, who open a solution after trying; the student edition
# (tools/student_edition.py) has none.
SOLUTION_HIDDEN = {"source_hidden": True, "outputs_hidden": True}


def nav_source(notebooks: list[Notebook], k: int, proj: Project) -> str:
    """previous · contents · next, and the Colab badge."""
    parts = []
    if k > 0:
        prev = notebooks[k - 1]
        parts.append(f"[← {prev.number:02d} · {prev.title}]({prev.path.name})")
    parts.append("[Contents](../README.md)")
    if k + 1 < len(notebooks):
        nxt = notebooks[k + 1]
        parts.append(f"[{nxt.number:02d} · {nxt.title} →]({nxt.path.name})")
    badge = f"[![Open in Colab]({COLAB_BADGE})]({proj.colab_url(notebooks[k])})"
    return " · ".join(parts) + "\n\n" + badge


def setup_source(proj: Project) -> str:
    """The first code cell: on Colab, pip-install this series' helpers; then ``helpers.setup()``.

    A regular install (not editable) imports without restarting the kernel; ``--no-deps`` leaves Colab's
    own torch, numpy, matplotlib, ipywidgets and tqdm exactly as they are (helpers needs nothing else).
    """
    return f'''import sys

if "google.colab" in sys.modules:  # on Colab, install this series' helpers first
    %pip install --quiet --no-deps "{proj.pip_url}"
import helpers

device, SEED = helpers.setup()'''


def new_cell(tag: str, source: str) -> nbformat.NotebookNode:
    meta = {"tags": [tag]}
    if tag == "generated-setup":
        return nbformat.v4.new_code_cell(source, metadata=meta)
    return nbformat.v4.new_markdown_cell(source, metadata=meta)


def put(cells: list, tag: str, source: str, index: int) -> None:
    """Replace the cell tagged ``tag`` (keeping its id and outputs) or insert one at ``index``."""
    for cell in cells:
        if generated_tag(cell) == tag:
            cell.source = source
            return
    cells.insert(index if index >= 0 else len(cells), new_cell(tag, source))


def put_time(notebook: Notebook, cell: nbformat.NotebookNode) -> None:
    """Rewrite the title cell's ``**Time:**`` line with the time computed from the notebook's content."""
    if not TIME_LINE.search(cell.source):
        raise ValueError(f"{notebook.relpath}: the title cell needs a line '**Time:** about N minutes' "
                         "(tools/nbtool.py rewrites its number)")
    cell.source = TIME_LINE.sub(lambda _: estimate(notebook).time_line, cell.source, count=1)


def render_notebook(notebooks: list[Notebook], k: int, proj: Project) -> str:
    nb = notebooks[k].node
    cells = nb.cells
    nav = nav_source(notebooks, k, proj)
    put(cells, "generated-nav-top", nav, 0)
    title_at = next(i for i, c in enumerate(cells) if c.cell_type == "markdown" and not generated_tag(c))
    put_time(notebooks[k], cells[title_at])
    put(cells, "generated-setup", setup_source(proj), title_at + 1)
    put(cells, "generated-nav-bottom", nav, -1)
    for cell in cells:
        if SOLUTION_TAG in cell.metadata.get("tags", []):
            cell.metadata.setdefault("jupyter", {}).update(SOLUTION_HIDDEN)
    return dumps(nb)


def index_table(notebooks: list[Notebook], proj: Project) -> str:
    rows = ["| # | Notebook | What you will learn | Time | Open |", "|---|---|---|---|---|"]
    for nb in notebooks:
        colab = f"[![Open in Colab]({COLAB_BADGE})]({proj.colab_url(nb)})"
        binder = f"[![Binder]({BINDER_BADGE})]({proj.binder_url(nb)})"
        rows.append(
            f"| {nb.number:02d} | [{nb.title}]({nb.relpath}) | {nb.pitch} | {estimate(nb).short} | {colab} {binder} |"
        )
    return "\n".join(rows)


def render_readme(text: str, notebooks: list[Notebook], proj: Project) -> str:
    pattern = re.compile(re.escape(INDEX_START) + r".*?" + re.escape(INDEX_END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"README.md must contain the markers {INDEX_START!r} and {INDEX_END!r}")
    block = f"{INDEX_START}\n{index_table(notebooks, proj)}\n{INDEX_END}"
    return pattern.sub(lambda _: block, text)


def rendered_files(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file's path and the text it should have."""
    notebooks = all_notebooks(root / "notebooks")
    proj = project(root)
    out = {nb.path: render_notebook(notebooks, k, proj) for k, nb in enumerate(notebooks)}
    readme = root / "README.md"
    out[readme] = render_readme(readme.read_text(), notebooks, proj)
    return out


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in rendered_files(root).items():
        if path.read_text() != text:
            stale.append(path.relative_to(root).as_posix())
            if not args.check:
                path.write_text(text)
    if args.check and stale:
        print("Stale generated content (run `make generate`):", *stale, sep="\n  ")
        return 1
    print(("Rewrote: " + ", ".join(stale)) if stale else "Generated content is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

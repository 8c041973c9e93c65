"""Write the student edition of the series into student/: every notebook without the exercises' solutions.

    python tools/student_edition.py           # (re)write student/
    python tools/student_edition.py --check   # change nothing; exit 1 naming stale or stray files

For each notebook ``notebooks/NN_topic.ipynb`` it writes ``student/NN_topic.ipynb``:

- solution cells (tagged ``solution``; in the full edition they open collapsed, code and output hidden) are
  removed;
- the code cells of the ``## Exercises`` section lose their outputs and execution counts, so that each
  stub is clearly the student's to fill in and run (its stored output would only say "not attempted");
- every other output stays: students see the same numbers and plots as the full edition;
- the sentence that points to the hidden solutions is replaced by a note that this edition has none;
- the navigation cells link to the student edition's own contents page (student/README.md) and their
  Colab badge opens the student copy; links to sibling notebooks and to ``../imgs`` work unchanged, since
  student/ sits beside notebooks/.

It also writes student/README.md, the edition's contents page. Run it after any change to a notebook
(``make generate`` does); the test suite fails while the student edition is stale.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.nbtool import BINDER_BADGE, COLAB_BADGE
from tools.notebooks import EXERCISES_HEADING, ROOT, Notebook, Project, all_notebooks, dumps, generated_tag, project
from tools.reading_time import estimate

STUDENT_DIR = "student"
# In the Exercises section, a sentence (no . ! ? inside) that says where the hidden solutions are, e.g.
# "Solutions are in the hidden cells (click the ellipsis to open one), but try first." ("hidden state" is not one.)
SENTENCE = re.compile(r"(?P<sentence>[^.!?\n]*\bhidden\b[^.!?\n]*[.!?])")
HIDDEN_SOLUTION = re.compile(
    r"(?i)\bsolutions?\b[^.!?\n]*\b(?:hidden (?:cells?|code)|(?:are|is) hidden)\b"
    r"|\bhidden (?:cells?|code|solutions?)\b[^.!?\n]*\bsolution"
    r"|\bhidden solutions?\b"
)
STUDENT_NOTE = "This student edition leaves the solutions out: your teacher has them."
EDITION_LABEL = "**Student edition**"


def is_solution(cell: nbformat.NotebookNode) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def exercises_start(cells: list) -> int:
    """Index of the markdown cell that opens the ``## Exercises`` section (len(cells) if none)."""
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and EXERCISES_HEADING.search(cell.source):
            return index
    return len(cells)


def without_solution_hint(source: str) -> str:
    """Replace the sentence that says where the hidden solutions are by :data:`STUDENT_NOTE`."""

    def replace(match: re.Match[str]) -> str:
        sentence = match["sentence"]
        if not HIDDEN_SOLUTION.search(sentence):
            return sentence
        lead = sentence[: len(sentence) - len(sentence.lstrip())]
        return lead + STUDENT_NOTE

    return SENTENCE.sub(replace, source)


def student_path(notebook: Notebook, root: Path) -> Path:
    return root / STUDENT_DIR / notebook.path.name


def student_nav(source: str, notebook: Notebook, root: Path, proj: Project) -> str:
    """The navigation cell, pointed at the student edition: its contents page and its Colab copy."""
    full_colab = proj.colab_url(notebook)
    for old in ("](../README.md)", full_colab):
        if source.count(old) != 1:
            raise ValueError(f"{notebook.relpath}: expected {old!r} once in the generated navigation cell")
    source = source.replace("](../README.md)", "](README.md)")
    source = source.replace(full_colab, proj.colab_url(Notebook(student_path(notebook, root))))
    return f"{EDITION_LABEL} · {source}"


def student_node(notebook: Notebook, root: Path, proj: Project) -> nbformat.NotebookNode:
    """The student edition of one notebook (the notebook on disk is not changed)."""
    node = copy.deepcopy(notebook.node)
    cells = [cell for cell in node.cells if not is_solution(cell)]
    start = exercises_start(cells)
    for index, cell in enumerate(cells):
        tag = generated_tag(cell)
        if tag in ("generated-nav-top", "generated-nav-bottom"):
            cell.source = student_nav(cell.source, notebook, root, proj)
        elif cell.cell_type == "markdown" and index >= start:
            cell.source = without_solution_hint(cell.source)
            if HIDDEN_SOLUTION.search(cell.source):
                raise ValueError(
                    f"{notebook.relpath}: cell {index} still points to hidden solutions after rewriting; "
                    f"say it in one sentence with 'hidden' and 'solution' so tools/student_edition.py can replace it"
                )
        elif cell.cell_type == "code" and index > start:
            cell.outputs = []
            cell.execution_count = None
    node.cells = cells
    node.metadata["lstm_tutorial"] = {"edition": "student", "source": notebook.relpath}
    return node


def contents_page(notebooks: list[Notebook], root: Path, proj: Project) -> str:
    """student/README.md: the student edition's table of contents."""
    rows = ["| # | Notebook | Time | Open |", "|---|---|---|---|"]
    for nb in notebooks:
        copy_ = Notebook(student_path(nb, root))
        colab = f"[![Open in Colab]({COLAB_BADGE})]({proj.colab_url(copy_)})"
        binder = f"[![Binder]({BINDER_BADGE})]({proj.binder_url(copy_)})"
        rows.append(f"| {nb.number:02d} | [{nb.title}]({nb.path.name}) | {estimate(nb).short} | {colab} {binder} |")
    table = "\n".join(rows)
    return f"""# LSTMs from first principles: student edition

<!-- Written by tools/student_edition.py from notebooks/; do not edit by hand: run `make generate`. -->

This edition is for a class: the notebooks of the series without the solutions to the exercises, which
your teacher keeps. Each exercise has a cell for your answer and a checker that prints ✓ when you are right
and a hint when you are not; the text, code, numbers and plots are the same as in
[the full edition](../README.md), which is for self-study and for teachers: it has each solution in a
collapsed cell, code and output hidden, to open after trying. Run each notebook from the top: the first code
cell sets everything up.

{table}

Teachers: see [docs/teachers.md](../docs/teachers.md).
"""


def rendered_files(root: Path = ROOT) -> dict[Path, str]:
    """Every file of the student edition and the text it should have."""
    notebooks = all_notebooks(root / "notebooks")
    proj = project(root)
    out = {student_path(nb, root): dumps(student_node(nb, root, proj)) for nb in notebooks}
    out[root / STUDENT_DIR / "README.md"] = contents_page(notebooks, root, proj)
    return out


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if student/ is stale")
    args = parser.parse_args(argv)
    wanted = rendered_files(root)
    folder = root / STUDENT_DIR
    stray = sorted(p for p in folder.glob("*") if p.is_file() and p not in wanted) if folder.is_dir() else []
    stale = [p for p, text in wanted.items() if not p.is_file() or p.read_text() != text]
    names = [p.relative_to(root).as_posix() for p in stale + stray]
    if args.check:
        if names:
            print("Stale student edition (run `make generate`):", *names, sep="\n  ")
            return 1
        print("The student edition is up to date.")
        return 0
    folder.mkdir(exist_ok=True)
    for path in stale:
        path.write_text(wanted[path])
    for path in stray:
        path.unlink()
    print(("Rewrote: " + ", ".join(names)) if names else "The student edition is up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

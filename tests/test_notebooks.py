"""Every committed notebook is a clean top-to-bottom run and follows the series' skeleton.

nbval (run by `make test`) re-executes the notebooks and compares their outputs; these tests catch
what nbval cannot see: a notebook committed without outputs, out of order, with errors or warnings,
with paths of the machine it ran on, or missing a part of the skeleton.
"""

import json
import re

import nbformat
import pytest

from tools.nbtool import setup_source
from tools.notebooks import (
    KERNELSPEC,
    ROOT,
    all_notebooks,
    as_saved_by_jupyterlab,
    generated_tag,
    language_info,
    project,
)

NOTEBOOKS = all_notebooks()
IDS = [nb.path.name for nb in NOTEBOOKS]
MACHINE_PATHS = re.compile(
    "|".join([re.escape(str(ROOT)), r"/tmp/", r"/root/", r"/home/\w", r"/Users/", "site-packages"])
)
NBVAL_MARKERS = ("NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_CHECK_OUTPUT", "NBVAL_RAISES_EXCEPTION")
# What a notebook opened fresh (untrusted, or on GitHub) must not show as an output's plain text: a widget's
# Python repr, or a progress bar stored before it finished ("  0%|          | 0/8 [00:00<?, ?it/s]").
WIDGET_REPR = re.compile(r"\b(?:VBox|HBox|FloatSlider|IntSlider|Dropdown|HTML|Image|Output)\(")
FROZEN_BAR = re.compile(r"\d+%\|.*\|\s*\d+/\d+ \[")
# Stored with a frozen bar today; their owners re-store them with `make outputs` (bars off since
# tools/progress_off.py) and drop the NBVAL_IGNORE_OUTPUT that only the bar needed.
STORED_WITH_FROZEN_BARS: set[str] = set()


def output_texts(cell):
    for output in cell.get("outputs", []):
        if "text" in output:
            yield output.get("name", ""), output["text"]
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                yield mime, value
        if output["output_type"] == "error":
            yield "error", output["ename"]


def code_cells(nb):
    return [c for c in nb.node.cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_every_code_cell_ran_once_in_order(nb):
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make outputs`: counts must be 1..N"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_no_errors_warnings_or_machine_paths_in_outputs(nb):
    for index, cell in enumerate(nb.node.cells):
        for kind, text in output_texts(cell):
            assert kind != "error", f"cell {index} stored an error: {text}"
            assert kind != "stderr", f"cell {index} wrote to stderr (a warning?): {text[:200]!r}"
            found = MACHINE_PATHS.search(text)
            assert found is None, f"cell {index} shows a path of the machine: {found.group(0)!r}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_metadata_names_no_machine_or_time(nb):
    assert nb.node.metadata["kernelspec"] == KERNELSPEC
    assert nb.node.metadata.get("language_info", {}) == language_info(), (
        "language_info must be what the kernel of the lock's Python reports: re-run with `make outputs`"
    )
    for cell in nb.node.cells:
        assert "execution" not in cell.metadata, "per-cell timing is stored: re-run with `make outputs`"


def fallback_text(output) -> str:
    """What a page that cannot run widgets shows of an output, when it shows text: its text/plain, or stream."""
    data = output.get("data", {})
    if "image/png" in data or "text/html" in data:
        return ""
    return data.get("text/plain", "") if "data" in output else output.get("text", "")


@pytest.mark.parametrize(
    "nb",
    [
        pytest.param(nb, marks=pytest.mark.xfail(strict=True, reason="a frozen bar is stored: owner re-stores it"))
        if nb.path.name in STORED_WITH_FROZEN_BARS
        else nb
        for nb in NOTEBOOKS
    ],
    ids=IDS,
)
def test_a_fresh_notebook_shows_no_widget_repr_and_no_frozen_bar(nb):
    shown = [(index, fallback_text(o)) for index, c in enumerate(nb.node.cells) for o in c.get("outputs", [])]
    reprs = [f"cell {index}: {text[:60]!r}" for index, text in shown if WIDGET_REPR.search(text)]
    bars = [f"cell {index}: {text[:60]!r}" for index, text in shown if FROZEN_BAR.search(text)]
    assert not reprs, f"widget reprs stored as what a page shows before it runs (helpers.widget_fallback): {reprs}"
    assert not bars, f"progress bars stored frozen (store outputs with `make outputs`, bars off): {bars}"


EVERY_FILE = sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("student/*.ipynb"))


@pytest.mark.parametrize("path", EVERY_FILE, ids=[p.relative_to(ROOT).as_posix() for p in EVERY_FILE])
def test_opening_and_saving_in_jupyterlab_changes_nothing(path):
    # What a save from JupyterLab writes (tests/test_browser.py checks this in a real JupyterLab): the
    # notebook's JSON as JavaScript writes it (whole floats as ints, collapsed cells marked), the kernel's
    # language_info, then nbformat's JSON with a final newline on the server. A committed notebook must be
    # a fixed point.
    text = path.read_text()
    saved = as_saved_by_jupyterlab(json.loads(text))
    saved["metadata"]["language_info"] = language_info()
    assert nbformat.writes(nbformat.from_dict(saved)) + "\n" == text, (
        "a save in JupyterLab would change this file: rewrite it with tools/notebooks.py's dumps "
        "(make outputs / make generate)"
    )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_skeleton(nb):
    cells = nb.node.cells
    assert generated_tag(cells[0]) == "generated-nav-top"
    assert generated_tag(cells[-1]) == "generated-nav-bottom"
    first_code = code_cells(nb)[0]
    assert generated_tag(first_code) == "generated-setup"
    assert first_code.source == setup_source(project()), "stale set-up cell: run `make generate`"
    assert first_code.outputs == [], "the set-up cell must print nothing"
    assert nb.title and nb.pitch and nb.minutes > 0
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    for heading in ("## What you will learn", "## 1. ", "## Summary", "## Exercises"):
        assert heading in markdown, f"missing section {heading!r}"
    assert markdown.index("## Summary") < markdown.index("## Exercises")
    solutions = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 3, "at least three exercises, each with a hidden solution cell"
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
        assert "check_" in cell.source, "a solution cell runs its checker"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_a_collapsed_solution_shows_no_answer(nb):
    """JupyterLab shows a collapsed cell's first line: a solution's must be a line of the exercise above it
    (its placeholder or its signature), never the answer. tests/test_browser.py checks the page itself."""
    cells = nb.node.cells
    revealing = [
        f"cell {index}: {cell.source.splitlines()[0]!r}"
        for index, cell in enumerate(cells)
        if "solution" in cell.metadata.get("tags", [])
        and cell.source.splitlines()[0].strip() not in cells[index - 1].source
    ]
    assert not revealing, f"solutions whose first line is not a line of the exercise above them: {revealing}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_nbval_markers_stand_alone_with_a_reason(nb):
    for index, cell in enumerate(code_cells(nb)):
        lines = cell.source.splitlines()
        for k, line in enumerate(lines):
            if any(marker in line for marker in NBVAL_MARKERS):
                assert line.strip() in {f"# {m}" for m in NBVAL_MARKERS}, (
                    f"code cell {index}: a marker must stand alone on its line: {line!r}"
                )
                assert k == 0, f"code cell {index}: the marker must be the cell's first line"
                reason = lines[k + 1] if k + 1 < len(lines) else ""
                assert reason.startswith("# ") and len(reason) > 10, (
                    f"code cell {index}: put the reason for {line.strip()} on the next line as a comment"
                )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_notebook_is_small_enough_to_review(nb):
    assert nb.path.stat().st_size < 2_000_000, "outputs over 2 MB: lower figure dpi or sizes"

"""The stated time of each notebook is computed from its content (tools/reading_time.py), and the core path fits."""

import nbformat
import pytest

from tools import nbtool, reading_time
from tools.notebooks import all_notebooks
from tools.reading_time import Counts, estimate, rounded

CORE_PATH_LIMIT = 45  # minutes: issue 13, "sized to its time"


def md(source, tags=()):
    return nbformat.v4.new_markdown_cell(source, metadata={"tags": list(tags)} if tags else {})


def code(source, tags=(), figures=0):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBO", "text/plain": "<Figure>"})
                    for _ in range(figures)]
    return cell


def words(n):
    return " ".join(["word"] * n)


def demo(further=True):
    cells = [
        md("nav", tags=["generated-nav-top"]),
        md(f"# Demo\n\nA pitch.\n\n**Time:** about 99 minutes\n\n{words(100)}"),
        code("import helpers\nhelpers.setup()", tags=["generated-setup"]),
        md(f"## 1. A section\n\n{words(194)} with [a link](https://example.org)\n\n$$\nh_t = a\n\\\\ C_t = b\n$$"),
        code("x = 1\n\n# a comment\ny = 2", figures=2),
        md("## Exercises\n\n" + words(300) + "\n\n**Exercise 1.** Do it.\n\n**Exercise 2.** And this."),
        code("answer = None\n" * 30),
        code("answer = 42", tags=["solution"]),
        md("### Exercise 3: the last one\n\nText."),
    ]
    if further:
        cells += [md(f"## Going further\n\n{words(400)}"), code("z = 3\n" * 12, figures=1)]
    cells.append(md("nav", tags=["generated-nav-bottom"]))
    return nbformat.v4.new_notebook(cells=cells)


def test_the_formula_counts_what_a_student_reads_and_does():
    found = estimate(demo())
    # words: "Demo A pitch." + 100 (the time line and "#" left out) + "1. A section" + 194 + "with a link" = 303
    assert found.core == Counts(words=303, code_lines=3, equation_lines=2, figures=2, exercises=3)
    assert found.further == Counts(words=402, code_lines=12, figures=1)
    minutes = 303 / 200 + 5 * 10 / 60 + 2 * 30 / 60 + 3 * 5
    assert found.core.minutes == pytest.approx(minutes)
    assert found.core_minutes == 20 and found.further_minutes == 5
    assert found.time_line == "**Time:** about 20 minutes (Going further: 5 more)"
    assert found.short == "20 min (+5 optional)"


def test_without_going_further_there_is_one_time():
    found = estimate(demo(further=False))
    assert found.further is None and found.further_minutes is None
    assert found.time_line == "**Time:** about 20 minutes"
    assert found.short == "20 min"


@pytest.mark.parametrize(("minutes", "shown"), [(0.0, 5), (2.4, 5), (7.4, 5), (7.5, 10), (42.4, 40), (42.5, 45)])
def test_rounding_to_five_minutes(minutes, shown):
    assert rounded(minutes) == shown


def test_nbtool_writes_the_computed_time_into_the_title_cell(tmp_path, monkeypatch):
    path = tmp_path / "notebooks" / "01_demo.ipynb"
    path.parent.mkdir()
    nbformat.write(demo(), path)
    (nb,) = all_notebooks(path.parent)
    nbtool.put_time(nb, nb.node.cells[1])
    assert "**Time:** about 20 minutes (Going further: 5 more)\n" in nb.node.cells[1].source
    assert "99" not in nb.node.cells[1].source


def test_nbtool_refuses_a_title_cell_without_a_time_line(tmp_path):
    path = tmp_path / "notebooks" / "01_demo.ipynb"
    path.parent.mkdir()
    node = demo()
    node.cells[1].source = "# Demo\n\nA pitch."
    nbformat.write(node, path)
    (nb,) = all_notebooks(path.parent)
    with pytest.raises(ValueError, match=r"\*\*Time:\*\* about N minutes"):
        nbtool.put_time(nb, nb.node.cells[1])


def test_every_notebook_states_the_computed_time():
    for nb in all_notebooks():
        assert estimate(nb).time_line in nb.title_cell.splitlines(), (
            f"{nb.path.name}: the stated time is not the computed one; run `make generate`")


def test_report_runs(capsys):
    assert reading_time.main() == 0
    assert "words a minute" in capsys.readouterr().out


def test_core_path_fits_45_minutes():
    """Issue 13: a teacher plans a class with these times; each notebook's core path fits 45 minutes."""
    over = {nb.path.name: estimate(nb).core_minutes for nb in all_notebooks()
            if estimate(nb).core_minutes > CORE_PATH_LIMIT}
    assert not over, f"core path over {CORE_PATH_LIMIT} minutes (tools/reading_time.py): {over}"

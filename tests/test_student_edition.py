"""The student edition (student/) and the teachers' page are up to date, correct, and their checks can fail."""

import re
import shutil

import nbformat
import pytest

from tools import student_edition, teachers_page
from tools.notebooks import ROOT, all_notebooks, generated_tag

NOTEBOOKS = all_notebooks()
IDS = [nb.path.name for nb in NOTEBOOKS]
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def student_copy(nb):
    return nbformat.read(ROOT / "student" / nb.path.name, as_version=4)


def code_before_exercises(node):
    cells = node.cells
    return [c for c in cells[: student_edition.exercises_start(cells)] if c.cell_type == "code"]


def test_student_edition_is_up_to_date(capsys):
    assert student_edition.main(["--check"]) == 0, capsys.readouterr().out


def test_teachers_page_is_up_to_date(capsys):
    assert teachers_page.main(["--check"]) == 0, capsys.readouterr().out


@pytest.fixture
def copy_of_repo(tmp_path):
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("notebooks", "student", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def test_check_fails_on_a_stale_or_stray_student_copy(copy_of_repo, capsys):
    path = sorted((copy_of_repo / "notebooks").glob("*.ipynb"))[0]
    node = nbformat.read(path, as_version=4)
    node.cells[1].source += "\n\nA sentence added after the student edition was written."
    nbformat.write(node, path)
    assert student_edition.main(["--check"], root=copy_of_repo) == 1
    assert f"student/{path.name}" in capsys.readouterr().out
    (copy_of_repo / "student" / "99_removed.ipynb").write_text("{}")
    assert student_edition.main([], root=copy_of_repo) == 0
    assert not (copy_of_repo / "student" / "99_removed.ipynb").exists(), "a stray copy is removed"
    assert student_edition.main(["--check"], root=copy_of_repo) == 0
    assert "A sentence added" in (copy_of_repo / "student" / path.name).read_text()


def test_teachers_check_fails_when_a_notebook_changes(copy_of_repo):
    path = sorted((copy_of_repo / "notebooks").glob("*.ipynb"))[0]
    node = nbformat.read(path, as_version=4)
    heading = "## What you will learn\n"
    node.cells[1].source = node.cells[1].source.replace(heading, heading + "\n- a new goal;")
    nbformat.write(node, path)
    assert teachers_page.main(["--check"], root=copy_of_repo) == 1
    assert teachers_page.main([], root=copy_of_repo) == 0
    assert "- a new goal;" in (copy_of_repo / "docs" / "teachers.md").read_text()


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_solutions_are_removed_and_exercise_stubs_cleared(nb):
    full, student = nb.node, student_copy(nb)
    solutions = [c for c in full.cells if student_edition.is_solution(c)]
    assert solutions, "the full edition has solution cells"
    assert not any(student_edition.is_solution(c) for c in student.cells)
    assert len(student.cells) == len(full.cells) - len(solutions)
    kept_ids = [c.id for c in full.cells if not student_edition.is_solution(c)]
    assert [c.id for c in student.cells] == kept_ids, "every other cell is kept, in order"
    start = student_edition.exercises_start(student.cells)
    exercise_code = [c for c in student.cells[start:] if c.cell_type == "code"]
    assert exercise_code, "the exercise stubs are kept"
    for cell in exercise_code:
        assert cell.outputs == [] and cell.execution_count is None
    for cell in solutions:
        for name in re.findall(r"\b(check_\w+)\(", cell.source):
            assert any(f"{name}(" in c.source for c in exercise_code), f"the stubs no longer call {name}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_every_other_output_is_kept(nb):
    full, student = code_before_exercises(nb.node), code_before_exercises(student_copy(nb))
    assert [c.outputs for c in student] == [c.outputs for c in full]
    assert student_copy(nb).metadata.get("widgets") == nb.node.metadata.get("widgets")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_no_text_points_to_hidden_solutions(nb):
    for cell in student_copy(nb).cells:
        if cell.cell_type == "markdown":
            assert not student_edition.HIDDEN_SOLUTION.search(cell.source), cell.source


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=IDS)
def test_navigation_stays_in_the_student_edition(nb):
    student = student_copy(nb)
    for cell in (student.cells[0], student.cells[-1]):
        assert generated_tag(cell) in ("generated-nav-top", "generated-nav-bottom")
        assert cell.source.startswith(student_edition.EDITION_LABEL)
        assert "](README.md)" in cell.source
        assert f"/student/{nb.path.name})" in cell.source, "the Colab badge opens the student copy"
        assert "/notebooks/" not in cell.source


def relative_links(text):
    for match in LINK.finditer(text):
        target = match["target"].split("#")[0]
        if target and not re.match(r"^[a-z]+:", target):
            yield target


@pytest.mark.parametrize("path", sorted((ROOT / "student").glob("*")), ids=lambda p: p.name)
def test_relative_links_resolve_inside_the_student_edition(path):
    if path.suffix == ".ipynb":
        node = nbformat.read(path, as_version=4)
        text = "\n".join(c.source for c in node.cells if c.cell_type == "markdown")
    else:
        text = path.read_text()
    links = list(relative_links(text))
    assert links, f"{path.name} has no relative links at all"
    for target in links:
        assert (path.parent / target).exists(), f"{path.name}: broken link {target!r}"


def test_teachers_page_links_resolve():
    page = ROOT / teachers_page.PAGE
    for target in relative_links(page.read_text()):
        assert (page.parent / target).exists(), f"docs/teachers.md: broken link {target!r}"


def test_solution_hint_is_rewritten_but_the_hidden_state_is_not():
    text = "A checker prints ✓. Solutions are in the hidden cells (click the ellipsis to open one), but try first."
    assert student_edition.without_solution_hint(text) == f"A checker prints ✓. {student_edition.STUDENT_NOTE}"
    keep = "The hidden state is the solution of the recurrence."
    assert student_edition.without_solution_hint(keep) == keep


def test_teachers_page_reads_goals_and_exercises(tmp_path):
    title = "# Demo\n\nOne pitch.\n\n## What you will learn\n\n- first;\n- second.\n\n**Time:** about 5 minutes"
    cells = [
        nbformat.v4.new_markdown_cell(title),
        nbformat.v4.new_markdown_cell("## 1. Start\n\ntext"),
        nbformat.v4.new_markdown_cell("## Exercises\n\nIntro.\n\n**Exercise 1.** Do\nthis."),
        nbformat.v4.new_markdown_cell("### Exercise 2: Heading\n\nAnd that.\n\nAnd more."),
    ]
    path = tmp_path / "07_demo.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    nb = all_notebooks(tmp_path)[0]
    assert teachers_page.learning_goals(nb) == ["first;", "second."]
    assert teachers_page.sections(nb) == ["1. Start"]
    assert teachers_page.exercises(nb) == ["Do this.", "Heading And that. And more."]
    assert teachers_page.prerequisites(nb) == "none stated in the notebook"


def test_a_missing_marker_is_an_error():
    with pytest.raises(ValueError, match="markers"):
        teachers_page.render("no markers here", NOTEBOOKS)


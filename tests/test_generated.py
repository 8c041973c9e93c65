"""Generated content is up to date, and the check really fails when it is not."""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from tools import nbtool
from tools.notebooks import ROOT, Notebook, all_notebooks


def test_generated_content_is_up_to_date(capsys):
    assert nbtool.main(["--check"]) == 0, capsys.readouterr().out


@pytest.fixture
def copy_of_repo(tmp_path):
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    return tmp_path


def test_check_fails_when_a_nav_cell_is_edited(copy_of_repo, capsys):
    path = sorted((copy_of_repo / "notebooks").glob("*.ipynb"))[0]
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "edited by hand"
    nbformat.write(nb, path)
    assert nbtool.main(["--check"], root=copy_of_repo) == 1
    assert path.name in capsys.readouterr().out
    assert nbtool.main([], root=copy_of_repo) == 0
    assert nbtool.main(["--check"], root=copy_of_repo) == 0


def test_check_fails_when_the_readme_index_is_stale(copy_of_repo):
    readme = copy_of_repo / "README.md"
    readme.write_text(readme.read_text().replace("| 01 |", "| 1 |"))
    assert nbtool.main(["--check"], root=copy_of_repo) == 1


def test_a_badly_named_notebook_is_refused(copy_of_repo):
    (copy_of_repo / "notebooks" / "Untitled.ipynb").write_text("{}")
    with pytest.raises(ValueError, match="NN_topic.ipynb"):
        all_notebooks(copy_of_repo / "notebooks")


def test_title_cell_rules_are_enforced(tmp_path):
    path = tmp_path / "07_demo.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("No title here")]), path)
    with pytest.raises(ValueError, match="must start with '# Title'"):
        Notebook(path).title  # noqa: B018
    with pytest.raises(ValueError, match=r"\*\*Time:\*\* about N minutes"):
        Notebook(path).minutes  # noqa: B018


def test_repository_address_is_written_once():
    """Badges and the Colab set-up read the address from pyproject.toml; no other file spells it out."""
    address = nbtool.project().repository
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    holders = []
    generated = {"README.md"} | {nb.path.relative_to(ROOT).as_posix() for nb in all_notebooks()}
    generated |= {name for name in tracked.split() if name.startswith("student/")}  # tools/student_edition.py
    for name in tracked.split():
        path = ROOT / name
        if name in generated or not path.is_file() or path.suffix in {".png", ".svg"}:
            continue
        if address in path.read_text(errors="ignore"):
            holders.append(name)
    assert holders == ["pyproject.toml"]


@pytest.mark.parametrize("folder", ["tools", "studies"])
def test_readme_lists_every_script(folder):
    listed = (ROOT / folder / "README.md").read_text()
    scripts = sorted([*(ROOT / folder).glob("*.py"), *(ROOT / folder).glob("*.sh")])
    assert scripts
    for script in scripts:
        if script.name != "__init__.py":
            assert f"`{script.name}`" in listed, f"{folder}/README.md does not describe {script.name}"


def test_every_script_a_page_names_exists():
    """A path like tools/NAME.py or studies/NAME.py in the README, the guides or the code is a real file."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    pages = [name for name in tracked.split() if name.endswith((".md", ".py", ".sh", ".cfg", ".toml", ".yml"))
             or name in ("Makefile", ".ci/run")]
    pages = [name for name in pages if not name.startswith("student/") and (ROOT / name).is_file()]
    missing = set()
    for name in pages:
        for found in re.findall(r"\b((?:tools|studies)/[a-z0-9_]+\.(?:py|sh))\b", (ROOT / name).read_text()):
            if not (ROOT / found).is_file():
                missing.add(f"{name} names {found}")
    assert not missing, sorted(missing)


def test_every_script_a_notebook_names_exists():
    """The same for the notebooks' text: a study they quote is named where it really is (studies/NAME.py)."""
    missing = set()
    for nb in all_notebooks():
        for cell in nb.node.cells:
            for found in re.findall(r"\b((?:tools|studies)/[a-z0-9_]+\.(?:py|sh))\b", cell.source):
                if not (ROOT / found).is_file():
                    missing.add(f"{nb.path.name} names {found}")
    assert not missing, sorted(missing)


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "helpers", "tests", "tools", "studies", "stories", "notebooks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr

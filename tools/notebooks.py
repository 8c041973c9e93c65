"""The one definition of "a notebook of the series", shared by every tool and test.

A notebook is a file ``notebooks/NN_topic.ipynb`` (two digits, then lower-case words joined by ``_``).
Its title cell, the first markdown cell that no tool generated, holds ``# Title``, a one-sentence pitch
paragraph, a ``## What you will learn`` list and a line ``**Time:** about N minutes``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NAME_RE = re.compile(r"^(?P<number>\d\d)_(?P<slug>[a-z0-9]+(?:_[a-z0-9]+)*)\.ipynb$")
TIME_RE = re.compile(r"^\*\*Time:\*\* about (?P<minutes>\d+) minutes", re.MULTILINE)
TIME_LINE = re.compile(r"^\*\*Time:\*\*.*$", re.MULTILINE)  # the whole line, which tools/nbtool.py writes
GENERATED_TAGS = ("generated-nav-top", "generated-setup", "generated-nav-bottom")
# The sections every notebook may have after its numbered ones, and how an exercise's statement opens.
EXERCISES_HEADING = re.compile(r"^## Exercises\b", re.MULTILINE)
GOING_FURTHER_HEADING = re.compile(r"^## Going further\b")  # the optional last section, outside the core path
EXERCISE_STATEMENT = re.compile(
    r"^(?:\*\*Exercise (?P<n1>\d+)\.?\*\*\s*(?P<text>.*)"  # **Exercise 1.** Statement ...
    r"|#{3,4} Exercise (?P<n2>\d+)[.:]?\s*(?P<head>.*))$"  # ### Exercise 1: Heading
)
LOCK = ROOT / "requirements" / "lock.txt"
LOCK_PYTHON_RE = re.compile(r"^# python==(?P<version>\d+\.\d+\.\d+)\b", re.MULTILINE)
# The notebook metadata that JupyterLab and the kernel write (checked by opening and saving a notebook in
# JupyterLab, tests/test_browser.py): the kernel's name, and its language_info with the Python version.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


@dataclass(frozen=True)
class Notebook:
    """One notebook of the series, read lazily from ``path``."""

    path: Path

    @property
    def number(self) -> int:
        return int(self.match["number"])

    @property
    def match(self) -> re.Match[str]:
        match = NAME_RE.match(self.path.name)
        if match is None:
            raise ValueError(f"{self.path.name}: a notebook's name must look like NN_topic.ipynb")
        return match

    @property
    def relpath(self) -> str:
        return self.path.relative_to(self.path.parents[1]).as_posix()  # notebooks/NN_topic.ipynb

    @cached_property
    def node(self) -> nbformat.NotebookNode:
        return nbformat.read(self.path, as_version=4)

    @property
    def title_cell(self) -> str:
        for cell in self.node.cells:
            if cell.cell_type == "markdown" and not generated_tag(cell):
                return cell.source
        raise ValueError(f"{self.relpath}: no title cell (a markdown cell starting with '# Title')")

    @property
    def title(self) -> str:
        first = self.title_cell.splitlines()[0] if self.title_cell else ""
        if not first.startswith("# "):
            raise ValueError(f"{self.relpath}: the title cell must start with '# Title'; got {first!r}")
        return first[2:].strip()

    @property
    def pitch(self) -> str:
        """The first paragraph after the title line."""
        paragraphs = [p.strip() for p in self.title_cell.split("\n\n")[1:] if p.strip()]
        if not paragraphs or paragraphs[0].startswith("#"):
            raise ValueError(f"{self.relpath}: the title cell needs a one-sentence pitch after the title")
        return " ".join(paragraphs[0].split())

    @property
    def minutes(self) -> int:
        found = TIME_RE.search(self.title_cell)
        if found is None:
            raise ValueError(f"{self.relpath}: the title cell needs a line '**Time:** about N minutes'")
        return int(found["minutes"])


def generated_tag(cell: nbformat.NotebookNode) -> str | None:
    """The tag naming which generated cell this is, or None for a hand-written cell."""
    tags = [t for t in cell.get("metadata", {}).get("tags", []) if t in GENERATED_TAGS]
    return tags[0] if tags else None


def all_notebooks(directory: Path = NOTEBOOK_DIR) -> list[Notebook]:
    """Every notebook of the series, in order. A stray .ipynb with a bad name is an error."""
    found = []
    for path in sorted(directory.glob("*.ipynb")):
        notebook = Notebook(path)
        notebook.match  # noqa: B018 - raises on a bad name
        found.append(notebook)
    numbers = [nb.number for nb in found]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"two notebooks share a number: {[nb.path.name for nb in found]}")
    return found


@dataclass(frozen=True)
class Project:
    """Where the series is published: read from pyproject.toml, the one place it is written."""

    repository: str
    ref: str

    @property
    def owner_repo(self) -> str:
        return self.repository.removeprefix("https://github.com/").rstrip("/")

    def colab_url(self, notebook: Notebook) -> str:
        return f"https://colab.research.google.com/github/{self.owner_repo}/blob/{self.ref}/{notebook.relpath}"

    def binder_url(self, notebook: Notebook) -> str:
        return f"https://mybinder.org/v2/gh/{self.owner_repo}/{self.ref}?urlpath=lab/tree/{notebook.relpath}"

    @property
    def pip_url(self) -> str:
        """What the Colab set-up cell gives ``pip install``: the repository at the ref, by git."""
        return f"git+{self.repository}@{self.ref}"


def project(root: Path = ROOT) -> Project:
    data = tomllib.loads((root / "pyproject.toml").read_text())
    return Project(data["project"]["urls"]["Repository"], data["tool"]["lstm-tutorial"]["ref"])


def lock_python(lock: Path = LOCK) -> str:
    """The Python version of the environment that writes and checks the outputs, e.g. "3.11.7".

    ``make lock`` writes it into requirements/lock.txt as ``# python==X.Y.Z``. A notebook stores it as
    ``metadata.language_info.version``, because the kernel reports its Python there and JupyterLab saves it.
    """
    found = LOCK_PYTHON_RE.search(lock.read_text())
    if found is None:
        raise ValueError(f"{lock.name} must name its Python in a line '# python==X.Y.Z' (make lock writes it)")
    return found["version"]


def language_info(python: str | None = None) -> dict:
    """``metadata.language_info`` as the kernel reports and JupyterLab saves it (default Python: the lock's)."""
    return {**LANGUAGE_INFO, "version": python or lock_python()}


def as_javascript_numbers(value: object) -> object:
    """``value`` (parsed JSON) with every whole float written as an int, as a save from JupyterLab leaves it.

    JupyterLab sends a notebook to the server as JSON written by JavaScript, which has one number type and
    writes 8.0 as ``8``; the server reads that back as an int. A notebook stored with ``8.0`` (Python's
    JSON, e.g. in a widget's state) would change on its first save. Beyond 1e21 JavaScript writes
    exponents, read back as floats, so those stay floats.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {key: as_javascript_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_javascript_numbers(item) for item in value]
    return value


def as_saved_by_jupyterlab(notebook: dict) -> dict:
    """``notebook`` (parsed JSON) as a save from JupyterLab 4 leaves it, the kernel's metadata aside.

    Checked by opening and saving the notebooks in JupyterLab (tests/test_browser.py): whole floats become
    ints (:func:`as_javascript_numbers`), and a code cell whose outputs are hidden
    (``metadata.jupyter.outputs_hidden``) also gets nbformat's older ``metadata.collapsed: true``.
    """
    saved = as_javascript_numbers(notebook)
    for cell in saved.get("cells", []):
        if cell.get("cell_type") == "code" and cell.get("metadata", {}).get("jupyter", {}).get("outputs_hidden"):
            cell["metadata"]["collapsed"] = True
    return saved


def dumps(node: nbformat.NotebookNode) -> str:
    """The one on-disk format of a notebook: what JupyterLab's save writes, so that opening a notebook
    and saving it changes nothing (:func:`as_saved_by_jupyterlab`; nbformat's JSON, a final newline)."""
    return nbformat.writes(nbformat.from_dict(as_saved_by_jupyterlab(node))) + "\n"

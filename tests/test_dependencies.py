"""Dependencies that say the truth: every package imported is declared, and requirements/lock.txt pins exactly
the environment the tests run in (what `make lock` writes)."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.notebooks import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
DEV = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"]]
LOCK = ROOT / "requirements" / "lock.txt"
# What `make lock` writes above the pins (the Makefile's lock target; checked below against it).
LOCK_HEADER = [
    "# Exact versions of the reproducible environment that writes and checks the notebook outputs.",
    "# Regenerate with: make lock   (torch pinned to the CPU build; pip freeze of a fresh venv)",
]
LOCAL = {"helpers", "tools", "studies", "stories", "tests", "conftest", "google"}  # google: tools/colab_stub's stand-in
# Code that students run (helpers and notebooks) may import only runtime dependencies; the rest may use dev ones.
STUDENT_CODE = ("helpers", "notebooks", "student")
TRANSFORM = TransformerManager()


def imported_modules(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def code_files() -> dict[str, str]:
    """Every Python source of the project, and every notebook's code cells as IPython runs them (a magic or
    shell line becomes a get_ipython() call, so a magic inside an `if` keeps its block)."""
    sources = {}
    for folder in ("helpers", "tools", "studies", "stories", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            sources[path.relative_to(ROOT).as_posix()] = path.read_text()
    for folder in ("notebooks", "student"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            node = nbformat.read(path, as_version=4)
            cells = [TRANSFORM.transform_cell(cell.source) for cell in node.cells if cell.cell_type == "code"]
            sources[path.relative_to(ROOT).as_posix()] = "\n".join(cells)
    return sources


def distribution_of(module: str) -> set[str]:
    return {canonicalize_name(name) for name in metadata.packages_distributions().get(module, [])}


def local_modules() -> set[str]:
    """The project's own top-level names: its packages, and modules beside the code that imports them."""
    siblings = {p.stem for folder in ("tools", "studies", "stories", "tests") for p in (ROOT / folder).glob("*.py")}
    return LOCAL | siblings


def third_party_imports() -> dict[str, set[str]]:
    """module -> the files that import it, for every module neither in the standard library nor local."""
    found: dict[str, set[str]] = {}
    local = local_modules()
    for name, source in code_files().items():
        for module in imported_modules(source) - set(sys.stdlib_module_names) - local:
            found.setdefault(module, set()).add(name)
    return found


def test_the_scan_finds_the_imports_we_know():
    found = third_party_imports()
    assert {"torch", "numpy", "matplotlib", "PIL", "cycler", "IPython", "nbformat", "pytest"} <= set(found)


def test_every_imported_package_is_declared():
    runtime = {canonicalize_name(r.name) for r in RUNTIME}
    dev = {canonicalize_name(r.name) for r in DEV}
    problems = []
    for module, files in sorted(third_party_imports().items()):
        distributions = distribution_of(module)
        if not distributions:
            problems.append(f"{module} (imported by {sorted(files)[0]}) is not installed here")
            continue
        by_students = sorted(f for f in files if f.startswith(STUDENT_CODE))
        allowed = runtime if by_students else runtime | dev
        if not distributions & allowed:
            where = "[project] dependencies" if by_students else "dependencies or the dev extra"
            problems.append(f"{module} ({'/'.join(sorted(distributions))}), imported by "
                            f"{(by_students or sorted(files))[0]}, is not declared in pyproject.toml's {where}")
    assert not problems, "\n".join(problems)


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        if line and not line.startswith("#"):  # the header's "# python==" line is a comment
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_lock_has_the_form_make_lock_writes():
    lines = LOCK.read_text().splitlines()
    assert lines[:2] == LOCK_HEADER
    makefile = (ROOT / "Makefile").read_text()
    assert all(f'echo "{line}"' in makefile for line in LOCK_HEADER), "the Makefile's lock target writes another header"
    assert re.fullmatch(r"# python==\d+\.\d+\.\d+   \(the Python it was frozen with; .*\)", lines[2]), lines[2]
    assert "echo \"# python==$$(" in makefile, "the Makefile's lock target writes no Python line"
    pins = lines[3:]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.]+", line) for line in pins), "one name==version a line"
    assert pins == sorted(pins, key=lambda line: line.split("==")[0].lower()), "pip freeze's order: by name, any case"


def test_every_declared_dependency_is_pinned_inside_its_range():
    pins = lock_pins()
    for requirement in RUNTIME + DEV:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is declared but not pinned in requirements/lock.txt: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"lock.txt pins {name}=={pins[name]}, outside pyproject.toml's {requirement}")


def test_dev_floors_are_the_versions_the_tests_run_on():
    """The dev tools are tested only at the lock's versions: their floors say so (runtime floors are tested by
    `make versions`' oldest end)."""
    pins = lock_pins()
    for requirement in DEV:
        floors = [s.version for s in requirement.specifier if s.operator == ">="]
        assert floors == [pins[canonicalize_name(requirement.name)]], (
            f"pyproject.toml's dev extra says {requirement}; the tests run on "
            f"{requirement.name}=={pins[canonicalize_name(requirement.name)]}: make that the floor")


def in_project_venv() -> bool:
    return Path(sys.prefix).resolve() == (ROOT / ".venv").resolve()


@pytest.mark.skipif(not in_project_venv(), reason="checks the project's .venv, which make builds from the lock")
def test_the_environment_is_exactly_the_lock():
    """Every pin is installed at its version, and nothing else is installed (but pip and the project itself)."""
    pins = lock_pins()
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    installed = {name: version.split("+")[0] for name, version in installed.items()
                 if name not in {"pip", "setuptools", "wheel", "lstm-tutorial"}}
    assert installed == pins

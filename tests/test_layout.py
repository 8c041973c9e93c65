"""The package reads as its module map: every module is listed in helpers/__init__.py, in layers, and
imports only from the layers below it (so there are no import cycles); no module grows past a page."""

import ast
import re
from pathlib import Path

import pytest

import helpers

PACKAGE = Path(helpers.__file__).parent
MAX_LINES = 330  # about 300: a module a reader can hold in mind

# The module map of the package docstring: lines "    name   description" or "    name/   description".
MAP = re.findall(r"^    (\w+)/?\s{2,}\S", helpers.__doc__, flags=re.MULTILINE)
UNITS = sorted(
    [p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
    + [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()]
)


def unit_of(path: Path) -> str:
    """The map entry a file belongs to: its module, or the sub-package it lies in."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported_units(path: Path) -> set[str]:
    units = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1:
                units.add(parts[1])
    return units


def test_the_map_lists_every_module_once():
    assert sorted(MAP) == UNITS
    assert len(MAP) == len(set(MAP))


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_imports_go_down_the_map_only(path):
    unit = unit_of(path)
    upward = {u for u in imported_units(path) - {unit} if MAP.index(u) > MAP.index(unit)}
    assert not upward, f"{path.name} ({unit}) imports from later layers: {sorted(upward)}"


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_no_module_is_longer_than_a_page(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines; split it by concept"

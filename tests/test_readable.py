"""Readable on a projector: every figure's text at least as large as the body text, no line wider than a cell.

The numbers come from one place, ``helpers.style``: the screen a student has (``SCREEN``: JupyterLab at
1366 x 768 in Chromium, file browser open; tests/test_browser.py measures it again), the figures' resolution
(``DPI``) and their smallest font (``SMALLEST_PT``). JupyterLab shows an image at its natural size (its CSS
width, else its pixel width) or, when that is wider than the content, shrunk to the content's width, text
and all. So the smallest text of a stored PNG is ``SMALLEST_PT`` points at the PNG's own dpi, times that
shrinking; figure code that sets a smaller font by hand is caught by the scan of the sources below.

Notebooks that fail today are marked as expected failures (strict: once fixed, the mark must go), with the
cells their owners must change.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import matplotlib as mpl
import pytest
from PIL import Image

from helpers import style
from helpers.diagrams import _pen
from helpers.style import DPI, SCREEN, SMALLEST_PT, displayed_width, text_px
from tools.notebooks import ROOT, all_notebooks

NOTEBOOKS = all_notebooks()

# What owners must fix (cell indices as stored, counting from 0, markdown included).
TOO_WIDE_FIGURES: dict[str, str] = {}
LONG_CODE_LINES: dict[str, str] = {}
# Printed lines wider than a cell wrap mid-word.
LONG_PRINTED_LINES: dict[str, str] = {}
SMALL_FONTS: dict[str, str] = {}
# An explicit font size in figure code: fontsize=8, labelsize=7, prop={"size": 8}, or a relative size below medium.
FONT_SIZE = re.compile(
    r"(?:\b(?:fontsize|labelsize)\s*=\s*|[\"']size[\"']\s*:\s*)"
    r"(?P<value>\d+(?:\.\d+)?|[\"'](?:xx?-small|small|smaller)[\"'])"
)


def param(name: str, known: dict[str, str]):
    if name in known:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=f"owner to fix: {known[name]}"))
    return name


def pngs(node) -> list[tuple[int, Image.Image, float | None]]:
    """(cell index, image, CSS width from the output's metadata or None) of every stored PNG."""
    found = []
    for index, cell in enumerate(node.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                image = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
                css = output.get("metadata", {}).get("image/png", {}).get("width")
                found.append((index, image, None if css is None else float(css)))
    return found


def smallest_text_px(image: Image.Image, css_width: float | None) -> float:
    """How tall text of SMALLEST_PT points is on the screen, for a PNG shown as JupyterLab shows it."""
    dpi = float(image.info.get("dpi", (DPI, DPI))[0])  # matplotlib writes its dpi into the PNG
    shown = displayed_width(image.width, css_width)
    return text_px(SMALLEST_PT, dpi, scale=shown / image.width)


def test_the_style_makes_readable_figures_by_default():
    assert text_px(SMALLEST_PT) >= SCREEN.body_text
    style.apply_style()
    for key in ("font.size", "axes.labelsize", "axes.titlesize", "xtick.labelsize", "ytick.labelsize",
                "legend.fontsize", "figure.titlesize"):
        assert float(mpl.rcParams[key]) >= SMALLEST_PT, key
    assert mpl.rcParams["figure.figsize"][0] * mpl.rcParams["figure.dpi"] <= SCREEN.content_width
    assert mpl.rcParams["savefig.dpi"] == DPI
    assert min(_pen.FONT_SIZE, _pen.VALUE_SIZE, _pen.TITLE_SIZE) >= SMALLEST_PT  # the diagrams
    assert style.MAX_FIGURE_WIDTH_IN * DPI == SCREEN.content_width


def test_the_arithmetic_of_a_shrunk_figure():
    plain = Image.new("RGB", (700, 10))
    plain.info["dpi"] = (100, 100)
    assert smallest_text_px(plain, None) == pytest.approx(10.5 * 100 / 72)
    wide = Image.new("RGB", (1290, 10))
    wide.info["dpi"] = (100, 100)
    assert smallest_text_px(wide, None) == pytest.approx(10.5 * 100 / 72 * SCREEN.content_width / 1290)
    retina = Image.new("RGB", (1400, 10))  # a 2x PNG shown at 700 CSS pixels
    retina.info["dpi"] = (200, 200)
    assert smallest_text_px(retina, 700.0) == pytest.approx(10.5 * 100 / 72)


@pytest.mark.parametrize("name", [param(nb.path.name, TOO_WIDE_FIGURES) for nb in NOTEBOOKS])
def test_every_stored_figure_shows_its_text_at_least_as_large_as_the_body_text(name):
    notebook = next(nb for nb in NOTEBOOKS if nb.path.name == name)
    small = [
        f"cell {index}: {image.width} px wide, text {smallest_text_px(image, css):.1f} px"
        for index, image, css in pngs(notebook.node)
        if smallest_text_px(image, css) < SCREEN.body_text
    ]
    assert not small, (
        f"figures whose smallest text is under the body text ({SCREEN.body_text} px) at the width JupyterLab shows "
        f"them (at most {SCREEN.content_width} px: make them at most {style.MAX_FIGURE_WIDTH_IN:.2f} in wide at "
        f"{DPI} dpi): " + "; ".join(small)
    )


@pytest.mark.parametrize("name", [param(nb.path.name, LONG_CODE_LINES) for nb in NOTEBOOKS])
def test_no_code_line_is_wider_than_a_cell(name):
    notebook = next(nb for nb in NOTEBOOKS if nb.path.name == name)
    long = [
        f"cell {index}: {len(line)} characters"
        for index, cell in enumerate(notebook.node.cells)
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if len(line) > SCREEN.code_chars
    ]
    assert not long, f"code lines longer than the {SCREEN.code_chars} characters a cell shows: " + "; ".join(long)


def printed_text(output) -> str:
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    return "" if "image/png" in data else data.get("text/plain", "")


@pytest.mark.parametrize("name", [param(nb.path.name, LONG_PRINTED_LINES) for nb in NOTEBOOKS])
def test_no_printed_line_is_wider_than_a_cell(name):
    # JupyterLab wraps a longer line of output wherever the width ends, mid-word.
    notebook = next(nb for nb in NOTEBOOKS if nb.path.name == name)
    long = [
        f"cell {index}: {len(line)} characters"
        for index, cell in enumerate(notebook.node.cells)
        for output in cell.get("outputs", [])
        for line in printed_text(output).splitlines()
        if len(line) > SCREEN.code_chars
    ]
    assert not long, f"printed lines longer than the {SCREEN.code_chars} characters a cell shows: " + "; ".join(long)


SOURCES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("*.py")) + [
    nb.path.relative_to(ROOT).as_posix() for nb in NOTEBOOKS
]


@pytest.mark.parametrize("name", [param(name, SMALL_FONTS) for name in SOURCES])
def test_no_figure_code_sets_a_font_below_the_smallest_size(name):
    path = ROOT / name
    if path.suffix == ".ipynb":
        import nbformat

        text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    else:
        text = path.read_text()
    small = [
        m.group(0) for m in FONT_SIZE.finditer(text)
        if not m["value"][0].isdigit() or float(m["value"]) < SMALLEST_PT
    ]
    assert not small, f"font sizes below {SMALLEST_PT} pt (helpers.style.SMALLEST_PT): {small}"


def test_known_offenders_name_real_files():
    names = {nb.path.name for nb in NOTEBOOKS}
    assert set(TOO_WIDE_FIGURES) <= names and set(LONG_CODE_LINES) <= names and set(LONG_PRINTED_LINES) <= names
    assert all(Path(ROOT / name).is_file() for name in SMALL_FONTS)

"""The offline HTML handouts show typeset maths and rendered widgets in a real browser with no network.

Builds the handouts of notebook 01 and of every notebook whose stored widgets include a slider, opens each
page in headless Chromium over file:// with every host name unresolvable, and reads the DOM once scripts
have run. Skips, saying why, where Chromium or npm is missing (tools/install_browser.sh installs Chromium).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tools import handouts
from tools.notebooks import all_notebooks

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--virtual-time-budget=20000",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves: a page that needs the network shows it
]
SLIDERS = ("IntSliderModel", "FloatSliderModel")
REMOTE = re.compile(r"<(?:script|img|link)\b[^>]*\b(?:src|href)=[\"']https?://", re.IGNORECASE)
LOCAL = re.compile(r"<(?:script|img)\b[^>]*\bsrc=[\"'](?![a-z]+:)(?P<src>[^\"'?#]+)", re.IGNORECASE)


def has_class(html, name):
    """Whether an element carries the class ``name`` (not merely a style sheet that mentions it)."""
    return re.search(r'class="[^"]*(?<![\w-])' + re.escape(name) + r'(?![\w-])', html) is not None


def chosen_notebooks():
    notebooks = all_notebooks()
    return [nb for nb in notebooks if nb.number == 1 or any(handouts.has_widget(nb, m) for m in SLIDERS)]


def widget_views(nb):
    return sum(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in nb.node.cells if cell.cell_type == "code" for output in cell.outputs
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"SKIPPED: {CHROMIUM} is missing; install it with `sh tools/install_browser.sh` (as root)")
    cached = all((handouts.NPM_CACHE / p.tarball).is_file() for p in handouts.PACKAGES)
    if not cached and shutil.which("npm") is None:
        pytest.skip("SKIPPED: npm is missing, so the handouts' local scripts cannot be fetched; install Node.js")
    out = tmp_path_factory.mktemp("handouts")
    notebooks = chosen_notebooks()
    handouts.build(notebooks, out, editions=("full",))
    return out, {nb: out / f"{nb.path.stem}.html" for nb in notebooks}


def dump_dom(page: Path, profile: Path) -> str:
    result = subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "XDG_CONFIG_HOME": str(profile)},  # its crash database too, not ~/.config/chromium
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_notebook_01_is_among_the_pages(pages):
    _, built = pages
    assert any(nb.number == 1 for nb in built)


@pytest.mark.parametrize("nb", chosen_notebooks(), ids=lambda nb: nb.path.name)
def test_page_loads_nothing_from_the_web(pages, nb):
    _, built = pages
    page = built[nb]
    text = page.read_text()
    assert not REMOTE.search(text), REMOTE.search(text).group(0)
    sources = LOCAL.findall(text)
    assert any(s.endswith("require.js") for s in sources) and any("MathJax.js" in s for s in sources)
    for src in sources:
        assert (page.parent / src).is_file(), f"{page.name} loads {src}, which is not in the handouts folder"


@pytest.mark.parametrize("nb", chosen_notebooks(), ids=lambda nb: nb.path.name)
def test_maths_and_widgets_render_offline(pages, nb, tmp_path):
    _, built = pages
    source = built[nb].read_text()
    expected = []
    if widget_views(nb):
        expected.append("widget-subarea")  # a widget view rendered from the stored state
    if handouts.has_widget(nb, "FloatProgressModel") or handouts.has_widget(nb, "IntProgressModel"):
        expected.append("widget-hprogress")
    if any(handouts.has_widget(nb, m) for m in SLIDERS):
        expected.append("widget-slider")
    for marker in expected:
        assert not has_class(source, marker), f"{marker!r} is in the static page, so finding it proves nothing"
    # On a loaded machine Chromium has, rarely, dumped the DOM before the widget manager finished: one retry.
    for attempt in (1, 2):
        dom = dump_dom(built[nb], tmp_path / f"profile{attempt}")
        maths = "MathJax_CHTML" in dom or "mjx-container" in dom
        missing = [marker for marker in expected if not has_class(dom, marker)]
        if maths and not missing:
            break
    (tmp_path / "dom.html").write_text(dom)
    assert maths, f"no typeset maths: MathJax did not run (DOM in {tmp_path / 'dom.html'})"
    assert "Math Processing Error" not in dom
    assert not missing, f"{nb.path.name}: no element of class {missing}: the widgets did not render"


def test_has_class_ignores_style_sheets():
    assert has_class('<div class="lm-Widget widget-slider">', "widget-slider")
    assert not has_class("<style>.widget-slider { color: red }</style>", "widget-slider")
    assert not has_class('<div class="widget-slider-track">', "widget-slider")


def test_links_between_pages_and_badges_work_offline():
    node = handouts.page_links(
        handouts.nbformat.from_dict(
            {"cells": [{"cell_type": "markdown", "metadata": {}, "source": (
                "[← 01 · A](01_a.ipynb) · [Contents](../README.md) · [B](02_b.ipynb#part)\n\n"
                "[![Open in Colab](https://example.org/badge.svg)](https://example.org/open)"
            )}]}
        )
    )
    assert node.cells[0].source == (
        "[← 01 · A](01_a.html) · [Contents](index.html) · [B](02_b.html#part)\n\n"
        "[Open in Colab](https://example.org/open)"
    )

"""The diagrams: imgs/ is up to date, every figure is drawn cleanly, live values are checked."""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from helpers.diagrams import (  # noqa: E402
    ALT_TEXT,
    FIGURES,
    GROUPS,
    STEPS,
    VALUE_KEYS,
    check_values,
    draw_lstm_cell,
    render_png,
)
from helpers.style import PART_COLORS, apply_style  # noqa: E402
from tools import make_figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VALUES = {
    "x_t": 0.5,
    "h_prev": -0.3,
    "C_prev": 1.2,
    "f_t": 0.9,
    "i_t": 0.1,
    "C_tilde_t": -0.4,
    "o_t": 0.7,
    "C_t": 0.9 * 1.2 + 0.1 * -0.4,
    "h_t": 0.7 * math.tanh(0.9 * 1.2 + 0.1 * -0.4),
}


@pytest.fixture(autouse=True)
def _style_and_close():
    with matplotlib.rc_context():
        apply_style()
        yield
    plt.close("all")


# --- imgs/ and tools/make_figures.py ---------------------------------------------------------------------
def test_imgs_are_up_to_date():
    """The command of the Makefile: fails when a figure was changed without running make_figures."""
    result = subprocess.run(
        [sys.executable, "tools/make_figures.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_lists_a_changed_or_missing_file(tmp_path, capsys):
    copy = tmp_path / "imgs"
    shutil.copytree(ROOT / "imgs", copy)
    with open(copy / "02_gate.png", "ab") as f:
        f.write(b"\0")
    (copy / "02_legend.svg").unlink()
    assert make_figures.main(["--check", "--out", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "02_gate.png" in out and "02_legend.svg" in out
    assert "02_gate.svg" not in out  # unchanged files are not listed
    # Writing the figures repairs the folder.
    assert make_figures.main(["--out", str(copy)]) == 0
    for name in ("02_gate.png", "02_legend.svg"):
        assert (copy / name).read_bytes() == (ROOT / "imgs" / name).read_bytes()


def test_every_figure_has_two_files_and_alt_text():
    assert set(ALT_TEXT) == set(FIGURES)
    for name, text in ALT_TEXT.items():
        assert text.endswith(".") and text.count(". ") == 0, f"ALT_TEXT[{name!r}] should be one sentence"
        for ext in ("svg", "png"):
            assert (ROOT / "imgs" / f"{name}.{ext}").is_file()
    assert {p.stem for p in (ROOT / "imgs").glob("*.png")} == set(FIGURES), "a file of imgs/ has no code"


# --- each figure ---------------------------------------------------------------------------------------------
def _label_boxes(fig: Figure) -> list[tuple[str, object]]:
    """Every visible label of ``fig`` with its extent in pixels (the chip's box where it has one)."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text():
            continue
        patch = text.get_bbox_patch()
        if patch is not None:
            text.update_bbox_position_size(renderer)
            boxes.append((text.get_text(), patch.get_window_extent(renderer)))
        else:
            boxes.append((text.get_text(), text.get_window_extent(renderer)))
    return boxes


def _assert_clean(fig: Figure) -> None:
    """Legible at notebook width, every label inside the figure, no two labels overlapping."""
    width, _ = fig.get_size_inches()
    assert width <= 7.2, f"{width} inches is wider than a notebook page"
    fig.canvas.draw()
    page = fig.bbox
    boxes = _label_boxes(fig)
    for text, box in boxes:
        inside = box.x0 >= page.x0 - 0.5 and box.x1 <= page.x1 + 0.5
        assert inside and box.y0 >= page.y0 - 0.5 and box.y1 <= page.y1 + 0.5, f"{text!r} is cut off"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        overlap_x = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        overlap_y = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        assert min(overlap_x, overlap_y) <= 0.5, f"labels {a!r} and {b!r} overlap"


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_drawn_cleanly_with_a_title(name):
    fig = FIGURES[name]()
    assert isinstance(fig, Figure)
    assert fig.get_suptitle(), f"{name} has no title"
    _assert_clean(fig)


def test_figures_share_one_style():
    """One font size for labels and one stroke weight for every line and outline."""
    sizes, widths = set(), set()
    for name in ("01_vanilla_rnn", "02_lstm_chain", "02_legend", "02_gate"):
        fig = FIGURES[name]()
        sizes |= {t.get_fontsize() for t in fig.axes[0].texts}
        widths |= {p.get_linewidth() for p in fig.axes[0].patches if p.get_linewidth() > 0}
    assert len(widths) == 1
    assert sizes <= {10.5, 10.0, 9.5}  # labels; pointwise tanh; side notes of the gate


def test_steps_highlight_their_part_only():
    def layer_edges(fig: Figure) -> dict[str, bool]:
        """Which gate colours are drawn at full strength as the edge of a layer box."""
        edges = [p.get_edgecolor()[:3] for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
        full = {part: matplotlib.colors.to_rgb(PART_COLORS[part]) for part in ("forget", "input_gate", "output")}
        return {part: any(np.allclose(edge, rgb) for edge in edges) for part, rgb in full.items()}

    assert layer_edges(FIGURES["02_step1_forget_gate"]()) == {"forget": True, "input_gate": False, "output": False}
    assert layer_edges(FIGURES["02_step4_output_gate"]()) == {"forget": False, "input_gate": False, "output": True}
    assert layer_edges(FIGURES["02_lstm_chain"]()) == {"forget": True, "input_gate": True, "output": True}
    assert set().union(*STEPS.values()) <= set(GROUPS)


# --- live values ---------------------------------------------------------------------------------------------
def _labels(fig: Figure) -> set[str]:
    return {t.get_text() for t in fig.axes[0].texts}


def test_values_are_written_and_colour_the_layers():
    fig = draw_lstm_cell(values=VALUES)
    _assert_clean(fig)
    assert {"0.90", "0.10", "\u22120.40", "0.70", "1.20"} <= _labels(fig)

    def forget_fill(f_t: float) -> tuple[float, ...]:
        draw_lstm_cell(values={"f_t": f_t}, ax=fig.axes[0])
        rgb = matplotlib.colors.to_rgb(PART_COLORS["forget"])
        for p in fig.axes[0].patches:
            if isinstance(p, FancyBboxPatch) and np.allclose(p.get_edgecolor()[:3], rgb):
                return tuple(p.get_facecolor())
        raise AssertionError("no forget layer drawn")

    assert forget_fill(0.1) != forget_fill(0.9)


def test_redraw_on_the_same_axes_replaces_the_drawing():
    fig = draw_lstm_cell(values=VALUES)
    ax = fig.axes[0]
    counts = (len(ax.patches), len(ax.texts))
    for f_t in (0.0, 0.5, 1.0):
        assert draw_lstm_cell(values=dict(VALUES, f_t=f_t), ax=ax, title="live") is fig
    assert (len(ax.patches), len(ax.texts)) == counts
    assert len(fig.axes) == 1 and ax.get_title() == "live"
    assert f"{1.0:.2f}" in _labels(fig)
    assert render_png(fig).startswith(b"\x89PNG")


def test_values_accept_numbers_numpy_and_one_element_tensors():
    values = {"f_t": np.float32(0.25), "i_t": torch.tensor(0.5), "o_t": 1, "x_t": torch.tensor([[-3.0]])}
    assert check_values(values) == {"f_t": 0.25, "i_t": 0.5, "o_t": 1.0, "x_t": -3.0}
    assert check_values(None) == {}
    assert set(VALUES) == set(VALUE_KEYS)


@pytest.mark.parametrize(
    ("values", "error", "match"),
    [
        ({"f": 0.5}, ValueError, r"unknown key\(s\) 'f'.*expected keys from"),
        ({"f_t": float("nan")}, ValueError, r"values\['f_t'\] must be a finite number; got nan"),
        ({"C_t": float("inf")}, ValueError, "finite"),
        ({"f_t": 1.2}, ValueError, r"values\['f_t'\] is a gate.*\[0, 1\]; got 1.2"),
        ({"o_t": -0.1}, ValueError, r"\[0, 1\]"),
        ({"i_t": torch.tensor(2.0)}, ValueError, r"\[0, 1\]"),
        ({"C_tilde_t": -1.5}, ValueError, r"tanh and must lie in \[-1, 1\]; got -1.5"),
        ({"h_t": 1.01}, ValueError, r"\[-1, 1\]"),
        ({"f_t": "0.5"}, TypeError, "must be a real number"),
        ({"f_t": True}, TypeError, "must be a real number"),
        ({"x_t": torch.zeros(2)}, TypeError, "one-element tensor"),
        ([("f_t", 0.5)], TypeError, "values must be a dict"),
    ],
)
def test_values_reject_bad_input(values, error, match):
    with pytest.raises(error, match=match):
        draw_lstm_cell(values=values)


@pytest.mark.parametrize(
    ("highlight", "error", "match"),
    [
        ({"forget"}, ValueError, r"unknown part\(s\) \['forget'\]; expected names from"),
        ("forget_gate", TypeError, "collection of part names"),
    ],
)
def test_highlight_rejects_bad_input(highlight, error, match):
    with pytest.raises(error, match=match):
        draw_lstm_cell(highlight=highlight)


def test_show_figure_displays_with_alt_text(monkeypatch):
    import IPython.display

    from helpers.diagrams import ALT_TEXT, show_figure

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, metadata=None: shown.append((obj, metadata)))
    show_figure("01_vanilla_rnn")
    (fig, metadata), = shown
    assert metadata == {"image/png": {"alt": ALT_TEXT["01_vanilla_rnn"]}}
    assert type(fig).__name__ == "Figure" and fig.axes
    with pytest.raises(ValueError, match="unknown figure 'nope'; expected one of"):
        show_figure("nope")

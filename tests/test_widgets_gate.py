"""The gate explorer's numbers, text, figure and widget wiring, tested without a notebook."""

import base64
import math

import matplotlib.pyplot as plt
import pytest
import torch
from lstm_equations import lstm_step_plain

from helpers.diagrams import CELL_SIZE_IN
from helpers.style import SCREEN
from helpers.widget_fallback import fallback_bundle
from helpers.widgets_gate import GateSliders, cell_write, describe_write, draw_cell_write, draw_gate_sliders


@pytest.mark.parametrize(("z_f", "z_i", "z_C", "C_prev"), [(2.0, 0.0, 1.0, 1.0), (-3.0, 4.0, -2.0, -2.0), (0, 0, 0, 0)])
def test_cell_write_is_the_lstm_update(z_f, z_i, z_C, C_prev):
    w = cell_write(z_f, z_i, z_C, C_prev)
    assert w.f_t == pytest.approx(torch.sigmoid(torch.tensor(float(z_f), dtype=torch.float64)).item(), abs=1e-15)
    assert w.i_t == pytest.approx(1 / (1 + math.exp(-z_i)), abs=1e-15)
    assert w.C_tilde_t == pytest.approx(math.tanh(z_C), abs=1e-15)
    assert w.kept == pytest.approx(w.f_t * C_prev) and w.written == pytest.approx(w.i_t * w.C_tilde_t)
    # The same numbers as one unit of helpers.lstm's step whose weights are zero and biases are the z's.
    zero_w = torch.zeros(1, 2, dtype=torch.float64)
    bias = {
        name: torch.tensor([float(z)], dtype=torch.float64)
        for name, z in (("b_f", z_f), ("b_i", z_i), ("b_C", z_C), ("b_o", 0.0))
    }
    x = torch.zeros(1, 1, dtype=torch.float64)
    _, C_t, _ = lstm_step_plain(
        x,
        x,
        torch.tensor([[float(C_prev)]], dtype=torch.float64),
        W_f=zero_w,
        W_i=zero_w,
        W_C=zero_w,
        W_o=zero_w,
        **bias,
    )
    assert w.C_t == pytest.approx(C_t.item(), abs=1e-15)


def test_extreme_pre_activations_do_not_overflow():
    assert cell_write(1000.0, -1000.0, 1000.0, 1.0)[:3] == (1.0, 0.0, 1.0)


def test_describe_write():
    text = describe_write(cell_write(2.0, 0.0, 1.0, 1.0))
    assert text == (
        "f_t = σ(z_f) = 0.881: keeps f_t ⊙ C_(t-1) = 0.881 × 1 = 0.881\n"
        "i_t = σ(z_i) = 0.5, C̃_t = tanh(z_C) = 0.762: writes i_t ⊙ C̃_t = 0.381\n"
        "C_t = 0.881 + 0.381 = 1.26"
    )


def test_figure_shows_the_numbers():
    fig = draw_cell_write(-3.0, 4.0, -2.0, -2.0)
    w = cell_write(-3.0, 4.0, -2.0, -2.0)
    ax_f, ax_c = fig.axes
    assert ax_f.get_title() and ax_f.get_xlabel() and ax_f.get_ylabel() and ax_f.get_legend()
    assert ax_c.get_title() == "What reaches the cell state" and ax_c.get_xlabel()
    widths = [bar.get_width() for bar in ax_c.patches]
    assert widths == pytest.approx([w.C_prev, w.kept, w.written, w.C_t])
    marked = {line.get_label().split(" = ")[0]: line.get_ydata()[0] for line in ax_f.lines[2:]}
    assert marked == pytest.approx({"$f_t$": w.f_t, "$i_t$": w.i_t, r"$\tilde{C}_t$": w.C_tilde_t})
    plt.close(fig)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("2", 0.0, 0.0, 0.0), TypeError, "z_f must be a real number; got a str"),
        ((0.0, True, 0.0, 0.0), TypeError, "z_i must be a real number; got a bool"),
        ((0.0, 0.0, float("nan"), 0.0), ValueError, "z_C must be finite; got nan"),
        ((0.0, 0.0, 0.0, float("inf")), ValueError, "C_prev must be finite"),
    ],
)
def test_bad_input_is_rejected(args, error, match):
    with pytest.raises(error, match=match):
        cell_write(*args)


def test_explorer_follows_its_sliders():
    open_before = set(plt.get_fignums())  # figures other tests in this worker left open are not this test's
    explorer = GateSliders(z_f=2.0, z_i=0.0, z_C=1.0, C_prev=1.0)
    assert explorer.values() == {"z_f": 2.0, "C_prev": 1.0, "z_i": 0.0, "z_C": 1.0}
    assert "C_t = 0.881 + 0.381 = 1.26" in explorer.text.value
    first = bytes(explorer.image.value)
    assert first.startswith(b"\x89PNG")
    explorer.sliders["z_f"].value = -6.0  # moving a slider runs the callback
    assert "f_t = σ(z_f) = 0.00247" in explorer.text.value
    assert bytes(explorer.image.value) != first
    explorer.sliders["C_prev"].value = -2.0
    w = explorer.update()
    assert w == cell_write(-6.0, 0.0, 1.0, -2.0)
    assert explorer.widget.children[1:] == (explorer.text, explorer.image)
    opened = set(plt.get_fignums()) - open_before
    assert not opened, "the explorer leaves no pyplot figure open: a notebook would show it a second time"


def test_the_picture_holds_the_diagram_the_curves_and_the_bars_at_a_size_that_fits_the_screen():
    w = cell_write(-3.0, 4.0, -2.0, -2.0)
    fig = draw_gate_sliders(-3.0, 4.0, -2.0, -2.0)
    ax_cell, ax_f, ax_c = fig.axes
    assert ax_cell.get_title() == "The same numbers inside the cell"
    chips = {t.get_text() for t in ax_cell.texts}
    assert {f"{v:.2f}".replace("-", "\u2212") for v in (w.C_prev, w.f_t, w.i_t, w.C_tilde_t, w.C_t)} <= chips
    assert [bar.get_width() for bar in ax_c.patches] == pytest.approx([w.C_prev, w.kept, w.written, w.C_t])
    width, height = (fig.get_size_inches() * fig.dpi).round()
    assert width <= SCREEN.content_width and height <= 480, "the picture must leave room for the sliders"
    # the diagram's Axes has the size the diagram is drawn for, so that its labels fit
    box = ax_cell.get_position()
    assert (box.width * fig.get_size_inches()[0], box.height * fig.get_size_inches()[1]) == pytest.approx(CELL_SIZE_IN)
    assert draw_gate_sliders(1.0, 1.0, 1.0, 1.0, fig=fig) is fig  # redrawn in place
    assert [bar.get_width() for bar in fig.axes[2].patches] == pytest.approx(
        [1.0, cell_write(1, 1, 1, 1).kept, cell_write(1, 1, 1, 1).written, cell_write(1, 1, 1, 1).C_t]
    )


def test_the_stored_output_is_the_picture_and_a_sentence_not_a_repr():
    from IPython.core.formatters import DisplayFormatter

    explorer = GateSliders()
    data, metadata = fallback_bundle(bytes(explorer.image.value), explorer.widget.note, explorer.widget.model_id)
    assert data["text/plain"] == GateSliders.NOTE and "run the cells above" in data["text/plain"]
    assert base64.b64decode(data["image/png"]) == bytes(explorer.image.value)
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    assert metadata == {"image/png": {"width": 930, "height": 470}}
    assert explorer.image.layout.width == "930px" and explorer.image.layout.max_width == "100%"
    assert hasattr(explorer.widget, "_ipython_display_")  # what IPython calls to display it
    assert DisplayFormatter().format(explorer.widget) == ({}, {})  # ... instead of the default formats

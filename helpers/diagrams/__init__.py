"""The series' diagrams of recurrent cells, drawn by matplotlib in one style.

Each ``draw_*`` function returns a pyplot figure with a title (show it with ``plt.show()``, free it with
``plt.close(fig)``). They share one scale, one font, one stroke weight and a fixed colour per part of
the cell (:data:`helpers.style.PART_COLORS`). :data:`FIGURES` maps the file names under ``imgs/`` to the
functions that draw them (``NN_`` is the notebook that shows the figure) and :data:`ALT_TEXT`
describes each in one sentence; ``python tools/make_figures.py`` writes them all.

:func:`draw_lstm_cell` also colours the cell by the values of one unit, fast enough to redraw on every
move of a slider (about 0.1 s with :func:`render_png`)::

    fig = draw_lstm_cell(values={"f_t": 0.9, "i_t": 0.1, "C_tilde_t": -0.4, "o_t": 0.7})
    image = ipywidgets.Image(value=render_png(fig))
    plt.close(fig)  # shown through the Image widget only

    def redraw(f_t):  # on every change of a slider
        draw_lstm_cell(values={"f_t": f_t, "i_t": 0.1, "C_tilde_t": -0.4, "o_t": 0.7}, ax=fig.axes[0])
        image.value = render_png(fig)
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers.diagrams._gru import draw_gru_cell
from helpers.diagrams._lstm import (
    GROUPS,
    STEPS,
    VALUE_KEYS,
    Y_C,
    Y_H,
    H,
    W,
    check_highlight,
    check_values,
    draw_cell,
    draw_side_module,
)
from helpers.diagrams._pen import BUS, FONT_SIZE, INK, LAYER_H, OP_R, TOP, UNIT, X_IN, Pen, canvas, frame
from helpers.diagrams._rnn import draw_vanilla_rnn
from helpers.style import PART_COLORS
from helpers.validate import check_instance, check_positive, check_text

LEAD = 1.5  # length of the C and h lines outside a lone cell
CELL_XLIM = (-LEAD - 0.1, W + LEAD + 0.1)
CELL_YLIM = (X_IN - 0.2, H + TOP + 0.6)
#: The size, in inches, at which a lone cell is drawn (its title aside): an Axes given to draw_lstm_cell
#: should be this size, for its labels and numbers to fit.
CELL_SIZE_IN = (round((CELL_XLIM[1] - CELL_XLIM[0]) * UNIT, 2), round((CELL_YLIM[1] - CELL_YLIM[0]) * UNIT, 2))


def draw_lstm_cell(
    values: Mapping[str, object] | None = None,
    *,
    highlight: Iterable[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """One LSTM cell, optionally with some parts highlighted and coloured by the values of one unit.

    values: scalars keyed by any of ``x_t, h_prev, C_prev, f_t, i_t, C_tilde_t, o_t, C_t, h_t``; each
        layer's colour gets stronger with its output's size and the numbers are written on the wires.
        Gates must lie in [0, 1], C_tilde_t, h_prev and h_t in [-1, 1].
    highlight: names of parts (:data:`GROUPS`) drawn in colour, the rest faded; None: all in colour.
    ax: draw on this Axes (cleared first) instead of a new figure, e.g. ``fig.axes[0]`` of an earlier
        call, to redraw in an interactive explorer; then ``title``, if given, becomes the Axes' title.
    title: a str or None. Returns the figure drawn on.
    """
    vals = check_values(values)
    parts = check_highlight(highlight)
    check_text(title, "title", optional=True)
    if ax is not None:
        check_instance(ax, "ax", Axes, "a matplotlib Axes or None")
    if ax is None:
        fig, ax = canvas(CELL_XLIM, CELL_YLIM, title or "Inside an LSTM cell")
    else:
        ax.clear()
        frame(ax, CELL_XLIM, CELL_YLIM)
        if title:
            ax.set_title(title)
    draw_cell(Pen(ax), 0.0, highlight=parts, values=vals, lead_in=LEAD, lead_out=LEAD)
    return ax.figure


def render_png(fig: Figure, dpi: float | None = None) -> bytes:
    """``fig`` as PNG bytes, for an ``ipywidgets.Image`` that an explorer updates on every change.

    About three times faster than showing the figure again with ``display``, which trims it with
    ``bbox_inches="tight"`` and so lays out every label afresh; these figures need no trimming.
    fig: a matplotlib Figure; dpi: a positive number, or None for the figure's own.
    """
    check_instance(fig, "fig", Figure, "a matplotlib Figure")
    if dpi is not None:
        check_positive(dpi, "dpi")
    buffer = io.BytesIO()  # light compression: a third faster than the default, a few % larger
    fig.savefig(buffer, format="png", dpi=dpi if dpi is not None else "figure", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def draw_lstm_chain() -> Figure:
    """Three repeating LSTM modules in a row, the inside of the middle one shown."""
    side, gap, lead = 2.4, 1.6, 0.7
    x_mid = side + gap
    x_right = x_mid + W + gap
    fig, ax = canvas((-lead - 0.1, x_right + side + lead + 0.1), CELL_YLIM, "An LSTM: a chain of repeating modules")
    pen = Pen(ax)
    hidden, cell = PART_COLORS["hidden"], PART_COLORS["cell"]
    draw_side_module(pen, 0.0, side, "$x_{t-1}$", "$h_{t-1}$")
    draw_side_module(pen, x_right, side, "$x_{t+1}$", "$h_{t+1}$")
    draw_cell(pen, x_mid, lead_in=gap, lead_out=gap)
    for y, color in ((Y_C, cell), (Y_H, hidden)):
        pen.line([(-lead, y), (0.0, y)], color)
        pen.line([(x_right + side, y), (x_right + side + lead, y)], color)
    return fig


def draw_legend() -> Figure:
    """The five symbols of the cell diagrams, each with its name."""
    step = 2.9
    fig, ax = canvas((-1.7, 4 * step + 1.7), (-1.95, 0.95), "How to read the diagrams")
    pen = Pen(ax)
    pen.layer(0.0, 0.0, r"$\sigma$", PART_COLORS["baseline"])
    pen.op(step, 0.0, "x")
    pen.line([(2 * step - 0.9, 0.0), (2 * step + 0.9, 0.0)], INK)
    x = 3 * step  # concatenate: a vector from below merges into a vector from the left
    pen.line([(x - 0.9, 0.2), (x + 0.9, 0.2)], INK)
    pen.line([(x - 0.6, -0.45), (x - 0.6, 0.2), (x - 0.1, 0.2)], INK, arrow=False, curve=True)
    x = 4 * step  # copy: one vector goes two ways
    pen.line([(x - 0.9, -0.3), (x + 0.9, -0.3)], INK)
    pen.line([(x - 0.3, -0.3), (x - 0.3, 0.35), (x + 0.9, 0.35)], INK)
    pen.dot(x - 0.3, -0.3, INK)
    names = [
        "learned layer\n(σ or tanh)", "entry-by-entry\n⊙ or +", "a vector\nmoves on", "two vectors\njoined",
        "one vector,\nsent two ways",
    ]
    for k, name in enumerate(names):
        pen.text(k * step, -0.75, name, va="top")
    return fig


def draw_gate() -> Figure:
    """A gate: a sigmoid layer whose output, between 0 and 1, multiplies a vector pointwise."""
    fig, ax = canvas((-1.4, 11.6), (-1.5, 2.5), "A gate: a sigmoid layer and a pointwise multiplication")
    pen = Pen(ax)
    color = PART_COLORS["baseline"]
    y_line, x_mul, y_layer = 1.6, 2.4, 0.25
    pen.line([(-1.1, y_line), (x_mul - OP_R, y_line)], INK)
    pen.op(x_mul, y_line, "x")
    pen.line([(x_mul + OP_R, y_line), (x_mul + 2.3, y_line)], INK)
    pen.layer(x_mul, y_layer, r"$\sigma$", color)
    pen.line([(x_mul, y_layer + LAYER_H / 2), (x_mul, y_line - OP_R)], color)
    pen.line([(x_mul, -1.0), (x_mul, y_layer - LAYER_H / 2)], BUS)
    pen.text(-0.85, y_line + 0.35, "$v$")
    pen.text(x_mul + 2.0, y_line + 0.35, r"$g \odot v$")
    pen.text(x_mul + 0.2, (y_layer + y_line) / 2 + 0.05, r"$g \in (0, 1)$", ha="left")
    pen.text(x_mul - 0.2, -0.85, r"$[h_{t-1}, x_t]$", ha="right")
    notes = ["$g = 0$: nothing of $v$ passes", "$g = 1$: all of $v$ passes", "in between: a fraction passes"]
    for k, note in enumerate(notes):
        pen.text(x_mul + 3.0, 1.5 - 0.6 * k, note, ha="left", color="#555555", size=FONT_SIZE)
    return fig


def draw_cell_state() -> Figure:
    """The LSTM cell with the cell-state line highlighted: C_{t-1} to C_t through one x and one +."""
    return draw_lstm_cell(highlight=STEPS["cell_state"], title="The cell state runs along the top of the cell")


def draw_step_forget() -> Figure:
    """Step 1: the forget gate f_t = sigma(W_f [h_{t-1}, x_t] + b_f) highlighted."""
    return draw_lstm_cell(highlight=STEPS["forget"], title="Step 1: the forget gate $f_t$")


def draw_step_input() -> Figure:
    """Step 2: the input gate i_t and the candidate values C_tilde_t highlighted."""
    title = r"Step 2: the input gate $i_t$ and the candidates $\tilde{C}_t$"
    return draw_lstm_cell(highlight=STEPS["input"], title=title)


def draw_step_update() -> Figure:
    """Step 3: the cell-state update C_t = f_t * C_{t-1} + i_t * C_tilde_t highlighted."""
    return draw_lstm_cell(highlight=STEPS["update"], title="Step 3: update the cell state to $C_t$")


def draw_step_output() -> Figure:
    """Step 4: the output gate o_t and the hidden state h_t = o_t * tanh(C_t) highlighted."""
    title = "Step 4: the output gate $o_t$ and the output $h_t$"
    return draw_lstm_cell(highlight=STEPS["output"], title=title)


FIGURES: dict[str, Callable[[], Figure]] = {
    "01_vanilla_rnn": draw_vanilla_rnn,
    "02_lstm_chain": draw_lstm_chain,
    "02_legend": draw_legend,
    "02_cell_state": draw_cell_state,
    "02_gate": draw_gate,
    "02_step1_forget_gate": draw_step_forget,
    "02_step2_input_gate": draw_step_input,
    "02_step3_cell_update": draw_step_update,
    "02_step4_output_gate": draw_step_output,
    "07_gru_cell": draw_gru_cell,
}
"""Every figure of the series by file name (``imgs/NAME.svg`` and ``.png``); NN is the notebook."""

ALT_TEXT: dict[str, str] = {
    "01_vanilla_rnn": (
        "A vanilla RNN drawn as one module whose tanh layer reads x_t and h_{t-1} and whose output h_t "
        "loops back into it, then the same module unrolled over three time steps, each passing its "
        "hidden state h up as output and right to the next step."
    ),
    "02_lstm_chain": (
        "Three LSTM modules in a row, the middle one opened: the cell state C runs along the top through a "
        "multiplication and an addition, the hidden state h along the bottom, and four layers (sigma, "
        "sigma, tanh, sigma) read h_{t-1} joined with x_t to produce f_t, i_t, C~_t and o_t."
    ),
    "02_legend": (
        "The five symbols of the diagrams: a box for a learned layer (weights, then sigma or tanh), a "
        "circle for an entry-by-entry multiplication or addition, an arrow for a vector moving on, two "
        "lines merging for two vectors joined, and one line splitting in two for a vector sent two ways."
    ),
    "02_cell_state": (
        "The LSTM cell with only the cell-state line in colour: C_{t-1} runs straight across the top, "
        "meets one multiplication and one addition, and leaves as C_t."
    ),
    "02_gate": (
        "A gate: a sigmoid layer reads [h_{t-1}, x_t] and outputs g between 0 and 1, which multiplies a "
        "vector v pointwise, so that 0 lets nothing through and 1 lets everything through."
    ),
    "02_step1_forget_gate": (
        "The LSTM cell with the forget gate in colour: h_{t-1} and x_t enter a sigmoid layer whose output "
        "f_t goes up to multiply the old cell state C_{t-1}."
    ),
    "02_step2_input_gate": (
        "The LSTM cell with the input gate and the candidate layer in colour: a sigmoid layer gives i_t, a "
        "tanh layer gives the candidate values C~_t, and the two are multiplied."
    ),
    "02_step3_cell_update": (
        "The LSTM cell with the cell-state update in colour: C_{t-1} is multiplied by f_t, then i_t times "
        "C~_t is added, giving the new cell state C_t."
    ),
    "02_step4_output_gate": (
        "The LSTM cell with the output in colour: a sigmoid layer gives o_t, the new cell state C_t goes "
        "through tanh, and their product is the new hidden state h_t, sent right and up."
    ),
    "07_gru_cell": (
        "A GRU cell: one state h runs along the top; a sigmoid layer gives the reset gate r_t, which "
        "multiplies h_{t-1} before a tanh layer reads it with x_t to give the candidate h~_t; a second "
        "sigmoid layer gives the update gate z_t, which multiplies h_{t-1}, while 1 - z_t multiplies the "
        "candidate, and the two products are added into h_t."
    ),
}
"""One sentence describing each figure of :data:`FIGURES`, for the notebooks' alt text."""



def show_figure(name: str) -> None:
    """Draw figure ``name`` of :data:`FIGURES` and display it in the notebook with its alt text.

    The alt text travels in the output's metadata (``{"image/png": {"alt": ...}}``), where nbconvert's
    HTML export puts it on the ``<img>``; the figure is closed afterwards, so it is shown once.
    name: a key of :data:`FIGURES`.
    """
    if check_text(name, "name") not in FIGURES:
        raise ValueError(f"name: unknown figure {name!r}; expected one of {sorted(FIGURES)}")
    from IPython.display import display

    fig = FIGURES[name]()
    display(fig, metadata={"image/png": {"alt": ALT_TEXT[name]}})
    plt.close(fig)


__all__ = [
    "ALT_TEXT",
    "CELL_SIZE_IN",
    "FIGURES",
    "GROUPS",
    "STEPS",
    "VALUE_KEYS",
    "check_highlight",
    "check_values",
    "draw_cell_state",
    "draw_gate",
    "draw_gru_cell",
    "draw_legend",
    "draw_lstm_cell",
    "draw_lstm_chain",
    "draw_step_forget",
    "draw_step_input",
    "draw_step_output",
    "draw_step_update",
    "draw_vanilla_rnn",
    "render_png",
    "show_figure",
]

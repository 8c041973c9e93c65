"""Widget: an interactive look at how the forget and input gates decide what reaches the cell state.

For one unit of the cell, with the gates' pre-activations z (the numbers that go into σ or tanh):

    f_t = σ(z_f),  i_t = σ(z_i),  C̃_t = tanh(z_C),  C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t

:func:`cell_write` computes these numbers, :func:`describe_write` says them in one line,
:func:`draw_cell_write` plots them, and :class:`GateSliders` wires them, with the LSTM cell diagram
(:func:`draw_gate_sliders`), to sliders (ipywidgets 7.7 and 8, no ipympl: each move redraws one PNG image).
"""

from __future__ import annotations

import html
import math
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.diagrams import CELL_SIZE_IN, draw_lstm_cell, render_png
from helpers.style import DPI, PART_COLORS
from helpers.validate import InputTypeError, check_instance
from helpers.widget_fallback import picture_box

#: The sliders' ranges: pre-activations in [-6, 6], where σ and tanh have saturated; C_{t-1} in [-2, 2].
Z_RANGE = (-6.0, 6.0)
C_RANGE = (-2.0, 2.0)
BAR_LIMIT = 3.0  # |C_t| <= |C_{t-1}| + 1 <= 3 over the sliders' ranges


class CellWrite(NamedTuple):
    """The numbers of one unit on the cell-state line, all plain floats."""

    f_t: float  # forget gate, σ(z_f)
    i_t: float  # input gate, σ(z_i)
    C_tilde_t: float  # candidate, tanh(z_C)
    C_prev: float  # C_{t-1}
    kept: float  # f_t ⊙ C_{t-1}
    written: float  # i_t ⊙ C̃_t
    C_t: float  # kept + written


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InputTypeError(f"{name} must be a real number; got a {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}")
    return float(value)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def cell_write(z_f: float, z_i: float, z_C: float, C_prev: float) -> CellWrite:
    """What one unit keeps of C_{t-1} and writes into C_t, from the three pre-activations and C_{t-1}.

    z_f, z_i, z_C, C_prev: finite real numbers (Python or numpy).
    """
    z_f, z_i, z_C = (_number(v, n) for v, n in ((z_f, "z_f"), (z_i, "z_i"), (z_C, "z_C")))
    C_prev = _number(C_prev, "C_prev")
    f_t, i_t, C_tilde_t = _sigmoid(z_f), _sigmoid(z_i), math.tanh(z_C)
    kept, written = f_t * C_prev, i_t * C_tilde_t
    return CellWrite(f_t, i_t, C_tilde_t, C_prev, kept, written, kept + written)


def describe_write(w: CellWrite) -> str:
    """One line per equation with the numbers filled in, at 3 significant digits. w: a :class:`CellWrite`."""
    check_instance(w, "w", CellWrite, "a CellWrite (from cell_write)")
    return "\n".join(
        [
            f"f_t = σ(z_f) = {w.f_t:.3g}: keeps f_t ⊙ C_(t-1) = {w.f_t:.3g} × {w.C_prev:.3g} = {w.kept:.3g}",
            f"i_t = σ(z_i) = {w.i_t:.3g}, C̃_t = tanh(z_C) = {w.C_tilde_t:.3g}: writes i_t ⊙ C̃_t = {w.written:.3g}",
            f"C_t = {w.kept:.3g} + {w.written:.3g} = {w.C_t:.3g}",
        ]
    )


def _draw_squash(ax: Axes, w: CellWrite, z_f: float, z_i: float, z_C: float) -> None:
    """σ and tanh over the sliders' range, the three gate values marked on them, the curves named on the plot."""
    z = np.linspace(*Z_RANGE, 241)
    ax.plot(z, 1 / (1 + np.exp(-z)), color=PART_COLORS["baseline"])
    ax.plot(z, np.tanh(z), color=PART_COLORS["baseline"], ls="--")
    ax.text(Z_RANGE[1], 0.82, "σ(z), gates", ha="right", va="top", color=PART_COLORS["baseline"])
    ax.text(Z_RANGE[0], -0.8, "tanh(z), candidate", ha="left", va="bottom", color=PART_COLORS["baseline"])
    marks = [
        (z_f, w.f_t, "forget", "$f_t$"),
        (z_i, w.i_t, "input_gate", "$i_t$"),
        (z_C, w.C_tilde_t, "candidate", r"$\tilde{C}_t$"),
    ]
    for z_value, y, part, label in marks:
        ax.plot([z_value], [y], "o", ms=9, color=PART_COLORS[part], label=f"{label} = {y:.2f}")
    # Headroom above 1 for the legend: a marker under it would need z < -2.5, where σ < 0.08 and tanh < -0.98.
    ax.set(title="Squashing the pre-activations", xlabel="pre-activation z", ylabel="activation", ylim=(-1.2, 1.55))
    ax.set_yticks([-1, 0, 1])
    ax.legend(loc="upper left", handletextpad=0.2, borderaxespad=0.2, labelspacing=0.25)


def _draw_bars(ax: Axes, w: CellWrite) -> None:
    """C_{t-1}, what is kept of it, what is written, and C_t, as horizontal bars with their values."""
    rows = [
        (r"$C_{t-1}$ old", w.C_prev, PART_COLORS["baseline"]),
        (r"$f_t \cdot C_{t-1}$ kept", w.kept, PART_COLORS["forget"]),
        (r"$i_t \cdot \tilde{C}_t$ written", w.written, PART_COLORS["input_gate"]),
        (r"$C_t$ new", w.C_t, PART_COLORS["cell"]),
    ]
    positions = np.arange(len(rows))[::-1]
    ax.barh(positions, [r[1] for r in rows], color=[r[2] for r in rows], height=0.6)
    for y, (_, value, _) in zip(positions, rows, strict=True):
        ax.text(value + (0.08 if value >= 0 else -0.08), y, f"{value:.2f}", va="center",
                ha="left" if value >= 0 else "right")
    ax.set_yticks(positions, [r[0] for r in rows])
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set(title="What reaches the cell state", xlabel="value of one unit", xlim=(-BAR_LIMIT, BAR_LIMIT))
    ax.grid(axis="y", visible=False)


def draw_cell_write(z_f: float, z_i: float, z_C: float, C_prev: float) -> Figure:
    """Left: σ and tanh with the three gate values marked. Right: C_{t-1}, what is kept, what is written, C_t.

    Returns a new pyplot figure, 9.0 inches wide (under helpers.style.MAX_FIGURE_WIDTH_IN); show it with
    ``plt.show()`` (or ``display``), free it with ``plt.close``. Arguments as :func:`cell_write`.
    """
    w = cell_write(z_f, z_i, z_C, C_prev)
    fig, (ax_f, ax_c) = plt.subplots(1, 2, figsize=(9.0, 3.4))
    fig.subplots_adjust(left=0.08, right=0.97, bottom=0.17, top=0.9, wspace=0.62)
    _draw_squash(ax_f, w, z_f, z_i, z_C)
    _draw_bars(ax_c, w)
    return fig


#: The sliders' picture, in inches: the cell diagram at its own size on the left, the curves above the bars
#: on the right; 930 x 470 pixels, so that sliders, text and picture fit one 1366 x 768 screen together.
PICTURE_IN = (9.3, 4.7)
DIAGRAM_TITLE = "The same numbers inside the cell"


def draw_gate_sliders(z_f: float, z_i: float, z_C: float, C_prev: float, fig: Figure | None = None) -> Figure:
    """The picture of :class:`GateSliders`: the LSTM cell coloured by the numbers, the curves and the bars.

    z_f, z_i, z_C, C_prev: as :func:`cell_write`. fig: a figure made by an earlier call, redrawn in place
    (faster than a new one); None makes a new figure (not a pyplot one: nothing to close, it shows through
    ``render_png``).
    """
    w = cell_write(z_f, z_i, z_C, C_prev)
    if fig is not None:
        check_instance(fig, "fig", Figure, "a Figure from an earlier draw_gate_sliders")
        if len(fig.axes) != 3:
            raise ValueError(f"fig must come from an earlier draw_gate_sliders (3 Axes); got {len(fig.axes)} Axes")
    if fig is None:
        fig = Figure(figsize=PICTURE_IN, dpi=DPI)
        FigureCanvasAgg(fig)
        width, height = PICTURE_IN
        diagram_w, diagram_h = CELL_SIZE_IN
        left = 0.0
        bottom = (height - diagram_h) / 2
        fig.add_axes((left / width, bottom / height, diagram_w / width, diagram_h / height))
        right_x, right_w = 6.55, 2.6  # room on the left of the bars for their labels
        fig.add_axes((5.25 / width, 2.75 / height, (right_x + right_w - 5.25) / width, 1.6 / height))
        fig.add_axes((right_x / width, 0.55 / height, right_w / width, 1.4 / height))
    ax_cell, ax_f, ax_c = fig.axes
    values = {"C_prev": w.C_prev, "f_t": w.f_t, "i_t": w.i_t, "C_tilde_t": w.C_tilde_t, "C_t": w.C_t}
    draw_lstm_cell(values=values, highlight={"cell_update"}, ax=ax_cell, title=DIAGRAM_TITLE)
    ax_f.clear()
    _draw_squash(ax_f, w, z_f, z_i, z_C)
    ax_c.clear()
    _draw_bars(ax_c, w)
    return fig


class GateSliders:
    """Four sliders (z_f, C_{t-1}, z_i, z_C), the equations with their numbers, and one picture they move.

    ``GateSliders().widget`` is the box to display: sliders, text and picture fit a 1366 x 768 screen
    together (``helpers.style.SCREEN``). Moving a slider calls :meth:`update`, which rewrites :attr:`text`
    and redraws :func:`draw_gate_sliders` into :attr:`image`, a PNG in an ``ipywidgets.Image`` shown at its
    natural size (no interactive matplotlib backend needed). Before the notebook runs, the stored output
    shows that picture and a sentence instead of the widget (:func:`helpers.widget_fallback.picture_box`).
    The starting values must lie on the sliders: z_f, z_i, z_C in [-6, 6] (:data:`Z_RANGE`), C_prev in
    [-2, 2] (:data:`C_RANGE`).
    """

    NOTE = "Interactive gate sliders: run the cells above to move them. The picture shows their first values."

    def __init__(self, z_f: float = 2.0, z_i: float = 0.0, z_C: float = 1.0, C_prev: float = 1.0) -> None:
        import ipywidgets as widgets  # imported here so that helpers imports without a notebook

        for name, value, bounds in (("z_f", z_f, Z_RANGE), ("z_i", z_i, Z_RANGE), ("z_C", z_C, Z_RANGE),
                                    ("C_prev", C_prev, C_RANGE)):
            if not bounds[0] <= _number(value, name) <= bounds[1]:
                raise ValueError(f"{name} must lie on its slider, in [{bounds[0]:g}, {bounds[1]:g}]; got {value!r}")

        def slider(value: float, bounds: tuple[float, float], description: str) -> widgets.FloatSlider:
            return widgets.FloatSlider(
                value=value,
                min=bounds[0],
                max=bounds[1],
                step=0.1,
                description=description,
                continuous_update=False,
                readout_format=".1f",
                style={"description_width": "8.5em"},
                layout=widgets.Layout(width="440px"),  # two columns of 440 px fit the 934 px of a cell's output
            )

        self.sliders = {
            "z_f": slider(z_f, Z_RANGE, "z_f (forget)"),
            "C_prev": slider(C_prev, C_RANGE, "C_(t-1)"),
            "z_i": slider(z_i, Z_RANGE, "z_i (input)"),
            "z_C": slider(z_C, Z_RANGE, "z_C (candidate)"),
        }
        self.text = widgets.HTML()
        self.image = widgets.Image(format="png")
        self._fig: Figure | None = None
        columns = [
            widgets.VBox([self.sliders["z_f"], self.sliders["C_prev"]]),
            widgets.VBox([self.sliders["z_i"], self.sliders["z_C"]]),
        ]
        self.update()
        self.widget = picture_box([widgets.HBox(columns), self.text, self.image], self.image, self.NOTE)
        for s in self.sliders.values():
            s.observe(self.update, names="value")

    def values(self) -> dict[str, float]:
        """The sliders' current values by name: z_f, C_prev, z_i, z_C."""
        return {name: float(s.value) for name, s in self.sliders.items()}

    def update(self, change: object = None) -> CellWrite:
        """Recompute from the sliders, rewrite the text, redraw the picture; returns the numbers."""
        w = cell_write(**self.values())
        self.text.value = "<pre style='margin: 0'>" + html.escape(describe_write(w)) + "</pre>"
        self._fig = draw_gate_sliders(**self.values(), fig=self._fig)
        self.image.value = render_png(self._fig)
        return w

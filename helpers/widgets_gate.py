"""Widget: an interactive look at how the forget and input gates decide what reaches the cell state.

For one unit of the cell, with the gates' pre-activations z (the numbers that go into σ or tanh):

    f_t = σ(z_f),  i_t = σ(z_i),  C̃_t = tanh(z_C),  C_t = f_t * C_{t-1} + i_t * C̃_t

:func:`cell_write` computes these numbers, :func:`describe_write` says them in one line,
:func:`draw_cell_write` plots them, and :class:`GateSliders` wires the three to sliders
(ipywidgets 7.7 and 8, no ipympl: each move redraws PNG images).
"""

from __future__ import annotations

import html
import math
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from helpers.diagrams import draw_lstm_cell, render_png
from helpers.style import PART_COLORS
from helpers.validate import InputTypeError, check_instance

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
    kept: float  # f_t * C_{t-1}
    written: float  # i_t * C̃_t
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
            f"f_t = σ(z_f) = {w.f_t:.3g}: keeps f_t * C_(t-1) = {w.f_t:.3g} * {w.C_prev:.3g} = {w.kept:.3g}",
            f"i_t = σ(z_i) = {w.i_t:.3g}, C̃_t = tanh(z_C) = {w.C_tilde_t:.3g}: writes i_t * C̃_t = {w.written:.3g}",
            f"C_t = {w.kept:.3g} + {w.written:.3g} = {w.C_t:.3g}",
        ]
    )


def draw_cell_write(z_f: float, z_i: float, z_C: float, C_prev: float) -> Figure:
    """Left: σ and tanh with the three gate values marked. Right: C_{t-1}, what is kept, what is written, C_t.

    Returns a new pyplot figure; show it with ``plt.show()`` (or ``display``), free it with ``plt.close``.
    Arguments as :func:`cell_write`.
    """
    w = cell_write(z_f, z_i, z_C, C_prev)
    fig, (ax_f, ax_c) = plt.subplots(1, 2, figsize=(9.0, 3.4))
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.91, wspace=0.55)  # fixed: fast to redraw
    z = np.linspace(*Z_RANGE, 241)
    ax_f.plot(z, 1 / (1 + np.exp(-z)), color=PART_COLORS["baseline"], label="σ(z), gates")
    ax_f.plot(z, np.tanh(z), color=PART_COLORS["baseline"], ls="--", label="tanh(z), candidate")
    marks = [
        (z_f, w.f_t, "forget", "$f_t$"),
        (z_i, w.i_t, "input_gate", "$i_t$"),
        (z_C, w.C_tilde_t, "candidate", r"$\tilde{C}_t$"),
    ]
    for z_value, y, part, label in marks:
        ax_f.plot([z_value], [y], "o", ms=8, color=PART_COLORS[part], label=f"{label} = {y:.2f}")
    ax_f.set(title="Squashing the pre-activations", xlabel="pre-activation z", ylabel="activation", ylim=(-1.1, 1.1))
    ax_f.legend(loc="upper left", fontsize=8)

    rows = [
        (r"$C_{t-1}$ (old)", w.C_prev, PART_COLORS["baseline"]),
        (r"$f_t \cdot C_{t-1}$ (kept)", w.kept, PART_COLORS["forget"]),
        (r"$i_t \cdot \tilde{C}_t$ (written)", w.written, PART_COLORS["input_gate"]),
        (r"$C_t$ (new)", w.C_t, PART_COLORS["cell"]),
    ]
    positions = np.arange(len(rows))[::-1]
    ax_c.barh(positions, [r[1] for r in rows], color=[r[2] for r in rows], height=0.6)
    for y, (_, value, _) in zip(positions, rows, strict=True):
        ax_c.text(
            value + (0.08 if value >= 0 else -0.08),
            y,
            f"{value:.2f}",
            va="center",
            ha="left" if value >= 0 else "right",
            fontsize=9,
        )
    ax_c.set_yticks(positions, [r[0] for r in rows])
    ax_c.axvline(0, color="#555555", lw=0.8)
    ax_c.set(title="What reaches the cell state", xlabel="value of one unit", xlim=(-BAR_LIMIT, BAR_LIMIT))
    ax_c.grid(axis="y", visible=False)
    return fig


class GateSliders:
    """Four sliders (z_f, C_{t-1}, z_i, z_C), the equations with their numbers, and two pictures.

    ``GateSliders().widget`` is the box to display. Moving a slider calls :meth:`update`, which
    rewrites :attr:`text`, redraws the curves and bars into :attr:`image` and the LSTM cell, coloured
    by the same numbers, into :attr:`cell_image`. The pictures are PNG bytes in ``ipywidgets.Image``
    widgets, so they need no interactive matplotlib backend. The starting values must lie on the sliders:
    z_f, z_i, z_C in [-6, 6] (:data:`Z_RANGE`), C_prev in [-2, 2] (:data:`C_RANGE`).
    """

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
                style={"description_width": "initial"},
            )

        self.sliders = {
            "z_f": slider(z_f, Z_RANGE, "z_f (forget)"),
            "C_prev": slider(C_prev, C_RANGE, "C_(t-1)"),
            "z_i": slider(z_i, Z_RANGE, "z_i (input)"),
            "z_C": slider(z_C, Z_RANGE, "z_C (candidate)"),
        }
        self.text = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.cell_image = widgets.Image(format="png")
        self._cell_fig = draw_lstm_cell(title="The same numbers inside the cell")
        plt.close(self._cell_fig)  # shown through cell_image only; redrawn in place by update()
        columns = [
            widgets.VBox([self.sliders["z_f"], self.sliders["C_prev"]]),
            widgets.VBox([self.sliders["z_i"], self.sliders["z_C"]]),
        ]
        self.widget = widgets.VBox([widgets.HBox(columns), self.text, self.image, self.cell_image])
        self.update()
        for s in self.sliders.values():
            s.observe(self.update, names="value")

    def values(self) -> dict[str, float]:
        """The sliders' current values by name: z_f, C_prev, z_i, z_C."""
        return {name: float(s.value) for name, s in self.sliders.items()}

    def update(self, change: object = None) -> CellWrite:
        """Recompute from the sliders, rewrite the text, redraw both pictures; returns the numbers."""
        w = cell_write(**self.values())
        self.text.value = "<pre>" + html.escape(describe_write(w)) + "</pre>"
        fig = draw_cell_write(**self.values())
        self.image.value = render_png(fig)
        plt.close(fig)
        values = {"C_prev": w.C_prev, "f_t": w.f_t, "i_t": w.i_t, "C_tilde_t": w.C_tilde_t, "C_t": w.C_t}
        draw_lstm_cell(values=values, highlight={"cell_update"}, ax=self._cell_fig.axes[0])
        self.cell_image.value = render_png(self._cell_fig)
        return w

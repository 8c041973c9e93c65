"""The series' diagrams of recurrent cells, drawn with matplotlib in one style.

Every function returns a :class:`matplotlib.figure.Figure` (or draws on a given Axes). All figures share
one scale (``UNIT`` inches per drawing unit), one font, one stroke weight and one colour per part of the
cell, taken from :data:`helpers.style.PART_COLORS`. ``tools/make_figures.py`` writes them to ``imgs/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from helpers.style import PART_COLORS

# --- style -------------------------------------------------------------------------------------------
UNIT = 0.40  # inches per drawing unit: the same in every figure, so boxes and text keep one size
STROKE = 1.5  # points: every line, arrow and outline
FONT_SIZE = 10.5  # points: every label
ARROW = "-|>,head_length=0.45,head_width=0.22"
INK = "#222222"  # outlines, symbols and text
MODULE_FILL = "#F3F3F3"
MODULE_EDGE = "#9A9A9A"
BUS = "#555555"  # the concatenated [h_{t-1}, x_t] vector
FADE = 0.82  # how far a faded element is mixed towards white
LAYER_W, LAYER_H = 1.0, 0.52  # a neural-network layer
OP_R = 0.21  # radius of a pointwise operation
TANH_W, TANH_H = 0.78, 0.4  # the pointwise tanh


def _mix(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` mixed towards white by ``amount`` (0 keeps it, 1 gives white)."""
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


@dataclass(frozen=True)
class _Pen:
    """Draws the primitives of every diagram on one Axes in drawing units."""

    ax: Axes

    def _ink(self, color: str, on: bool) -> tuple[float, float, float]:
        return to_rgb(color) if on else _mix(color, FADE)

    def line(
        self,
        points: Sequence[tuple[float, float]],
        color: str = INK,
        *,
        on: bool = True,
        arrow: bool = True,
        halo: bool = False,
        z: float = 2,
        curve: bool = False,
    ) -> None:
        """A vector transfer along ``points`` (a polyline, or one quadratic curve when ``curve``)."""
        codes = [Path.MOVETO] + [Path.CURVE3 if curve else Path.LINETO] * (len(points) - 1)
        effects = [patheffects.Stroke(linewidth=STROKE + 5, foreground="white"), patheffects.Normal()]
        patch = FancyArrowPatch(
            path=Path(points, codes),
            arrowstyle=ARROW if arrow else "-",
            mutation_scale=12,
            linewidth=STROKE,
            color=self._ink(color, on),
            joinstyle="miter",
            capstyle="butt",
            zorder=z,
            path_effects=effects if halo else None,
        )
        self.ax.add_patch(patch)

    def dot(self, x: float, y: float, color: str = INK, *, on: bool = True) -> None:
        """The point where a vector is copied."""
        self.ax.add_patch(Circle((x, y), 0.065, color=self._ink(color, on), zorder=4, linewidth=0))

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str | tuple[float, float, float],
        edge: str | tuple[float, float, float],
        rounding: float,
        z: float = 3,
    ) -> None:
        """A rounded box centred on (x, y)."""
        pad = min(rounding, w / 2, h / 2)
        self.ax.add_patch(
            FancyBboxPatch(
                (x - w / 2 + pad, y - h / 2 + pad),
                w - 2 * pad,
                h - 2 * pad,
                boxstyle=f"round,pad={pad},rounding_size={pad}",
                facecolor=fill,
                edgecolor=edge,
                linewidth=STROKE,
                zorder=z,
            )
        )

    def text(
        self,
        x: float,
        y: float,
        s: str,
        *,
        on: bool = True,
        color: str = INK,
        ha: str = "center",
        va: str = "center",
        size: float = FONT_SIZE,
        z: float = 6,
        weight: str = "normal",
    ) -> None:
        self.ax.text(
            x, y, s, ha=ha, va=va, fontsize=size, color=self._ink(color, on), zorder=z, fontweight=weight
        )

    def layer(
        self, x: float, y: float, label: str, color: str, *, on: bool = True, level: float = 0.28
    ) -> None:
        """A neural-network layer: a filled box; ``level`` (0..1) sets how strong its colour is."""
        fill = _mix(color, 1 - level) if on else _mix(color, 1 - level * (1 - FADE))
        self.box(x, y, LAYER_W, LAYER_H, fill=fill, edge=self._ink(color, on), rounding=0.06)
        self.text(x, y, label, on=on)

    def op(self, x: float, y: float, symbol: str, *, on: bool = True) -> None:
        """A pointwise operation: ``"x"`` (multiply), ``"+"`` or ``"tanh"``."""
        edge = self._ink(INK, on)
        if symbol == "tanh":
            self.box(x, y, TANH_W, TANH_H, fill="white", edge=edge, rounding=TANH_H / 2, z=5)
            self.text(x, y, "tanh", on=on)
            return
        self.ax.add_patch(Circle((x, y), OP_R, facecolor="white", edgecolor=edge, linewidth=STROKE, zorder=5))
        self.text(x, y - (0.01 if symbol == "+" else 0.0), "$\\times$" if symbol == "x" else "$+$", on=on)

    def module(self, x0: float, y0: float, w: float, h: float, *, on: bool = True) -> None:
        """The outline of one repeating module, lower-left corner (x0, y0)."""
        fill = MODULE_FILL if on else _mix(MODULE_FILL, 0.5)
        edge = self._ink(MODULE_EDGE, on)
        self.box(x0 + w / 2, y0 + h / 2, w, h, fill=fill, edge=edge, rounding=0.25, z=0)


def _canvas(xlim: tuple[float, float], ylim: tuple[float, float], title: str) -> tuple[Figure, Axes]:
    """A figure whose Axes spans ``xlim`` x ``ylim`` drawing units at ``UNIT`` inches per unit."""
    title_in = 0.4
    w = (xlim[1] - xlim[0]) * UNIT
    h = (ylim[1] - ylim[0]) * UNIT
    fig = Figure(figsize=(w, h + title_in))
    ax = fig.add_axes((0, 0, 1, h / (h + title_in)))
    _frame(ax, xlim, ylim)
    fig.suptitle(title, y=1 - 0.08 / (h + title_in), va="top", fontsize=11, fontweight="bold")
    return fig, ax


def _frame(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()


# --- the vanilla RNN -----------------------------------------------------------------------------------
RNN_W, RNN_H = 2.4, 2.4  # one RNN module
RNN_Y_H = 0.55  # height at which h enters and leaves
RNN_X_CAT = 0.5  # where x_t joins h_{t-1}
RNN_X_OUT = 1.9  # where h_t is copied up and to the right


def _rnn_module(
    pen: _Pen, x0: float, x_label: str, h_label: str | None, *, right_exit: bool = True, lead: float = 0.0
) -> None:
    """One vanilla RNN module with lower-left corner (x0, 0): h_t = tanh(W [h_{t-1}, x_t] + b).

    ``lead`` draws the incoming h line that many units left of the module; ``right_exit`` draws the
    outgoing h line up to the module's right edge.
    """
    hidden, inp = PART_COLORS["hidden"], PART_COLORS["input"]
    pen.module(x0, 0, RNN_W, RNN_H)
    ly = 1.3  # the tanh layer's centre height
    lx = x0 + 1.2
    if lead:
        pen.line([(x0 - lead, RNN_Y_H), (x0, RNN_Y_H)], hidden)
    pen.line([(x0, RNN_Y_H), (x0 + RNN_X_CAT + 0.25, RNN_Y_H)], hidden, arrow=False)
    # x_t comes in from below and merges into the h line: the two are concatenated.
    pen.line([(x0 + RNN_X_CAT, -0.75), (x0 + RNN_X_CAT, -0.1)], inp, arrow=False)
    cat = [(x0 + RNN_X_CAT, -0.1), (x0 + RNN_X_CAT, RNN_Y_H), (x0 + RNN_X_CAT + 0.45, RNN_Y_H)]
    pen.line(cat, inp, arrow=False, curve=True)
    pen.line([(x0 + RNN_X_CAT + 0.45, RNN_Y_H), (lx, RNN_Y_H), (lx, ly - LAYER_H / 2)], BUS)
    pen.layer(lx, ly, "tanh", hidden)
    top = RNN_H + 0.75
    pen.line([(lx + LAYER_W / 2, ly), (x0 + RNN_X_OUT, ly), (x0 + RNN_X_OUT, top)], hidden)
    if right_exit:
        pen.dot(x0 + RNN_X_OUT, ly, hidden)
        pen.line(
            [(x0 + RNN_X_OUT, ly), (x0 + RNN_X_OUT, RNN_Y_H), (x0 + RNN_W, RNN_Y_H)], hidden, arrow=False
        )
    pen.text(x0 + RNN_X_CAT, -1.05, x_label)
    if h_label:
        pen.text(x0 + RNN_X_OUT, top + 0.3, h_label)


def draw_vanilla_rnn() -> Figure:
    """A vanilla RNN, rolled (one module with a loop) and unrolled over three time steps."""
    hidden = PART_COLORS["hidden"]
    gap = 0.8  # between unrolled modules
    u0 = 4.9  # left edge of the first unrolled module
    fig, ax = _canvas(
        (-1.8, u0 + 3 * RNN_W + 2 * gap + 1.3),
        (-1.4, RNN_H + 1.4),
        "A vanilla RNN, rolled and unrolled in time",
    )
    pen = _Pen(ax)

    # Rolled: h_t is copied back into the module's left side, to be read at the next step.
    _rnn_module(pen, 0.0, "$x_t$", "$h_t$", right_exit=False)
    loop_y = RNN_H + 0.25
    pen.dot(RNN_X_OUT, loop_y, hidden)
    pen.line([(RNN_X_OUT, loop_y), (-0.55, loop_y), (-0.55, RNN_Y_H), (0.0, RNN_Y_H)], hidden)
    pen.text(-0.65, 1.45, "$h_{t-1}$", ha="right")

    # The arrow that says "unroll in time".
    ax.annotate(
        "",
        xy=(u0 - 0.95, 1.3),
        xytext=(RNN_W + 0.45, 1.3),
        arrowprops={"arrowstyle": ARROW, "mutation_scale": 12, "lw": STROKE, "color": INK},
    )
    pen.text((RNN_W + u0 - 0.5) / 2, 1.65, "unroll", size=FONT_SIZE - 1)

    xs = ["$x_{t-1}$", "$x_t$", "$x_{t+1}$"]
    hs = ["$h_{t-1}$", "$h_t$", "$h_{t+1}$"]
    for k in range(3):
        x0 = u0 + k * (RNN_W + gap)
        _rnn_module(pen, x0, xs[k], hs[k], lead=0.75 if k == 0 else gap)
    end = u0 + 3 * RNN_W + 2 * gap
    pen.line([(end, RNN_Y_H), (end + 0.75, RNN_Y_H)], hidden)
    pen.text(end + 0.85, RNN_Y_H, "$\\cdots$", ha="left")
    pen.text(u0 - 0.85, RNN_Y_H, "$\\cdots$", ha="right")
    return fig


# --- the figures of the series, by file name (the number is the notebook that shows it) ----------------
FIGURES: dict[str, Callable[[], Figure]] = {
    "01_vanilla_rnn": draw_vanilla_rnn,
}

ALT_TEXT: dict[str, str] = {
    "01_vanilla_rnn": (
        "A vanilla RNN drawn as one module with a tanh layer whose output h_t loops back as h_{t-1}, "
        "and the same module unrolled over three steps: each takes x and the previous h and passes its h "
        "up as output and right to the next step."
    ),
}

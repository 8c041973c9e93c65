"""The style of every diagram and the primitives that draw it: layers, pointwise operations, arrows.

All diagrams are drawn in "drawing units" on an Axes with equal aspect; :func:`canvas` makes a figure at
``UNIT`` inches per unit, so a box, a label or an arrow head has one size in every figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from helpers.style import SMALLEST_PT, TEXT_PT

Color = str | tuple[float, float, float]

UNIT = 0.40  # inches per drawing unit, in every figure
STROKE = 1.5  # points: every line, arrow and outline
FONT_SIZE = SMALLEST_PT  # points: every label, at least the notebook's body text (helpers.style)
VALUE_SIZE = SMALLEST_PT  # points: the numbers on the wires of a cell coloured by values
TITLE_SIZE = TEXT_PT  # points: the figure's title (a diagram's width is set by its drawing, not its title)
ARROW = "-|>,head_length=0.45,head_width=0.22"
ARROW_SCALE = 12
INK = "#222222"  # outlines, symbols and text
MODULE_FILL = "#F3F3F3"
MODULE_EDGE = "#9A9A9A"
BUS = "#555555"  # the concatenated vector [h_{t-1}, x_t]
FADE = 0.82  # how far a faded element is mixed towards white
LAYER_W, LAYER_H = 1.0, 0.52  # a neural-network layer
OP_R = 0.21  # radius of a pointwise operation
TANH_W, TANH_H = 0.9, 0.4  # the pointwise tanh
DOT_R = 0.07  # the dot where a vector is copied
X_IN = -0.9  # an input x_t starts this far below its module
TOP = 0.75  # an output h_t ends this far above its module
TITLE_IN = 0.42  # inches above the drawing for the title


def mix(color: Color, amount: float) -> tuple[float, float, float]:
    """``color`` mixed towards white by ``amount`` (0 keeps it, 1 gives white)."""
    r, g, b = to_rgb(color)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


def shade(color: Color, on: bool) -> tuple[float, float, float]:
    """``color`` itself when ``on``, else faded towards white."""
    return to_rgb(color) if on else mix(color, FADE)


@dataclass(frozen=True)
class Pen:
    """Draws the primitives of every diagram on one Axes, in drawing units."""

    ax: Axes

    def line(
        self,
        points: Sequence[tuple[float, float]],
        color: Color = INK,
        *,
        on: bool = True,
        arrow: bool = True,
        curve: bool = False,
        z: float = 2,
    ) -> None:
        """A vector transfer along ``points``: a polyline, or one quadratic Bezier curve if ``curve``."""
        codes = [Path.MOVETO] + [Path.CURVE3 if curve else Path.LINETO] * (len(points) - 1)
        self.ax.add_artist(
            FancyArrowPatch(
                path=Path(points, codes),
                arrowstyle=ARROW if arrow else "-",
                mutation_scale=ARROW_SCALE,
                linewidth=STROKE,
                color=shade(color, on),
                joinstyle="miter",
                capstyle="butt",
                zorder=z,
            )
        )

    def hop(self, x: float, y: float, *, horizontal: bool = True) -> None:
        """A white gap at (x, y) under a line drawn later, so that a crossing line seems to pass under it."""
        d = 0.16
        ends = [(x - d, y), (x + d, y)] if horizontal else [(x, y - d), (x, y + d)]
        self.ax.plot(
            *zip(*ends, strict=True),
            color=MODULE_FILL,
            linewidth=STROKE + 5,
            solid_capstyle="butt",
            zorder=1.5,
        )

    def dot(self, x: float, y: float, color: Color = INK, *, on: bool = True) -> None:
        """The point where a vector is copied."""
        self.ax.add_artist(Circle((x, y), DOT_R, color=shade(color, on), zorder=4, linewidth=0))

    def box(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: Color,
        edge: Color,
        rounding: float,
        z: float = 3,
    ) -> None:
        """A rounded box centred on (x, y), ``w`` wide and ``h`` high."""
        pad = min(rounding, w / 2, h / 2)
        self.ax.add_artist(
            FancyBboxPatch(
                (x - w / 2 + pad, y - h / 2 + pad),
                w - 2 * pad,
                h - 2 * pad,
                boxstyle=f"round,pad={pad:.6g},rounding_size={pad:.6g}",
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
        color: Color = INK,
        ha: str = "center",
        va: str = "center",
        size: float = FONT_SIZE,
        z: float = 6,
    ) -> None:
        """A label; mathtext between dollar signs."""
        self.ax.text(x, y, s, ha=ha, va=va, fontsize=size, color=shade(color, on), zorder=z)

    def layer(self, x: float, y: float, label: str, color: Color, *, on: bool = True, level: float = 0.3) -> None:
        """A neural-network layer: a box filled with its part's colour at strength ``level`` (0..1)."""
        fill = mix(color, 1 - level * (1 if on else 1 - FADE))
        self.box(x, y, LAYER_W, LAYER_H, fill=fill, edge=shade(color, on), rounding=0.07)
        self.text(x, y, label, on=on)

    def op(self, x: float, y: float, symbol: str, *, on: bool = True) -> None:
        """A pointwise operation centred on (x, y): ``"x"`` (element-wise product, drawn ⊙), ``"+"``, ``"tanh"``."""
        edge = shade(INK, on)
        if symbol == "tanh":
            self.box(x, y, TANH_W, TANH_H, fill="white", edge=edge, rounding=TANH_H / 2, z=5)
            self.text(x, y, "tanh", on=on, size=FONT_SIZE)
            return
        self.ax.add_artist(Circle((x, y), OP_R, facecolor="white", edgecolor=edge, linewidth=STROKE, zorder=5))
        self.text(x, y, r"$\odot$" if symbol == "x" else "$+$", on=on)

    def module(self, x0: float, y0: float, w: float, h: float, *, on: bool = True) -> None:
        """The outline of one repeating module, lower-left corner (x0, y0)."""
        fill = MODULE_FILL if on else mix(MODULE_FILL, 0.6)
        self.box(x0 + w / 2, y0 + h / 2, w, h, fill=fill, edge=shade(MODULE_EDGE, on), rounding=0.25, z=0)

    def chip(self, x: float, y: float, value: float, color: Color) -> None:
        """A number written on a wire, in a small white box edged in the wire's colour."""
        self.ax.text(
            x,
            y,
            f"{value:.2f}".replace("-", "\u2212"),
            ha="center",
            va="center",
            fontsize=VALUE_SIZE,
            color=INK,
            zorder=7,
            bbox={"boxstyle": "round,pad=0.22", "facecolor": "white", "edgecolor": color, "linewidth": 1.0},
        )


def frame(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Show exactly ``xlim`` x ``ylim`` on ``ax``, equal aspect, no axes drawn."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.set_axis_off()


def canvas(xlim: tuple[float, float], ylim: tuple[float, float], title: str) -> tuple[Figure, Axes]:
    """A pyplot figure with a title whose Axes shows ``xlim`` x ``ylim`` at ``UNIT`` inches per unit.

    Being a pyplot figure, it shows with ``plt.show()`` in a notebook; ``plt.close(fig)`` frees it.
    """
    w = round((xlim[1] - xlim[0]) * UNIT, 2)
    h = round((ylim[1] - ylim[0]) * UNIT, 2)
    fig = plt.figure(figsize=(w, h + TITLE_IN))
    ax = fig.add_axes((0, 0, 1, h / (h + TITLE_IN)))
    frame(ax, xlim, ylim)
    fig.suptitle(title, y=1 - 0.1 / (h + TITLE_IN), va="top", fontsize=TITLE_SIZE, fontweight="bold")
    return fig, ax

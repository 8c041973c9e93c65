"""The LSTM cell: one geometry drawn by :func:`draw_cell`, with any part highlighted or coloured by values.

The cell state C runs along the top, the hidden state h along the bottom; four layers read the
concatenation [h_{t-1}, x_t]:

    f_t = sigma(W_f [h_{t-1}, x_t] + b_f)          forget gate
    i_t = sigma(W_i [h_{t-1}, x_t] + b_i)          input gate
    C_tilde_t = tanh(W_C [h_{t-1}, x_t] + b_C)     candidate values
    o_t = sigma(W_o [h_{t-1}, x_t] + b_o)          output gate
    C_t = f_t * C_{t-1} + i_t * C_tilde_t
    h_t = o_t * tanh(C_t)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from helpers.diagrams._pen import BUS, LAYER_H, LAYER_W, OP_R, TANH_H, TOP, X_IN, Color, Pen, mix
from helpers.style import PART_COLORS

# --- geometry, in drawing units, from the module's lower-left corner ------------------------------------
W, H = 8.3, 4.3  # the module
Y_C = 3.6  # the cell-state line
Y_H = 0.55  # the hidden-state line and the bus [h_{t-1}, x_t]
Y_L = 1.45  # the centres of the four layers
Y_M = 2.6  # the input gate's multiplication and the pointwise tanh
X_CAT = 0.6  # where x_t joins h_{t-1}
X_F, X_I, X_C, X_O = 1.5, 3.0, 4.45, 5.85  # the four layers: forget, input, candidate, output
X_OUT = 7.25  # the output column: copy of C_t, tanh, multiplication by o_t
X_UP = 7.8  # where h_t is copied up out of the module

# --- what can be highlighted ------------------------------------------------------------------------------
GROUPS: dict[str, frozenset[str]] = {
    "inputs": frozenset({"h_in", "x_in"}),
    "forget_gate": frozenset({"bus_f", "f_layer", "f_line"}),
    "input_gate": frozenset({"bus_i", "i_layer", "i_line"}),
    "candidate": frozenset({"bus_c", "c_layer", "c_line"}),
    "output_gate": frozenset({"bus_o", "o_layer", "o_line"}),
    "cell_line": frozenset({"C_in", "f_mul", "C_mid", "add", "C_out"}),
    "cell_update": frozenset({"C_in", "f_mul", "C_mid", "add", "C_out", "i_mul", "ic_line"})
    | frozenset({"f_line", "i_line", "c_line"}),
    "hidden_out": frozenset({"C_out", "C_copy", "tanh_op", "tanh_line", "o_mul", "h_out", "h_up"}),
}
"""Parts of the cell by name; ``highlight`` takes any of these names."""

STEPS: dict[str, frozenset[str]] = {
    "cell_state": frozenset({"cell_line"}),
    "forget": frozenset({"inputs", "forget_gate"}),
    "input": frozenset({"inputs", "input_gate", "candidate"}),
    "update": frozenset({"cell_update"}),
    "output": frozenset({"inputs", "output_gate", "hidden_out"}),
}
"""The highlight of each figure that walks through the cell."""

# --- values -----------------------------------------------------------------------------------------------
GATE_KEYS = ("f_t", "i_t", "o_t")  # sigmoid outputs: 0..1
TANH_KEYS = ("C_tilde_t", "h_prev", "h_t")  # tanh outputs (h_t = o_t tanh(C_t)): -1..1
FREE_KEYS = ("x_t", "C_prev", "C_t")  # any finite number
VALUE_KEYS = ("x_t", "h_prev", "C_prev", "f_t", "i_t", "C_tilde_t", "o_t", "C_t", "h_t")


def check_highlight(highlight: Iterable[str] | None) -> frozenset[str] | None:
    """The element names to draw in full colour (None: all), from names of :data:`GROUPS`."""
    if highlight is None:
        return None
    if isinstance(highlight, str):
        raise TypeError(f"highlight must be a collection of part names such as {{'forget_gate'}}; got {highlight!r}")
    names = set(highlight)
    unknown = sorted(map(str, names - GROUPS.keys()))
    if unknown:
        raise ValueError(f"highlight has unknown part(s) {unknown}; expected names from {sorted(GROUPS)}")
    return frozenset().union(*(GROUPS[n] for n in names))


def check_values(values: Mapping[str, object] | None) -> dict[str, float]:
    """Check the scalars of one unit that colour the cell and return them as floats.

    Keys are any of :data:`VALUE_KEYS`. Gates (f_t, i_t, o_t) must lie in [0, 1]; C_tilde_t, h_prev and
    h_t in [-1, 1]; every value must be a finite real number (a Python or numpy scalar, or a one-element
    tensor).
    """
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict such as {{'f_t': 0.9}}; got a {type(values).__name__}")
    unknown = sorted(map(repr, set(values) - set(VALUE_KEYS)))
    if unknown:
        raise ValueError(f"values has unknown key(s) {', '.join(unknown)}; expected keys from {list(VALUE_KEYS)}")
    out = {}
    for key, value in values.items():
        number = _scalar(value, key)
        if not math.isfinite(number):
            raise ValueError(f"values[{key!r}] must be a finite number; got {number}")
        if key in GATE_KEYS and not 0.0 <= number <= 1.0:
            raise ValueError(f"values[{key!r}] is a gate (a sigmoid output) and must lie in [0, 1]; got {number}")
        if key in TANH_KEYS and not -1.0 <= number <= 1.0:
            raise ValueError(f"values[{key!r}] comes out of a tanh and must lie in [-1, 1]; got {number}")
        out[key] = number
    return out


def _scalar(value: object, key: str) -> float:
    if isinstance(value, bool) or isinstance(value, str):
        raise TypeError(f"values[{key!r}] must be a real number; got {value!r}")
    if isinstance(value, numbers.Real):
        return float(value)
    if hasattr(value, "numel") and hasattr(value, "item") and value.numel() == 1:  # a one-element tensor
        item = value.item()
        if isinstance(item, numbers.Real) and not isinstance(item, bool):
            return float(item)
    raise TypeError(f"values[{key!r}] must be a real number (or a one-element tensor); got a {type(value).__name__}")


def draw_cell(
    pen: Pen,
    x0: float,
    *,
    highlight: frozenset[str] | None = None,
    values: Mapping[str, float] | None = None,
    lead_in: float = 1.5,
    lead_out: float = 1.5,
) -> None:
    """Draw one LSTM module with its lower-left corner at (x0, 0) and its labels.

    ``highlight``: element names drawn in full colour (from :func:`check_highlight`; None: all of them);
    the rest is faded. ``values``: checked scalars (from :func:`check_values`) that set the strength of
    each layer's colour and are written beside the labels. ``lead_in`` / ``lead_out``: length of the C
    and h lines outside the module on the left / right.
    """
    cell = _Cell(pen, x0, highlight, dict(values or {}), lead_in, lead_out)
    pen.module(x0, 0, W, H)
    cell.cell_state()
    cell.inputs()
    cell.layers()
    cell.output()
    cell.labels()


@dataclass(frozen=True)
class _Cell:
    """The parts of one module, drawn in local coordinates (``X`` moves them to the Axes')."""

    pen: Pen
    x0: float
    highlight: frozenset[str] | None
    vals: dict[str, float]
    lead_in: float
    lead_out: float

    def X(self, u: float) -> float:
        """A local x coordinate on the Axes."""
        return self.x0 + u

    def on(self, *names: str) -> bool:
        """Whether any of the elements ``names`` is drawn in full colour."""
        return self.highlight is None or not self.highlight.isdisjoint(names)

    def junction(self, x: float, y: float, color: str, branch: str, *rest: str) -> None:
        """The copy dot where ``branch`` leaves a line; left out where only the line goes on (``rest``)."""
        if self.on(branch) or not self.on(*rest):
            self.pen.dot(self.X(x), y, color, on=self.on(branch))

    def gate_color(self, part: str, key: str) -> Color:
        """The colour of a gate's wire: paler the closer its value is to 0."""
        color = PART_COLORS[part]
        return mix(color, 0.8 * (1 - abs(self.vals[key]))) if key in self.vals else color

    def level(self, key: str) -> float:
        """How strongly a layer is filled with its colour: by the size of its output, if given."""
        return 0.12 + 0.73 * abs(self.vals[key]) if key in self.vals else 0.3

    def cell_state(self) -> None:
        """C_{t-1} in from the left, through the multiplication by f_t and the addition, out as C_t."""
        pen, X, on, cell = self.pen, self.X, self.on, PART_COLORS["cell"]
        pen.line([(X(-self.lead_in), Y_C), (X(X_F - OP_R), Y_C)], cell, on=on("C_in"))
        pen.op(X(X_F), Y_C, "x", on=on("f_mul"))
        pen.line([(X(X_F + OP_R), Y_C), (X(X_C - OP_R), Y_C)], cell, on=on("C_mid"))
        pen.op(X(X_C), Y_C, "+", on=on("add"))
        pen.line([(X(X_C + OP_R), Y_C), (X(W + self.lead_out), Y_C)], cell, on=on("C_out"))

    def inputs(self) -> None:
        """h_{t-1} in from the left and x_t from below, merged into the bus [h_{t-1}, x_t]."""
        pen, X, on = self.pen, self.X, self.on
        merge = X_CAT + 0.5
        pen.line([(X(-self.lead_in), Y_H), (X(merge), Y_H)], PART_COLORS["hidden"], on=on("h_in"), arrow=False)
        x_in = PART_COLORS["input"]
        pen.line([(X(X_CAT), X_IN), (X(X_CAT), 0.0)], x_in, on=on("x_in"))
        bend = [(X(X_CAT), 0.0), (X(X_CAT), Y_H), (X(merge), Y_H)]
        pen.line(bend, x_in, on=on("x_in"), arrow=False, curve=True)
        bus = [("bus_f", "bus_i", "bus_c", "bus_o"), ("bus_i", "bus_c", "bus_o"), ("bus_c", "bus_o"), ("bus_o",)]
        for a, b, names in zip((merge, X_F, X_I, X_C), (X_F, X_I, X_C, X_O), bus, strict=True):
            pen.line([(X(a), Y_H), (X(b), Y_H)], BUS, on=on(*names), arrow=False)
        self.junction(X_F, Y_H, BUS, *bus[0])
        self.junction(X_I, Y_H, BUS, *bus[1])
        self.junction(X_C, Y_H, BUS, *bus[2])
        for x, name in ((X_F, "bus_f"), (X_I, "bus_i"), (X_C, "bus_c"), (X_O, "bus_o")):
            pen.line([(X(x), Y_H - 0.01), (X(x), Y_L - LAYER_H / 2)], BUS, on=on(name))

    def layers(self) -> None:
        """The four layers, the wires that carry f_t, i_t, C~_t and o_t, and i_t x C~_t."""
        pen, X, on, top = self.pen, self.X, self.on, Y_L + LAYER_H / 2
        pen.layer(X(X_F), Y_L, r"$\sigma$", PART_COLORS["forget"], on=on("f_layer"), level=self.level("f_t"))
        pen.layer(X(X_I), Y_L, r"$\sigma$", PART_COLORS["input_gate"], on=on("i_layer"), level=self.level("i_t"))
        cand = PART_COLORS["candidate"]
        pen.layer(X(X_C), Y_L, "tanh", cand, on=on("c_layer"), level=self.level("C_tilde_t"))
        pen.layer(X(X_O), Y_L, r"$\sigma$", PART_COLORS["output"], on=on("o_layer"), level=self.level("o_t"))
        pen.line([(X(X_F), top), (X(X_F), Y_C - OP_R)], self.gate_color("forget", "f_t"), on=on("f_line"))
        i_wire = [(X(X_I), top), (X(X_I), Y_M), (X(X_C - OP_R), Y_M)]
        pen.line(i_wire, self.gate_color("input_gate", "i_t"), on=on("i_line"))
        c_wire = [(X(X_C), top), (X(X_C), Y_M - OP_R)]
        pen.line(c_wire, self.gate_color("candidate", "C_tilde_t"), on=on("c_line"))
        pen.op(X(X_C), Y_M, "x", on=on("i_mul"))
        pen.line([(X(X_C), Y_M + OP_R), (X(X_C), Y_C - OP_R)], cand, on=on("ic_line"))
        o_wire = [(X(X_O + LAYER_W / 2), Y_L), (X(X_OUT - OP_R), Y_L)]
        pen.line(o_wire, self.gate_color("output", "o_t"), on=on("o_line"))

    def output(self) -> None:
        """h_t = o_t x tanh(C_t), out to the right and, crossing the cell state, up."""
        pen, X, on = self.pen, self.X, self.on
        cell, hidden = PART_COLORS["cell"], PART_COLORS["hidden"]
        self.junction(X_OUT, Y_C, cell, "C_copy", "C_out")
        pen.line([(X(X_OUT), Y_C), (X(X_OUT), Y_M + TANH_H / 2)], cell, on=on("C_copy"))
        pen.op(X(X_OUT), Y_M, "tanh", on=on("tanh_op"))
        pen.line([(X(X_OUT), Y_M - TANH_H / 2), (X(X_OUT), Y_L + OP_R)], cell, on=on("tanh_line"))
        pen.op(X(X_OUT), Y_L, "x", on=on("o_mul"))
        h_wire = [(X(X_OUT), Y_L - OP_R), (X(X_OUT), Y_H), (X(W + self.lead_out), Y_H)]
        pen.line(h_wire, hidden, on=on("h_out"))
        self.junction(X_UP, Y_H, hidden, "h_up", "h_out")
        pen.line([(X(X_UP), Y_H), (X(X_UP), H + TOP)], hidden, on=on("h_up"), z=1)
        pen.hop(X(X_UP), Y_C)

    def labels(self) -> None:
        """The symbol of every wire and, when values are given, its number beside or below it."""
        gap = 0.2  # between a label and its wire
        left, right = -self.lead_in / 2, W + self.lead_out / 2  # the middles of the lines outside
        o_mid = (X_O + LAYER_W / 2 + X_OUT - OP_R) / 2  # the middle of the o_t wire
        i_mid = (X_I + X_C - OP_R) / 2  # the middle of the i_t wire's horizontal part
        c_mid = (Y_L + LAYER_H / 2 + Y_M - OP_R) / 2  # the middle of the C~_t wire
        f_y = (Y_L + LAYER_H / 2 + Y_C) / 2 + 0.25
        labels = [
            (left, Y_C + 0.33, "$C_{t-1}$", "C_in", "center"),
            (right, Y_C + 0.33, "$C_t$", "C_out", "center"),
            (left, Y_H + 0.33, "$h_{t-1}$", "h_in", "center"),
            (right, Y_H + 0.33, "$h_t$", "h_out", "center"),
            (X_UP, H + TOP + 0.3, "$h_t$", "h_up", "center"),
            (X_CAT - gap, X_IN + 0.3, "$x_t$", "x_in", "right"),
            (X_F + gap, f_y, "$f_t$", "f_line", "left"),
            (i_mid, Y_M + 0.3, "$i_t$", "i_line", "center"),
            (X_C + gap, c_mid + 0.05, r"$\tilde{C}_t$", "c_line", "left"),
            (o_mid, Y_L + 0.33, "$o_t$", "o_line", "center"),
        ]
        for x, y, s, name, ha in labels:
            self.pen.text(self.X(x), y, s, on=self.on(name), ha=ha)
        chips = {
            "C_prev": (left, Y_C - 0.38, "cell"),
            "C_t": (right, Y_C - 0.38, "cell"),
            "h_prev": (left, Y_H - 0.38, "hidden"),
            "h_t": (right, Y_H - 0.38, "hidden"),
            "x_t": (X_CAT + 0.65, X_IN + 0.45, "input"),
            "f_t": (X_F + 0.65, f_y - 0.5, "forget"),
            "i_t": (i_mid, Y_M - 0.38, "input_gate"),
            "C_tilde_t": (X_C + 1.35, c_mid, "candidate"),  # clear of its label at VALUE_SIZE
            "o_t": (o_mid - 0.1, Y_L - 0.55, "output"),  # below the σ box and the ⊙ at VALUE_SIZE
        }
        for key, value in self.vals.items():
            x, y, part = chips[key]
            self.pen.chip(self.X(x), y, value, PART_COLORS[part])


def draw_side_module(pen: Pen, x0: float, w: float, x_label: str, h_label: str) -> None:
    """A module of the chain drawn closed: its box, its input x below and its output h above."""
    hidden, inp = PART_COLORS["hidden"], PART_COLORS["input"]
    pen.module(x0, 0, w, H)
    pen.text(x0 + w / 2, H / 2 + 0.1, "LSTM", color="#666666")
    pen.line([(x0 + w / 2, X_IN), (x0 + w / 2, 0)], inp)
    pen.line([(x0 + w / 2, H), (x0 + w / 2, H + TOP)], hidden)
    pen.text(x0 + w / 2 - 0.2, X_IN + 0.3, x_label, ha="right")
    pen.text(x0 + w / 2, H + TOP + 0.3, h_label)

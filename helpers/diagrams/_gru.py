"""The GRU cell: one state, the hidden state h, along the top; two gates and a candidate below it.

    r_t = sigma(W_r [h_{t-1}, x_t] + b_r)              reset gate
    z_t = sigma(W_z [h_{t-1}, x_t] + b_z)              update gate
    h~_t = tanh(W_h [r_t ⊙ h_{t-1}, x_t] + b_h)        candidate (the reset gate before the product, as in
                                                      Cho et al. 2014)
    h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h~_t
"""

from __future__ import annotations

from matplotlib.figure import Figure

from helpers.diagrams._pen import BUS, FONT_SIZE, INK, LAYER_H, OP_R, TANH_H, TOP, X_IN, Pen, canvas
from helpers.style import OKABE_ITO, PART_COLORS

#: The GRU's own parts: the reset gate, and the update gate (which keeps, like the LSTM's forget gate).
RESET, UPDATE = OKABE_ITO["purple"], OKABE_ITO["vermillion"]
ONE_MINUS_W = 0.7  # the pointwise "1 −" operation, drawn like the pointwise tanh

# --- geometry, in drawing units, from the module's lower-left corner ------------------------------------
W, H = 7.4, 4.6  # the module
Y_X = 0.3  # x_t's own line to the candidate
Y_B = 0.85  # the bus [h_{t-1}, x_t] to the two gates
Y_L = 1.75  # the centres of the three layers
Y_R = 2.55  # the reset gate's multiplication, r_t ⊙ h_{t-1}
Y_Z = 3.15  # 1 - z_t and its product with h~_t
Y_T = 3.95  # the hidden-state line
X_D = 0.45  # where h_{t-1} is copied down
X_CAT = 1.0  # where x_t comes in
X_R, X_Z, X_N = 1.9, 3.25, 5.1  # the three layers: reset, update, candidate
X_J = 4.2  # where r_t ⊙ h_{t-1} comes down to join x_t
X_ONE = 4.2  # the "1 -" operation
X_UP = 6.5  # where h_t is copied up out of the module
LEAD = 1.3  # length of the h line outside the module on each side


def draw_gru_cell() -> Figure:
    """One GRU cell: the reset and update gates, the candidate and the one state h_t, no cell state."""
    fig, ax = canvas((-LEAD - 0.1, W + LEAD + 0.1), (X_IN - 0.2, H + TOP + 0.6), "Inside a GRU cell")
    pen = Pen(ax)
    hidden, inp = PART_COLORS["hidden"], PART_COLORS["input"]
    reset, update, cand = RESET, UPDATE, PART_COLORS["candidate"]
    top = Y_L + LAYER_H / 2
    pen.module(0, 0, W, H)

    # The hidden state along the top: kept by z_t, then the new part added; copied right and up.
    pen.line([(-LEAD, Y_T), (X_Z - OP_R, Y_T)], hidden)
    pen.op(X_Z, Y_T, "x")
    pen.line([(X_Z + OP_R, Y_T), (X_N - OP_R, Y_T)], hidden)
    pen.op(X_N, Y_T, "+")
    pen.line([(X_N + OP_R, Y_T), (W + LEAD, Y_T)], hidden)
    pen.dot(X_UP, Y_T, hidden)
    pen.line([(X_UP, Y_T), (X_UP, H + TOP)], hidden)

    # h_{t-1} copied down into the bus, and across to the reset gate's multiplication.
    pen.dot(X_D, Y_T, hidden)
    pen.line([(X_D, Y_T), (X_D, Y_B), (X_CAT + 0.45, Y_B)], hidden, arrow=False)
    pen.dot(X_D, Y_R, hidden)
    pen.line([(X_D, Y_R), (X_R - OP_R, Y_R)], hidden)

    # x_t from below: merged into the bus, and copied along its own line to the candidate.
    pen.line([(X_CAT, X_IN), (X_CAT, 0.0)], inp)
    pen.line([(X_CAT, 0.0), (X_CAT, Y_X)], inp, arrow=False)
    pen.dot(X_CAT, Y_X, inp)
    pen.line([(X_CAT, Y_X), (X_CAT, Y_B), (X_CAT + 0.45, Y_B)], inp, arrow=False, curve=True)
    pen.line([(X_CAT, Y_X), (X_J + 0.4, Y_X)], inp, arrow=False)

    # The bus [h_{t-1}, x_t] into the two gates.
    pen.line([(X_CAT + 0.45, Y_B), (X_Z, Y_B)], BUS, arrow=False)
    pen.dot(X_R, Y_B, BUS)
    for x in (X_R, X_Z):
        pen.line([(x, Y_B - 0.01), (x, Y_L - LAYER_H / 2)], BUS)

    pen.layer(X_R, Y_L, r"$\sigma$", reset)
    pen.layer(X_Z, Y_L, r"$\sigma$", update)
    pen.layer(X_N, Y_L, "tanh", cand)

    # Update gate: z_t up to the top line; 1 - z_t across to scale the candidate.
    pen.line([(X_Z, top), (X_Z, Y_T - OP_R)], update, z=1)
    pen.dot(X_Z, Y_Z, update)
    pen.line([(X_Z, Y_Z), (X_ONE - ONE_MINUS_W / 2, Y_Z)], update)
    pen.box(X_ONE, Y_Z, ONE_MINUS_W, TANH_H, fill="white", edge=INK, rounding=TANH_H / 2, z=5)
    pen.text(X_ONE, Y_Z, "1−", size=FONT_SIZE)
    pen.line([(X_ONE + ONE_MINUS_W / 2, Y_Z), (X_N - OP_R, Y_Z)], update)

    # Reset gate: r_t ⊙ h_{t-1}, passing over the z_t wire, down to join x_t: the candidate's input.
    pen.line([(X_R, top), (X_R, Y_R - OP_R)], reset)
    pen.op(X_R, Y_R, "x")
    pen.hop(X_Z, Y_R)
    pen.line([(X_R + OP_R, Y_R), (X_J, Y_R), (X_J, Y_X + 0.45)], BUS, arrow=False)
    pen.line([(X_J, Y_X + 0.45), (X_J, Y_X), (X_J + 0.4, Y_X)], BUS, arrow=False, curve=True)
    pen.line([(X_J + 0.4, Y_X), (X_N, Y_X), (X_N, Y_L - LAYER_H / 2)], BUS)

    # The candidate, scaled by 1 - z_t, up into the sum.
    pen.line([(X_N, top), (X_N, Y_Z - OP_R)], cand)
    pen.op(X_N, Y_Z, "x")
    pen.line([(X_N, Y_Z + OP_R), (X_N, Y_T - OP_R)], cand)

    labels = [
        (-LEAD / 2, Y_T + 0.33, "$h_{t-1}$", "center"),
        (W + LEAD / 2, Y_T + 0.33, "$h_t$", "center"),
        (X_UP, H + TOP + 0.3, "$h_t$", "center"),
        (X_CAT - 0.2, X_IN + 0.3, "$x_t$", "right"),
        (X_R - 0.2, (top + Y_R) / 2 - 0.05, "$r_t$", "right"),
        (X_Z - 0.2, (top + Y_R) / 2 - 0.05, "$z_t$", "right"),
        (X_N + 0.2, (top + Y_Z) / 2 - 0.05, r"$\tilde{h}_t$", "left"),
    ]
    for x, y, text, ha in labels:
        pen.text(x, y, text, ha=ha)
    return fig

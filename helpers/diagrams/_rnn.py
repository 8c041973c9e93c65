"""The vanilla RNN, rolled and unrolled."""

from __future__ import annotations

from matplotlib.figure import Figure

from helpers.diagrams._pen import ARROW, BUS, FONT_SIZE, INK, LAYER_H, LAYER_W, STROKE, TOP, X_IN, Pen, canvas
from helpers.style import PART_COLORS

# --- the vanilla RNN -----------------------------------------------------------------------------------
RNN_W, RNN_H = 2.4, 2.4  # one RNN module
RNN_Y_H = 0.55  # height at which h enters and leaves
RNN_X_CAT = 0.5  # where x_t joins h_{t-1}
RNN_X_OUT = 1.9  # where h_t is copied up and to the right


def _rnn_module(
    pen: Pen, x0: float, x_label: str, h_label: str | None, *, right_exit: bool = True, lead: float = 0.0
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
    pen.line([(x0 + RNN_X_CAT, X_IN), (x0 + RNN_X_CAT, 0.0)], inp)
    cat = [(x0 + RNN_X_CAT, 0.0), (x0 + RNN_X_CAT, RNN_Y_H), (x0 + RNN_X_CAT + 0.45, RNN_Y_H)]
    pen.line(cat, inp, arrow=False, curve=True)
    pen.line([(x0 + RNN_X_CAT + 0.45, RNN_Y_H), (lx, RNN_Y_H), (lx, ly - LAYER_H / 2)], BUS)
    pen.layer(lx, ly, "tanh", hidden)
    top = RNN_H + TOP
    pen.line([(lx + LAYER_W / 2, ly), (x0 + RNN_X_OUT, ly), (x0 + RNN_X_OUT, top)], hidden)
    if right_exit:
        pen.dot(x0 + RNN_X_OUT, ly, hidden)
        pen.line([(x0 + RNN_X_OUT, ly), (x0 + RNN_X_OUT, RNN_Y_H), (x0 + RNN_W, RNN_Y_H)], hidden, arrow=False)
    pen.text(x0 + RNN_X_CAT - 0.2, X_IN + 0.3, x_label, ha="right")
    if h_label:
        pen.text(x0 + RNN_X_OUT, top + 0.3, h_label)


def draw_vanilla_rnn() -> Figure:
    """A vanilla RNN, rolled (one module with a loop) and unrolled over three time steps."""
    hidden = PART_COLORS["hidden"]
    gap = 0.8  # between unrolled modules
    u0 = 4.9  # left edge of the first unrolled module
    fig, ax = canvas(
        (-1.8, u0 + 3 * RNN_W + 2 * gap + 1.3),
        (X_IN - 0.2, RNN_H + TOP + 0.6),
        "A vanilla RNN, rolled and unrolled in time",
    )
    pen = Pen(ax)

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
    pen.text((RNN_W + u0 - 0.5) / 2, 1.65, "unroll", size=FONT_SIZE)

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

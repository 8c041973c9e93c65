"""One plot style for the whole series: Okabe-Ito colours (safe for colour-blind readers), one font."""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

# Okabe & Ito (2008), "Color Universal Design": eight colours distinguishable with any colour vision.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

# A fixed colour for each part of the cells, reused by every plot and diagram of the series.
PART_COLORS = {
    "input": OKABE_ITO["blue"],  # x_t
    "hidden": OKABE_ITO["green"],  # h_t
    "forget": OKABE_ITO["vermillion"],  # f_t
    "input_gate": OKABE_ITO["sky_blue"],  # i_t
    "candidate": OKABE_ITO["orange"],  # C~_t
    "output": OKABE_ITO["purple"],  # o_t
    "cell": OKABE_ITO["black"],  # C_t
    "rnn": OKABE_ITO["orange"],
    "lstm": OKABE_ITO["blue"],
    "baseline": "#777777",
}

CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "black")]


def apply_style() -> None:
    """Set matplotlib's rcParams for the series (sizes, grid, colour cycle, deterministic files)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 3.6),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=CYCLE),
            "legend.frameon": False,
            "lines.linewidth": 1.8,
            "svg.hashsalt": "lstm-tutorial",
            "svg.fonttype": "path",
            "image.cmap": "cividis",
        }
    )

"""One plot style for the whole series: Okabe-Ito colours (safe for colour-blind readers), one font,
and sizes that a class can read on a projector.

The sizes follow from what a student's screen shows (:data:`SCREEN`, measured in the browser): a figure
no wider than the notebook's content is shown at its natural size, one PNG pixel per CSS pixel at
:data:`DPI`, so text of :data:`SMALLEST_PT` points is at least as tall as the notebook's body text.
A wider figure is shrunk, and its text with it: keep figures at most :data:`MAX_FIGURE_WIDTH_IN` wide.
``tests/test_readable.py`` checks every stored figure against these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib as mpl
from cycler import cycler


@dataclass(frozen=True)
class Screen:
    """What a notebook looks like on a student's screen, in CSS pixels."""

    window: tuple[int, int]  # the browser window, width x height
    content_width: int  # the width of a cell's output: a wider image is shrunk to it
    visible_height: int  # the height of the notebook's scrolling area
    body_text: int  # the font size of markdown body text
    code_chars: int  # the longest code line a cell shows without scrolling sideways


#: JupyterLab 4.6 in Chromium at 1366x768 (a common laptop and projector size), default settings, file
#: browser open (as JupyterLab opens): content 934 px wide, 647 px of notebook visible, body text 14 px,
#: code in 13 px DejaVu Sans Mono (7.83 px a character): 118 characters fit, 119 scroll. With the file
#: browser closed the content is 1186 px wide. tests/test_browser.py measures these again.
SCREEN = Screen(window=(1366, 768), content_width=934, visible_height=647, body_text=14, code_chars=118)

#: PNG pixels per inch of figure: at its natural size a figure w inches wide is w * DPI CSS pixels wide.
DPI = 100
#: The smallest text of any figure (tick labels, legends, annotations), in points: 10.5 pt at 100 dpi is
#: 14.6 px, at least the body text. A size in points is pt * DPI / 72 pixels in a PNG.
SMALLEST_PT = 10.5
TEXT_PT = 11.0  # axis labels and other text
TITLE_PT = 12.0  # titles
#: The widest figure shown unshrunk, in inches (9.34).
MAX_FIGURE_WIDTH_IN = SCREEN.content_width / DPI


def text_px(points: float, dpi: float = DPI, scale: float = 1.0) -> float:
    """How tall, in CSS pixels, text of ``points`` is in a PNG of ``dpi`` shown at ``scale`` of its pixel size.

    points, dpi, scale: positive numbers.
    """
    from helpers.validate import check_positive  # here: validate imports torch, which a plot style need not

    points, dpi, scale = check_positive(points, "points"), check_positive(dpi, "dpi"), check_positive(scale, "scale")
    return points * dpi / 72 * scale


def displayed_width(pixel_width: int, css_width: float | None = None, screen: Screen = SCREEN) -> float:
    """The width at which a notebook shows an image: its CSS width (or pixel width), capped by the content.

    pixel_width: a positive int; css_width: a positive number or None; screen: a :class:`Screen`.
    """
    from helpers.validate import check_instance, check_positive, check_positive_int

    pixel_width = check_positive_int(pixel_width, "pixel_width")
    if css_width is not None:
        css_width = check_positive(css_width, "css_width")
    check_instance(screen, "screen", Screen, "a helpers.style.Screen, such as SCREEN")
    return min(css_width if css_width is not None else pixel_width, screen.content_width)

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
            "figure.figsize": (7.0, 3.6),  # 700 px: under SCREEN.content_width with room for wide labels
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.size": TEXT_PT,
            "axes.labelsize": TEXT_PT,
            "axes.titlesize": TITLE_PT,
            "figure.titlesize": TITLE_PT,
            "xtick.labelsize": SMALLEST_PT,
            "ytick.labelsize": SMALLEST_PT,
            "legend.fontsize": SMALLEST_PT,
            "legend.title_fontsize": SMALLEST_PT,
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

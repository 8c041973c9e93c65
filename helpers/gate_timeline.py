"""Views over time of a :class:`helpers.gates.LSTMTrace`: heatmaps, and an explorer step by step.

:func:`draw_heatmaps` shows f_t, i_t, o_t, C_t and h_t of one sequence as images, units down and time
across. :class:`TimelineExplorer` puts the LSTM cell diagram, coloured by one unit's values at one step,
beside those heatmaps with a cursor at that step; its :meth:`TimelineExplorer.widget` wires pickers and a
step slider to it (ipywidgets 7.7 and 8, no ipympl). What is shown comes from plain methods
(:meth:`TimelineExplorer.figure`, :meth:`TimelineExplorer.html`), tested without a browser.
"""

from __future__ import annotations

import html as html_lib
import io
import math
from collections.abc import Callable, Sequence

import matplotlib as mpl
import numpy as np
import PIL.Image
import torch
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize, SymLogNorm
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.ticker import FormatStrFormatter, NullLocator

from helpers.diagrams import CELL_SIZE_IN, draw_lstm_cell
from helpers.gates import GATES, LSTMTrace
from helpers.style import DPI, OKABE_ITO, SMALLEST_PT, TITLE_PT
from helpers.validate import check_callable, check_instance, check_int, check_items, check_text
from helpers.widget_fallback import picture_box

#: What the heatmaps show, top to bottom, and how each is labelled.
HEATMAPS = ("f_t", "i_t", "o_t", "C_t", "h_t")
LABELS = {
    "f_t": "forget gate $f_t$", "i_t": "input gate $i_t$", "o_t": "output gate $o_t$",
    "C_t": "cell state $C_t$", "h_t": "hidden state $h_t$", "C_tilde_t": r"candidate $\tilde{C}_t$",
}
GATE_CMAP = "cividis"  # sequential, colour-blind safe: gates run from 0 (dark) to 1 (yellow)
SIGNED_CMAP = "PuOr_r"  # diverging, colour-blind safe: negative purple, 0 white, positive orange
MARK_COLOR = OKABE_ITO["vermillion"]
CURSOR_COLOR = OKABE_ITO["sky_blue"]
SYMBOLS = {"f_t": "f_t", "i_t": "i_t", "C_tilde_t": "C̃_t", "C_t": "C_t", "o_t": "o_t", "h_t": "h_t"}

DescribeInput = Callable[[torch.Tensor], str]
#: The explorer's picture, in inches (930 x 500 pixels at helpers.style.DPI): with the controls above it
#: and one line of text, it fits a 1366 x 768 screen (helpers.style.SCREEN).
PICTURE_IN = (9.3, 5.0)


def _norm(recording: LSTMTrace, name: str) -> Normalize:
    """The colour scale of a quantity, the same for every sequence of the recording.

    Gates: 0 to 1. h_t and C̃_t: -1 to 1. C_t, which has no bound: linear from -1 to 1 and logarithmic
    beyond, up to the largest |C_t| recorded, so that a unit near ±1 and one near ±20 both show.
    """
    if name in GATES:
        return Normalize(0.0, 1.0)
    if name in ("h_t", "C_tilde_t"):
        return Normalize(-1.0, 1.0)
    top = max(recording[name].abs().max().item(), 1.0)
    return SymLogNorm(linthresh=1.0, linscale=1.0, vmin=-top, vmax=top, base=10)


def draw_heatmaps(
    recording: LSTMTrace, seq: int, *, t_mark: int | None = None, names: Sequence[str] = HEATMAPS,
    title: str | None = None, axes: Sequence[Axes] | None = None, colorbar_axes: Sequence[Axes] | None = None,
) -> tuple[Figure, list[AxesImage]]:
    """One heatmap per quantity for sequence ``seq``: units down, time steps across.

    t_mark: the marked step, drawn as a dashed line on each heatmap (None: no line).
    title: the figure's title (default: "The LSTM's gates and states over time, sequence <seq>").
    axes / colorbar_axes: where to draw (one Axes per name); None makes a new pyplot figure, with the title.
    Returns the figure and the images (one per name, to update with ``set_data``). recording: an
    :class:`~helpers.gates.LSTMTrace`; seq, t_mark: indices into it; names: a list of quantity names.
    """
    check_instance(recording, "recording", LSTMTrace, "an LSTMTrace (from trace)")
    check_text(title, "title", optional=True)
    recording.check_index(seq, 0)
    if t_mark is not None:
        recording.check_index(seq, t_mark)
    unknown = [n for n in check_items(names, "names", str) if n not in LABELS]
    if unknown or not names:
        raise ValueError(f"names must be a non-empty list from {list(LABELS)}; got {list(names)}")
    if axes is None:
        from matplotlib import pyplot as plt

        fig = plt.figure(figsize=(7.0, 1.25 * len(names) + 0.6), layout="constrained")
        grid = fig.add_gridspec(len(names), 2, width_ratios=(1, 0.025))
        axes = [fig.add_subplot(grid[k, 0]) for k in range(len(names))]
        colorbar_axes = [fig.add_subplot(grid[k, 1]) for k in range(len(names))]
        fig.suptitle(title or f"The LSTM's gates and states over time, sequence {seq}", fontweight="bold")
    elif colorbar_axes is None or len(axes) != len(names) or len(colorbar_axes) != len(names):
        raise ValueError(f"axes and colorbar_axes must give one Axes per name ({len(names)}); got {len(axes)}")
    fig = axes[0].figure
    images = []
    time, n_h = recording.time, recording.hidden_size
    for k, (name, ax, cax) in enumerate(zip(names, axes, colorbar_axes, strict=True)):
        cmap = GATE_CMAP if name in GATES else SIGNED_CMAP
        image = ax.imshow(
            recording[name][seq].T.numpy(), aspect="auto", cmap=cmap, norm=_norm(recording, name),
            interpolation="nearest", extent=(-0.5, time - 0.5, n_h - 0.5, -0.5),
        )
        images.append(image)
        bar = fig.colorbar(image, cax=cax)
        if name == "C_t":  # a few round ticks on the linear-then-logarithmic scale
            top = image.norm.vmax
            big = 10 ** math.floor(math.log10(top))
            bar.set_ticks([-big, 0, big] if big > 1 else [-1, 0, 1], labels=None)
            bar.ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
            bar.ax.yaxis.set_minor_locator(NullLocator())
        ax.grid(False)
        ax.set_ylabel("unit")
        ax.set_yticks(range(0, n_h, 1 if n_h <= 8 else 5))  # every unit, or every fifth: readable at any size
        ax.set_title(LABELS[name], loc="left", fontsize=SMALLEST_PT, fontweight="normal", pad=3)
        if t_mark is not None:
            ax.axvline(t_mark, color=MARK_COLOR, ls="--", lw=1.2, label="marked step")
        if k < len(names) - 1:
            ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel("time step t")
    if t_mark is not None:
        axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), handlelength=1.5, borderaxespad=0)
    return fig, images


def _per_sequence(recording: LSTMTrace, items: object, name: str, kind: type | Callable, what: str) -> list | None:
    """``items`` checked item by item (:func:`check_items`), one per sequence of the recording; None stays None."""
    if items is None:
        return None
    checked = check_items(items, name, kind)
    if len(checked) != recording.n_seq:
        raise ValueError(f"{name} must give one {what} per sequence ({recording.n_seq}); got {len(checked)}")
    return checked


class TimelineExplorer:
    """The cell diagram of one unit at one step beside the heatmaps of one sequence, with a cursor at the step.

    recording: what the LSTM computed (:func:`helpers.gates.trace`); unit: the unit the diagram shows
    (outlined on the heatmaps); t_marks: (n_seq,) the marked step of each sequence, or None; describe_input:
    turns an input x_t (n_in,) into words, e.g. "value C, marked"; seq_labels: a name for each sequence
    (default "sequence k"); names: the quantities shown, as :func:`draw_heatmaps` takes them. A new step
    redraws only the diagram and the cursors over a saved image of the rest (blitting).
    """

    def __init__(self, recording: LSTMTrace, unit: int, *, t_marks: torch.Tensor | Sequence[int] | None = None,
                 describe_input: DescribeInput | None = None, seq_labels: Sequence[str] | None = None,
                 names: Sequence[str] = HEATMAPS) -> None:
        check_instance(recording, "recording", LSTMTrace, "an LSTMTrace (from trace)")
        recording.check_index(0, 0, unit)
        self.recording, self.unit = recording, unit
        self.names = tuple(check_items(names, "names", str))
        if any(n not in LABELS for n in self.names):
            raise ValueError(f"names must be quantities from {list(LABELS)}; got {list(self.names)}")
        self.t_marks = _per_sequence(recording, t_marks, "t_marks", check_int, "marked step")
        for seq, t_mark in enumerate(self.t_marks or []):
            recording.check_index(seq, t_mark)
        if describe_input is not None:
            check_callable(describe_input, "describe_input", "a function x_t -> str, or None")
        self.describe_input = describe_input
        labels = [f"sequence {k}" for k in range(recording.n_seq)] if seq_labels is None else seq_labels
        self.seq_labels = _per_sequence(recording, labels, "seq_labels", str, "label")
        self._fig: Figure | None = None
        self._seq, self._background = None, None

    def values(self, seq: int, step: int) -> dict[str, float]:
        """The explorer's unit at ``step`` of sequence ``seq``: the keys of ``draw_lstm_cell``'s values."""
        return self.recording.values_at(seq, step, self.unit)

    def html(self, seq: int, step: int) -> str:
        """The text under the figure: the step, its input and the unit's values, as HTML."""
        values = self.values(seq, step)
        parts = [f"<b>step {step}</b> of {self.recording.time - 1}"]
        if self.describe_input is not None:
            parts.append("input: " + html_lib.escape(self.describe_input(self.recording.x[seq, step])))
        if self.t_marks is not None:
            parts.append(f"marked step: {self.t_marks[seq]}")
        numbers = ", ".join(f"{SYMBOLS[k]} = {values[k]:.2f}" for k in SYMBOLS)
        parts.append(f"unit {self.unit}: {numbers}")
        return " &nbsp;·&nbsp; ".join(parts)

    def figure(self, seq: int, step: int) -> Figure:
        """The figure for ``step`` of sequence ``seq`` (the same Figure object, updated, on every call)."""
        self.recording.check_index(seq, step)
        if self._fig is None:
            self._build(seq)
        elif seq != self._seq:
            self._show_sequence(seq)
        for cursor in self._cursors:
            cursor.set_xdata([step, step])
        draw_lstm_cell(self.values(seq, step), ax=self._diagram_ax, title=f"unit {self.unit} at step t = {step}")
        return self._fig

    def set_unit(self, unit: int) -> None:
        """Show ``unit`` in the diagram (and outline its row on the heatmaps) from the next figure on."""
        self.recording.check_index(0, 0, unit)
        self.unit = unit
        if self._fig is not None:
            for box in self._unit_boxes:
                box.set_y(unit - 0.5)
            self._background = None

    def png(self, seq: int, step: int) -> bytes:
        """The figure for ``step`` of sequence ``seq`` as PNG bytes, redrawing only what changed."""
        fig = self.figure(seq, step)
        canvas = fig.canvas
        if self._background is None:
            self._save_background()
        canvas.restore_region(self._background)
        fig.draw_artist(self._diagram_ax)
        for cursor in self._cursors:
            cursor.axes.draw_artist(cursor)
        buffer = io.BytesIO()
        PIL.Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _build(self, seq: int) -> None:
        """Lay the figure out by hand, in inches: the diagram at its own size on the left, the heatmaps on
        the right, :data:`PICTURE_IN` in all (930 x 500 pixels: it fits a 1366 x 768 screen with the controls)."""
        width, height = PICTURE_IN
        fig = Figure(figsize=PICTURE_IN, dpi=DPI)
        FigureCanvasAgg(fig)
        inches = lambda x, y, w, h: (x / width, y / height, w / width, h / height)  # noqa: E731
        diagram_w, diagram_h = CELL_SIZE_IN
        self._diagram_ax = fig.add_axes(inches(0.0, (height - 0.5 - diagram_h) / 2, diagram_w, diagram_h))
        n = len(self.names)
        left, map_w, bar_gap, bar_w = 5.2, 3.35, 0.1, 0.12
        bottom, top, title_h = 0.55, height - 0.72, 0.27  # room for the x label, the title and the legend
        pitch = (top - bottom) / n
        axes, colorbar_axes = [], []
        for k in range(n):
            y = top - (k + 1) * pitch
            axes.append(fig.add_axes(inches(left, y, map_w, pitch - title_h)))
            colorbar_axes.append(fig.add_axes(inches(left + map_w + bar_gap, y, bar_w, pitch - title_h)))
        t_mark = None if self.t_marks is None else self.t_marks[seq]
        _, self._images = draw_heatmaps(
            self.recording, seq, t_mark=t_mark, names=self.names, axes=axes, colorbar_axes=colorbar_axes
        )
        for ax in axes:
            ax.set_ylabel("")
        fig.text((left - 0.4) / width, (bottom + top) / 2 / height, "unit", rotation=90,
                 ha="center", va="center", fontsize=mpl.rcParams["axes.labelsize"])
        self._marks = [line for ax in axes for line in ax.get_lines()]
        cursor_style = {"color": CURSOR_COLOR, "lw": 2.0, "zorder": 4, "solid_capstyle": "butt"}
        self._cursors: list[Line2D] = [ax.axvline(0, label="shown step", **cursor_style) for ax in axes]
        self._unit_boxes = [
            ax.add_patch(Rectangle((-0.5, self.unit - 0.5), self.recording.time, 1, fill=False, ec="black", lw=0.9))
            for ax in axes
        ]
        axes[0].legend(loc="lower right", bbox_to_anchor=(1.0, 1.0 + title_h / (pitch - title_h)), ncols=2,
                       borderaxespad=0, handlelength=1.5)
        self._fig = fig
        self._set_title(seq)
        draw_lstm_cell(self.values(seq, 0), ax=self._diagram_ax, title=f"unit {self.unit} at step t = 0")
        fig.canvas.draw()
        self._fig, self._seq = fig, seq

    def _set_title(self, seq: int) -> None:
        title = f"Inside the trained LSTM: {self.seq_labels[seq]}"
        self._fig.suptitle(title, fontsize=TITLE_PT, fontweight="bold", y=1 - 0.08 / PICTURE_IN[1], va="top")

    def _show_sequence(self, seq: int) -> None:
        for name, image in zip(self.names, self._images, strict=True):
            image.set_data(self.recording[name][seq].T.numpy())
        if self.t_marks is not None:
            for line in self._marks:
                line.set_xdata([self.t_marks[seq]] * 2)
        self._set_title(seq)
        self._seq = seq
        self._background = None

    def _save_background(self) -> None:
        """Render everything but the diagram and the cursors, and keep the pixels."""
        moving = [self._diagram_ax, *self._cursors]
        for artist in moving:
            artist.set_visible(False)
        self._fig.canvas.draw()
        self._background = self._fig.canvas.copy_from_bbox(self._fig.bbox)
        for artist in moving:
            artist.set_visible(True)

    def widget(
        self, units: Sequence[int] | None = None, seq: int = 0, step: int = 0
    ):  # -> ipywidgets.VBox (imported here, so that the rest of the module works without a front end)
        """A sequence picker, a unit picker and a step slider in one row, the step's values, then the figure.

        units: the units offered, in that order (default: every unit, the explorer's own first); seq, step:
        what to show first. Every change re-renders the figure into an ``Image`` widget at its natural size;
        all fits a 1366 x 768 screen. Stored, it shows the first figure and a sentence
        (:func:`helpers.widget_fallback.picture_box`). Attributes: picker, unit_picker, slider, image, text.
        """
        import ipywidgets as widgets

        self.recording.check_index(seq, step)
        n_h = self.recording.hidden_size
        offered = [self.unit] + [k for k in range(n_h) if k != self.unit]
        offered = check_items(units, "units", check_int) if units is not None else offered
        for unit in offered:
            self.recording.check_index(0, 0, unit)
        if self.unit not in offered:
            raise ValueError(f"units must include the explorer's unit {self.unit}; got {offered}")
        def sized(width: str, label: str) -> dict:
            return {"layout": widgets.Layout(width=width), "style": {"description_width": label}}

        picker = widgets.Dropdown(options=[(label, k) for k, label in enumerate(self.seq_labels)], value=seq,
                                  description="show", **sized("300px", "3em"))
        unit_picker = widgets.Dropdown(options=[(f"unit {k}", k) for k in offered], value=self.unit,
                                       description="unit", **sized("160px", "3em"))
        slider = widgets.IntSlider(value=step, min=0, max=self.recording.time - 1, description="step t",
                                   **sized("440px", "4em"))
        image = widgets.Image(format="png")
        text = widgets.HTML()

        def redraw(_change: object = None) -> None:
            if unit_picker.value != self.unit:
                self.set_unit(unit_picker.value)
            image.value = self.png(picker.value, slider.value)
            text.value = self.html(picker.value, slider.value)

        for control in (picker, unit_picker, slider):
            control.observe(redraw, names="value")
        redraw()
        note = (f"Interactive explorer: run the cells above to move the sliders. The picture shows "
                f"{self.seq_labels[seq]}, unit {self.unit}, step {step}.")
        box = picture_box([widgets.HBox([picker, unit_picker, slider]), text, image], image, note)
        box.picker, box.unit_picker, box.slider, box.image, box.text = picker, unit_picker, slider, image, text
        return box

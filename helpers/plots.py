"""Plot helpers that the notebooks share, beyond the style (:mod:`helpers.style`) and the diagrams."""

from __future__ import annotations

from matplotlib.axes import Axes

from helpers.corpus import Text
from helpers.style import SMALLEST_PT
from helpers.validate import check_instance


def draw_words(ax: Axes, text: Text) -> None:
    """Put the words of ``text`` under the x axis of ``ax`` (one tick per word, subjects in bold) and
    shade every other story, so a plot over word positions can be read word by word. ax: a matplotlib Axes;
    text: a :class:`~helpers.corpus.Text`."""
    check_instance(ax, "ax", Axes, "a matplotlib Axes, for example plt.subplots()[1]")
    check_instance(text, "text", Text, "a Text (from make_corpus or generate)")
    ax.set_xticks(range(len(text)))
    ax.set_xticklabels(text.words, rotation=90, fontsize=SMALLEST_PT)  # readable at the width a notebook shows
    for pos, label in enumerate(ax.get_xticklabels()):
        if pos in text.subjects:
            label.set_fontweight("bold")
    ax.set_xlim(-0.5, len(text) - 0.5)
    starts = [p - 1 for p in text.subjects] + [len(text)]
    for k in range(0, len(text.subjects), 2):
        ax.axvspan(starts[k] - 0.5, starts[k + 1] - 0.5, color="#777777", alpha=0.08, lw=0)
    ax.grid(axis="x", alpha=0.0)

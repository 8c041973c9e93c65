"""The heatmaps and the step-by-step explorer show the values of the step and sequence asked for."""

import io

import matplotlib
import numpy as np
import PIL.Image
import pytest
import torch

matplotlib.use("Agg")

from matplotlib import pyplot as plt  # noqa: E402

from helpers.diagrams import CELL_SIZE_IN, render_png  # noqa: E402
from helpers.gate_timeline import HEATMAPS, TimelineExplorer, draw_heatmaps  # noqa: E402
from helpers.gates import trace  # noqa: E402
from helpers.lstm import LSTM  # noqa: E402
from helpers.style import SCREEN  # noqa: E402
from helpers.tasks import describe_step, make_memory_batch  # noqa: E402
from helpers.widget_fallback import fallback_bundle  # noqa: E402


@pytest.fixture(scope="module")
def recorded():
    torch.manual_seed(0)
    lstm = LSTM(5, 6, forget_bias=1.0)
    x, y, t_mark = make_memory_batch(3, 12, generator=torch.Generator().manual_seed(1))
    return trace(lstm, x), t_mark


def chips(fig):
    """The numbers written on the diagram's wires (the first Axes), as the diagram writes them."""
    return {t.get_text() for t in fig.axes[0].texts}


def written(value):
    return f"{value:.2f}".replace("-", "\u2212")


def pixels(png):
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGBA"))


def test_heatmaps_show_the_sequence_units_down_time_across(recorded):
    rec, t_mark = recorded
    fig, images = draw_heatmaps(rec, 1, t_mark=int(t_mark[1]))
    assert len(images) == len(HEATMAPS)
    for name, image in zip(HEATMAPS, images, strict=True):
        assert np.array_equal(image.get_array(), rec[name][1].T.numpy())  # (units, time)
    marks = [line for ax in fig.axes[: len(HEATMAPS)] for line in ax.get_lines()]
    assert [line.get_xdata()[0] for line in marks] == [int(t_mark[1])] * len(HEATMAPS)
    assert fig.get_suptitle() and fig.axes[len(HEATMAPS) - 1].get_xlabel() == "time step t"
    plt.close(fig)


def test_heatmaps_refuse_bad_arguments(recorded):
    rec, _ = recorded
    with pytest.raises(IndexError, match=r"seq must lie in \[0, 2\]"):
        draw_heatmaps(rec, 3)
    with pytest.raises(IndexError, match=r"step must lie in \[0, 11\]"):
        draw_heatmaps(rec, 0, t_mark=12)
    with pytest.raises(ValueError, match="names must be a non-empty list"):
        draw_heatmaps(rec, 0, names=["g_t"])


@pytest.fixture(scope="module")
def explorer_of_unit_2(recorded):
    rec, t_mark = recorded
    return TimelineExplorer(rec, 2, t_marks=t_mark)


@pytest.mark.parametrize("step", [0, 1, 5, 11, 4])
def test_the_figure_for_step_k_shows_step_k(recorded, explorer_of_unit_2, step):
    rec, _ = recorded
    explorer = explorer_of_unit_2  # one explorer for every step, as in the notebook
    fig = explorer.figure(1, step)
    assert all(list(c.get_xdata()) == [step, step] for c in explorer._cursors)
    values = rec.values_at(1, step, 2)
    assert {written(values[k]) for k in ("f_t", "i_t", "C_tilde_t", "o_t", "C_t", "h_t", "C_prev")} <= chips(fig)
    assert fig.axes[0].get_title() == f"unit 2 at step t = {step}"


def test_the_text_for_step_k_gives_step_k_and_its_input(recorded):
    rec, t_mark = recorded
    explorer = TimelineExplorer(rec, 4, t_marks=t_mark, describe_input=describe_step)
    mark = int(t_mark[0])
    text = explorer.html(0, mark)
    assert f"<b>step {mark}</b> of 11" in text and "marked" in text and f"marked step: {mark}" in text
    values = rec.values_at(0, mark, 4)
    for key, symbol in (("f_t", "f_t"), ("i_t", "i_t"), ("C_tilde_t", "C̃_t"), ("o_t", "o_t"), ("h_t", "h_t")):
        assert f"{symbol} = {values[key]:.2f}" in text
    assert "unit 4:" in text


def test_changing_sequence_shows_the_new_sequence(recorded):
    rec, t_mark = recorded
    explorer = TimelineExplorer(rec, 0, t_marks=t_mark)
    explorer.figure(0, 3)
    fig = explorer.figure(2, 3)
    for name, image in zip(HEATMAPS, explorer._images, strict=True):
        assert np.array_equal(image.get_array(), rec[name][2].T.numpy())
    assert all(line.get_xdata()[0] == int(t_mark[2]) for line in explorer._marks)
    assert fig.get_suptitle() == "Inside the trained LSTM: sequence 2"


def test_the_fast_png_equals_a_full_render(recorded):
    rec, t_mark = recorded
    explorer = TimelineExplorer(rec, 1, t_marks=t_mark)
    explorer.png(0, 0)  # saves the background of sequence 0
    for seq, step in [(0, 4), (2, 7)]:  # the same sequence, then another one
        fast = pixels(explorer.png(seq, step))
        full = pixels(render_png(explorer.figure(seq, step)))
        assert fast.shape == full.shape
        differ = (np.abs(fast.astype(int) - full.astype(int)).max(axis=2) > 2).sum()
        assert differ <= 20, f"{differ} pixels differ"  # only the cursors' ends, antialiased at the clip edge
        assert not np.array_equal(fast, pixels(explorer.png(seq, step + 1)))


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((0, 12), {}, IndexError, r"step must lie in \[0, 11\] for this recording; got 12"),
        ((0, -1), {}, IndexError, r"step must lie in \[0, 11\]"),
        ((3, 0), {}, IndexError, r"seq must lie in \[0, 2\]"),
        ((0, 2.5), {}, TypeError, "step must be an integer"),
    ],
)
def test_a_bad_step_or_sequence_raises_a_clear_error(recorded, args, kwargs, error, match):
    rec, _ = recorded
    explorer = TimelineExplorer(rec, 0)
    for method in (explorer.figure, explorer.html, explorer.png):
        with pytest.raises(error, match=match):
            method(*args)


def test_the_explorer_refuses_bad_settings(recorded):
    rec, t_mark = recorded
    with pytest.raises(IndexError, match=r"unit must lie in \[0, 5\]"):
        TimelineExplorer(rec, 6)
    with pytest.raises(ValueError, match=r"one marked step per sequence \(3\); got 2"):
        TimelineExplorer(rec, 0, t_marks=[1, 2])
    with pytest.raises(IndexError, match="step must lie"):
        TimelineExplorer(rec, 0, t_marks=[1, 2, 40])
    with pytest.raises(TypeError, match="recording must be an LSTMTrace"):
        TimelineExplorer(rec.x, 0)
    with pytest.raises(ValueError, match=r"one label per sequence \(3\); got 1"):
        TimelineExplorer(rec, 0, seq_labels=["a"])
    with pytest.raises(ValueError, match="must include the explorer's unit 0"):
        TimelineExplorer(rec, 0).widget(units=[1, 2])
    with pytest.raises(IndexError, match=r"unit must lie in \[0, 5\]"):
        TimelineExplorer(rec, 0).widget(units=[0, 9])
    with pytest.raises(IndexError, match=r"unit must lie in \[0, 5\]"):
        TimelineExplorer(rec, 0).set_unit(-1)


def test_another_unit_moves_the_outline_and_the_diagram(recorded):
    rec, t_mark = recorded
    explorer = TimelineExplorer(rec, 0, t_marks=t_mark)
    explorer.png(1, 3)
    explorer.set_unit(4)
    fig = explorer.figure(1, 3)
    assert all(box.get_y() == 3.5 for box in explorer._unit_boxes)
    assert fig.axes[0].get_title() == "unit 4 at step t = 3"
    assert written(rec.values_at(1, 3, 4)["C_t"]) in chips(fig)
    assert "unit 4:" in explorer.html(1, 3)


def test_the_widget_redraws_when_the_slider_or_picker_moves(recorded):
    rec, t_mark = recorded
    plt.close("all")
    explorer = TimelineExplorer(rec, 3, t_marks=t_mark, describe_input=describe_step, seq_labels=["a", "b", "c"])
    box = explorer.widget()
    assert "<b>step 0</b>" in box.text.value and bytes(box.image.value).startswith(b"\x89PNG")
    first_image = bytes(box.image.value)
    box.slider.value = 6
    assert "<b>step 6</b>" in box.text.value and f"marked step: {int(t_mark[0])}" in box.text.value
    assert bytes(box.image.value) != first_image
    box.picker.value = 2
    assert "<b>step 6</b>" in box.text.value and f"marked step: {int(t_mark[2])}" in box.text.value
    assert explorer.figure(2, 6).get_suptitle() == "Inside the trained LSTM: c"
    assert box.slider.max == 11 and [label for label, _ in box.picker.options] == ["a", "b", "c"]
    assert [value for _, value in box.unit_picker.options] == [3, 0, 1, 2, 4, 5]  # its own unit first
    box.unit_picker.value = 5
    assert "unit 5:" in box.text.value and f"h_t = {rec.h_t[2, 6, 5].item():.2f}" in box.text.value
    assert not plt.get_fignums(), "the explorer's figure is not a pyplot figure: a notebook would show it twice"


def test_the_picture_fits_the_screen_and_is_shown_at_its_natural_size(recorded):
    rec, t_mark = recorded
    explorer = TimelineExplorer(rec, 1, t_marks=t_mark, seq_labels=["a", "b", "c"])
    box = explorer.widget(step=4)
    png = bytes(box.image.value)
    width, height = PIL.Image.open(io.BytesIO(png)).size
    assert width <= SCREEN.content_width and height <= 500, "with the controls above, it must fit one screen"
    assert box.image.layout.width == f"{width}px" and box.image.layout.max_width == "100%"
    box_of_diagram = explorer.figure(0, 4).axes[0].get_position()
    inches = explorer.figure(0, 4).get_size_inches()
    assert (box_of_diagram.width * inches[0], box_of_diagram.height * inches[1]) == pytest.approx(CELL_SIZE_IN)


def test_before_the_notebook_runs_the_output_is_the_picture_and_a_sentence(recorded):
    rec, t_mark = recorded
    box = TimelineExplorer(rec, 1, t_marks=t_mark, seq_labels=["a", "b", "c"]).widget(seq=2, step=4)
    data, _ = fallback_bundle(bytes(box.picture.value), box.note, box.model_id)
    assert data["text/plain"] == (
        "Interactive explorer: run the cells above to move the sliders. The picture shows c, unit 1, step 4."
    )
    assert box.picture is box.image

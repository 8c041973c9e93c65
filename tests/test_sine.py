"""Sine-wave data and windowing: values, shapes, seeds and bad input."""

import math

import pytest
import torch

from helpers.series import PERIOD_SCALE, classic_sine_data, random_shifts, sine_waves
from helpers.windows import as_batch, as_series, random_windows, sliding_windows, split_window


def test_sine_waves_follow_the_formula():
    shifts = torch.tensor([-80, 0, 13])
    x = sine_waves(shifts, 50, dtype=torch.float64)
    assert x.shape == (3, 50)
    for i, s in enumerate(shifts.tolist()):
        for t in (0, 7, 49):
            assert x[i, t].item() == pytest.approx(math.sin((t + s) / PERIOD_SCALE), abs=1e-15)


def test_sine_waves_start_continues_the_wave():
    shifts = torch.tensor([5, -17])
    whole = sine_waves(shifts, 30, dtype=torch.float64)
    tail = sine_waves(shifts, 10, start=20, dtype=torch.float64)
    torch.testing.assert_close(whole[:, 20:], tail)


def test_shifts_are_seeded_and_in_range():
    a = random_shifts(1000, seed=3)
    assert torch.equal(a, random_shifts(1000, seed=3))
    assert not torch.equal(a, random_shifts(1000, seed=4))
    assert a.min() >= -80 and a.max() < 80 and a.dtype == torch.int64
    g = torch.Generator().manual_seed(3)
    assert torch.equal(a, random_shifts(1000, generator=g))


def test_shifts_do_not_touch_the_global_random_state():
    torch.manual_seed(0)
    before = torch.rand(1)
    torch.manual_seed(0)
    random_shifts(10, seed=1)
    assert torch.equal(before, torch.rand(1))


def test_shift_arguments_are_checked():
    with pytest.raises(ValueError, match="seed"):
        random_shifts(5)
    with pytest.raises(ValueError, match="not both"):
        random_shifts(5, seed=1, generator=torch.Generator())
    with pytest.raises(ValueError, match="n_waves"):
        random_shifts(0, seed=1)
    with pytest.raises(TypeError, match="Generator"):
        random_shifts(5, generator=1)
    with pytest.raises(ValueError, match="shifts"):
        sine_waves(torch.tensor([]), 10)
    with pytest.raises(ValueError, match="length"):
        sine_waves(torch.tensor([1]), 0)


def test_classic_data_layout():
    d = classic_sine_data(seed=1, n_train=5, n_test=2, length=40, horizon=10)
    assert d["train"].shape == (5, 40) and d["test"].shape == (2, 40) and d["test_future"].shape == (2, 10)
    # the future continues each test wave exactly
    expected = sine_waves(d["shifts"][5:], 50)
    torch.testing.assert_close(torch.cat([d["test"], d["test_future"]], dim=1), expected)
    again = classic_sine_data(seed=1, n_train=5, n_test=2, length=40, horizon=10)
    assert torch.equal(d["train"], again["train"])


def test_as_series_and_as_batch():
    assert as_series(torch.zeros(7)).shape == (7, 1)
    assert as_series(torch.zeros(7, 3)).shape == (7, 3)
    assert as_batch(torch.zeros(7)).shape == (1, 7, 1)
    assert as_batch(torch.zeros(2, 7, 3)).shape == (2, 7, 3)
    with pytest.raises(ValueError, match="empty"):
        as_series(torch.zeros(0))
    with pytest.raises(ValueError, match="finite"):
        as_series(torch.tensor([1.0, float("nan")]))
    with pytest.raises(ValueError, match="dimensions"):
        as_series(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match="dimensions"):
        as_batch(torch.zeros(2, 3, 4, 5))
    with pytest.raises(TypeError, match="floating"):
        as_series(torch.arange(5))


def test_sliding_windows_are_the_slices():
    x = torch.arange(20.0).reshape(10, 2)  # (time, features)
    w = sliding_windows(x, 4, stride=3)
    assert w.shape == (3, 4, 2)
    for k in range(3):
        assert torch.equal(w[k], x[3 * k : 3 * k + 4])
    stack = torch.stack([x, -x])  # (n_series, time, features)
    ws = sliding_windows(stack, 4, stride=3)
    assert ws.shape == (6, 4, 2)
    assert torch.equal(ws[3:], -w)
    assert sliding_windows(torch.arange(5.0), 5).shape == (1, 5, 1)


def test_sliding_windows_rejects_bad_input():
    with pytest.raises(ValueError, match="at most"):
        sliding_windows(torch.zeros(5), 6)
    with pytest.raises(ValueError, match="length"):
        sliding_windows(torch.zeros(5), 0)
    with pytest.raises(ValueError, match="stride"):
        sliding_windows(torch.zeros(5), 2, stride=0)


def test_split_window():
    w = torch.arange(12.0).reshape(2, 6, 1)
    past, future = split_window(w, 4)
    assert past.shape == (2, 4, 1) and future.shape == (2, 2, 1)
    assert torch.equal(torch.cat([past, future], 1), w)
    with pytest.raises(ValueError, match="context"):
        split_window(w, 6)


def test_random_windows_are_slices_and_seeded():
    x = torch.stack([torch.arange(30.0), 100 + torch.arange(30.0)])[..., None]  # (2, 30, 1)
    w = random_windows(x, 5, 50, torch.Generator().manual_seed(0))
    assert w.shape == (50, 5, 1)
    diffs = w[:, 1:, 0] - w[:, :-1, 0]
    assert torch.equal(diffs, torch.ones(50, 4))  # consecutive steps of one series
    assert (w[:, 0, 0] < 26).sum() > 0 and (w[:, 0, 0] >= 100).sum() > 0  # both series drawn
    assert w[:, -1, 0].remainder(100).max() <= 29
    again = random_windows(x, 5, 50, torch.Generator().manual_seed(0))
    assert torch.equal(w, again)
    with pytest.raises(ValueError, match="at most"):
        random_windows(x, 31, 2, torch.Generator())
    with pytest.raises(ValueError, match="n must"):
        random_windows(x, 3, 0, torch.Generator())

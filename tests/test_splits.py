"""The forecasting protocol: spans in time order, windows that never score outside their span, and
transforms fitted on the training span that no later value can change."""

import pytest
import torch

from helpers.baselines import fit_ar
from helpers.forecast import forecast
from helpers.splits import (
    OnDifferences,
    Span,
    Split,
    chronological_split,
    difference,
    fit_differencer,
    fit_scaler,
    origin_windows,
    undifference,
)


def rising_series(n=120, seed=0, dtype=torch.float64):
    """A trend, a 12-step season and noise: (n,)."""
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(n, dtype=dtype)
    return 300 + 0.1 * t + 3 * torch.sin(2 * torch.pi * t / 12) + 0.2 * torch.randn(n, generator=g, dtype=dtype)


# --- spans and splits ---------------------------------------------------------------------------


def test_span_is_a_half_open_range():
    span = Span(3, 7)
    assert len(span) == 4 and span.slice == slice(3, 7)
    assert torch.arange(10)[span.slice].tolist() == [3, 4, 5, 6]


@pytest.mark.parametrize(("start", "stop"), [(5, 5), (6, 5)])
def test_an_empty_span_is_refused(start, stop):
    with pytest.raises(ValueError, match="must not be empty"):
        Span(start, stop)


def test_span_bounds_are_checked():
    with pytest.raises(ValueError, match="before step 0"):
        Span(-1, 4)
    with pytest.raises(TypeError, match="must be an int"):
        Span(0, 4.0)
    with pytest.raises(TypeError, match="must be an int"):
        Span(True, 4)


def test_chronological_split_covers_the_series_in_order():
    split = chronological_split(100, 60, 80)
    assert (split.train, split.valid, split.test) == (Span(0, 60), Span(60, 80), Span(80, 100))


@pytest.mark.parametrize(
    ("train", "valid", "test"),
    [
        (Span(0, 61), Span(60, 80), Span(80, 100)),  # train overlaps valid
        (Span(0, 60), Span(60, 81), Span(80, 100)),  # valid overlaps test
        (Span(80, 100), Span(60, 80), Span(0, 60)),  # reversed
    ],
)
def test_overlapping_or_unordered_spans_are_refused(train, valid, test):
    with pytest.raises(ValueError, match="time order without overlapping"):
        Split(train, valid, test)


def test_a_gap_between_spans_is_allowed():
    assert Split(Span(0, 50), Span(55, 70), Span(75, 100)).valid == Span(55, 70)


def test_a_split_by_fractions_cuts_a_series_in_order():
    split = chronological_split(10, fractions=(0.6, 0.2, 0.2))
    a, b, c = split.cut(torch.arange(10.0))
    assert (a.shape[0], b.shape[0], c.shape[0]) == (6, 2, 2)
    assert torch.equal(torch.cat([a, b, c]).squeeze(1), torch.arange(10.0))
    assert split == chronological_split(10, 6, 8)
    with pytest.raises(ValueError, match="sum to 1"):
        chronological_split(10, fractions=(0.5, 0.2, 0.2))
    with pytest.raises(ValueError, match="too short"):
        chronological_split(3, fractions=(0.9, 0.05, 0.05))
    with pytest.raises(ValueError, match="not both"):
        chronological_split(10, 6, 8, fractions=(0.6, 0.2, 0.2))
    with pytest.raises(ValueError, match="give valid_start and test_start"):
        chronological_split(10, 6)
    with pytest.raises(ValueError, match="runs past the end of a series of 9 steps"):
        split.cut(torch.arange(9.0))


def test_split_bad_arguments():
    with pytest.raises(ValueError, match="must not be empty"):
        chronological_split(100, 60, 60)  # empty validation span
    with pytest.raises(ValueError, match="must not be empty"):
        chronological_split(100, 60, 100)  # empty test span
    with pytest.raises(ValueError, match="must not be empty"):
        chronological_split(100, 70, 60)  # overlap shows as an empty validation span
    with pytest.raises(ValueError, match="runs past the end"):
        Split(Span(0, 60), Span(60, 80), Span(80, 120)).check_fits(100)
    with pytest.raises(TypeError, match="must be a Span"):
        Split((0, 60), Span(60, 80), Span(80, 100))
    with pytest.raises(ValueError, match="n_steps must be a positive integer"):
        chronological_split(0, 0, 0)


# --- forecast windows ---------------------------------------------------------------------------


def test_origin_windows_score_only_inside_the_span():
    x = torch.arange(50.0)
    past, future = origin_windows(x, Span(30, 40), context=5, horizon=3)
    assert past.shape == (8, 5, 1) and future.shape == (8, 3, 1)  # 10 - 3 + 1 origins
    assert past[0, :, 0].tolist() == [25, 26, 27, 28, 29]  # origin 29, the step before the span
    assert future[0, :, 0].tolist() == [30, 31, 32]  # the first target is the span's first step
    assert future[-1, :, 0].tolist() == [37, 38, 39]  # the last target is the span's last step
    torch.testing.assert_close(past[:, -1, 0] + 1, future[:, 0, 0])  # each future follows its past


def test_origin_windows_keep_features():
    x = torch.randn(40, 2)
    past, future = origin_windows(x, Span(20, 40), context=4, horizon=2)
    assert past.shape == (19, 4, 2) and future.shape == (19, 2, 2)
    torch.testing.assert_close(future[3], x[23:25])


@pytest.mark.parametrize(
    ("series", "kwargs", "error", "match"),
    [
        (torch.arange(50.0), {"horizon": 0}, ValueError, "horizon must be a positive integer"),
        (torch.arange(50.0), {"horizon": -2}, ValueError, "horizon must be a positive integer"),
        (torch.arange(50.0), {"context": 0}, ValueError, "context must be a positive integer"),
        (torch.arange(50.0), {"context": 31}, ValueError, "context of at most 30"),
        (torch.arange(50.0), {"horizon": 11}, ValueError, "cannot hold a horizon of 11"),
        (torch.arange(35.0), {}, ValueError, "runs past the end"),
        (torch.tensor([float("nan")] * 50), {}, ValueError, "finite values"),
        (torch.zeros(0), {}, ValueError, "must not be empty"),
        (torch.zeros(2, 50, 1), {}, ValueError, "must have 2 dimensions"),
        (torch.arange(50), {}, TypeError, "floating-point"),
    ],
)
def test_origin_windows_reject_bad_input(series, kwargs, error, match):
    args = {"context": 5, "horizon": 3} | kwargs
    with pytest.raises(error, match=match):
        origin_windows(series, Span(30, 40), **args)


# --- scaler -------------------------------------------------------------------------------------


def test_scaler_is_fitted_on_the_training_span_only():
    x = rising_series()
    train = Span(0, 80)
    scaler = fit_scaler(x, train)
    torch.testing.assert_close(scaler.mean, x[:80].mean()[None])
    torch.testing.assert_close(scaler.std, x[:80].std(correction=0)[None])
    z_train = scaler.transform(x[train.slice])
    torch.testing.assert_close(scaler.inverse(z_train), x[:80])
    assert abs(z_train.mean().item()) < 1e-12 and z_train.std(correction=0).item() == pytest.approx(1)


def test_no_later_value_leaks_into_the_scaler():
    x = rising_series()
    train = Span(0, 80)
    changed = x.clone()
    changed[80:] = 1e6 * torch.randn(40, dtype=x.dtype)  # rewrite validation and test completely
    a, b = fit_scaler(x, train), fit_scaler(changed, train)
    assert torch.equal(a.mean, b.mean) and torch.equal(a.std, b.std)
    assert torch.equal(a.transform(x[train.slice]), b.transform(changed[train.slice]))
    # the test can fail: a change inside the training span does move the scaler
    changed[79] += 1.0
    assert not torch.equal(fit_scaler(changed, train).mean, a.mean)


def test_scaler_per_feature_and_on_another_dtype():
    x = torch.stack([rising_series(), 10 * rising_series(seed=1)], dim=1)  # (120, 2)
    scaler = fit_scaler(x, Span(0, 80))
    assert scaler.mean.shape == (2,)
    z = scaler.transform(x.float())
    assert z.dtype == torch.float32
    torch.testing.assert_close(z[:80].mean(dim=0), torch.zeros(2), atol=1e-4, rtol=0)


def test_scaler_bad_input():
    x = rising_series()
    with pytest.raises(ValueError, match="runs past the end"):
        fit_scaler(x, Span(0, 121))
    with pytest.raises(ValueError, match="at least 2 steps"):
        fit_scaler(x, Span(5, 6))
    with pytest.raises(ValueError, match="constant"):
        fit_scaler(torch.ones(10), Span(0, 10))
    with pytest.raises(ValueError, match="finite values"):
        fit_scaler(torch.tensor([1.0, float("nan"), 2.0]), Span(0, 3))
    with pytest.raises(ValueError, match="must not be empty"):
        fit_scaler(torch.zeros(0), Span(0, 1))
    with pytest.raises(ValueError, match="must have 2 dimensions"):
        fit_scaler(torch.zeros(3, 10, 1), Span(0, 10))


# --- differencing -------------------------------------------------------------------------------


def test_undifference_inverts_difference():
    x = rising_series()[None, :, None]  # (1, 120, 1)
    d = difference(x)
    assert d.shape == (1, 119, 1)
    torch.testing.assert_close(d[0, 4, 0], x[0, 5, 0] - x[0, 4, 0])
    torch.testing.assert_close(undifference(x[:, :1], d), x[:, 1:])


def test_differencer_round_trip_and_training_statistics():
    x = rising_series()
    diff = fit_differencer(x, Span(0, 80))
    d_train = x[1:80] - x[:79]  # the 79 changes inside the span
    torch.testing.assert_close(diff.scaler.mean, d_train.mean()[None])
    levels = x[None, 60:100, None]
    z = diff.encode(levels)
    assert z.shape == (1, 39, 1)
    torch.testing.assert_close(diff.decode(levels[:, :1], z), levels[:, 1:])


def test_no_later_value_leaks_into_the_differencer():
    x = rising_series()
    changed = x.clone()
    changed[80] += 100.0  # the change x_80 - x_79 crosses the span's end: it must not count
    a, b = fit_differencer(x, Span(0, 80)), fit_differencer(changed, Span(0, 80))
    assert torch.equal(a.scaler.mean, b.scaler.mean) and torch.equal(a.scaler.std, b.scaler.std)
    changed[79] += 1.0
    assert not torch.equal(fit_differencer(changed, Span(0, 80)).scaler.mean, a.scaler.mean)


def test_differencing_bad_input():
    with pytest.raises(ValueError, match="at least 2 steps"):
        difference(torch.zeros(1, 1, 1))
    with pytest.raises(ValueError, match="at least 2 steps"):
        difference(torch.zeros(5))
    with pytest.raises(ValueError, match="last must have shape"):
        undifference(torch.zeros(2, 2, 1), torch.zeros(2, 3, 1))
    with pytest.raises(ValueError, match="finite values"):
        undifference(torch.zeros(1, 1, 1), torch.tensor([[[float("nan")]]]))


# --- a forecaster of changes run as a forecaster of levels --------------------------------------


def test_on_differences_runs_free_in_levels():
    x = rising_series().float()
    train = Span(0, 80)
    diff = fit_differencer(x, train)
    ar = fit_ar(diff.encode(x[None, train.slice, None])[0], 13)
    past, _ = origin_windows(x, Span(80, 120), context=25, horizon=12)
    levels = forecast(OnDifferences(ar, diff), past, 12)
    # the same forecast by hand: the AR runs free on the changes, which are then summed up
    by_hand = diff.decode(past[:, -1:], forecast(ar, diff.encode(past), 12))
    torch.testing.assert_close(levels, by_hand, atol=1e-4, rtol=0)


def test_on_differences_one_step_and_state():
    x = rising_series()[None, :40, None]
    diff = fit_differencer(x[0], Span(0, 40))
    ar = fit_ar(diff.encode(x)[0], 3)
    model = OnDifferences(ar, diff)
    y, _ = model(x)
    assert torch.isnan(y[:, 0]).all()  # no level before the first one
    z_hat, _ = ar(diff.encode(x))
    torch.testing.assert_close(y[:, 1:], x[:, 1:] + diff.scaler.inverse(z_hat))
    first, state = model(x[:, :15])
    rest, _ = model(x[:, 15:], state)
    torch.testing.assert_close(torch.cat([first, rest], dim=1)[:, 1:], y[:, 1:])
    with pytest.raises(ValueError, match="at least 2 steps"):
        model(x[:, :1])

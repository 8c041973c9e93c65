"""Persistence and least-squares AR(p): exactness on a sine, shapes, feedback, bad input."""

import math

import pytest
import torch

from helpers.baselines import LinearAR, Persistence, fit_ar, lagged, select_ar_order
from helpers.forecast import forecast


def test_ar2_is_exact_on_a_pure_sine():
    # sin(ω(t+1)) = 2 cos ω · sin(ωt) − sin(ω(t−1))
    omega = 1 / 20
    x = torch.sin(omega * torch.arange(400, dtype=torch.float64) + 0.3)
    ar = fit_ar(x, 2)
    assert ar.a.tolist() == pytest.approx([2 * math.cos(omega), -1.0], abs=1e-6)
    assert abs(ar.c.item()) < 1e-9
    # run free, it continues the wave to rounding error
    pred = forecast(ar, x[:100], 300)[0, :, 0]
    torch.testing.assert_close(pred, x[100:400], atol=1e-9, rtol=0)


def test_ar_fits_a_known_linear_recursion_with_two_features():
    A1 = torch.tensor([[0.5, 0.1], [-0.2, 0.3]], dtype=torch.float64)
    A2 = torch.tensor([[0.1, 0.0], [0.05, -0.1]], dtype=torch.float64)
    c = torch.tensor([0.2, -0.1], dtype=torch.float64)
    g = torch.Generator().manual_seed(0)
    x = torch.zeros(3000, 2, dtype=torch.float64)
    x[:2] = torch.randn(2, 2, generator=g, dtype=torch.float64)
    noise = 0.1 * torch.randn(3000, 2, generator=g, dtype=torch.float64)
    for t in range(1, 2999):
        x[t + 1] = A1 @ x[t] + A2 @ x[t - 1] + c + noise[t + 1]
    ar = fit_ar(x, 2)
    # recover the recursion from the data (noise keeps the regressors independent)
    torch.testing.assert_close(ar.A[0], A1, atol=0.05, rtol=0)
    torch.testing.assert_close(ar.A[1], A2, atol=0.05, rtol=0)
    # and forward computes exactly A_1 x_t + A_2 x_{t-1} + c
    y, state = ar(x[None, :10])
    manual = x[1:9] @ ar.A[0].T + x[0:8] @ ar.A[1].T + ar.c
    torch.testing.assert_close(y[0, 1:9], manual)
    torch.testing.assert_close(state[0], x[9:10])


def test_ar_state_carries_over():
    x = torch.randn(3, 30, 1, dtype=torch.float64)
    ar = fit_ar(x, 5)
    whole, _ = ar(x)
    first, state = ar(x[:, :12])
    rest, _ = ar(x[:, 12:], state)
    torch.testing.assert_close(torch.cat([first, rest], dim=1), whole)


def test_ar_keeps_dtype_and_pools_series():
    x = torch.randn(4, 50, 1)
    ar = fit_ar(x, 3)
    assert ar.A.dtype == torch.float32 and ar.A.shape == (3, 1, 1) and ar.order == 3
    no_c = fit_ar(x, 3, intercept=False)
    assert no_c.c.abs().max() == 0


def test_ar_bad_input():
    with pytest.raises(ValueError, match="order"):
        fit_ar(torch.randn(50), 0)
    with pytest.raises(ValueError, match="at least 6 steps"):
        fit_ar(torch.randn(5), 5)
    with pytest.raises(ValueError, match="finite"):
        fit_ar(torch.tensor([1.0, float("nan"), 2.0, 3.0]), 1)
    with pytest.raises(ValueError, match="empty"):
        fit_ar(torch.zeros(0), 1)
    with pytest.raises(ValueError, match="dimensions"):
        fit_ar(torch.zeros(2, 3, 4, 5), 1)
    ar = fit_ar(torch.randn(50), 4)
    with pytest.raises(ValueError, match="at least 4 steps"):
        ar(torch.randn(1, 3, 1))
    with pytest.raises(ValueError, match="features"):
        ar(torch.randn(1, 10, 2))
    with pytest.raises(ValueError, match="single-feature"):
        _ = fit_ar(torch.randn(50, 2), 2).a


def test_lagged_is_newest_first():
    x = torch.arange(6.0).reshape(1, 6, 1)
    lags = lagged(x, 3)
    assert lags.shape == (1, 4, 3, 1)
    assert lags[0, 0, :, 0].tolist() == [2.0, 1.0, 0.0]
    assert lags[0, 3, :, 0].tolist() == [5.0, 4.0, 3.0]


def test_persistence_repeats_the_last_value():
    context = torch.randn(2, 7, 3)
    pred = forecast(Persistence(), context, 5)
    assert pred.shape == (2, 5, 3)
    assert torch.equal(pred, context[:, -1:].expand(2, 5, 3))


def test_select_ar_order_on_two_sines():
    g = torch.Generator().manual_seed(1)
    t = torch.arange(600, dtype=torch.float64)
    clean = torch.sin(t / 7) + 0.5 * torch.sin(t / 3)
    _, exact = select_ar_order(clean[:400], clean[400:], [1, 2, 4], horizon=5, stride=5)
    assert exact[4] < 1e-12 < exact[2]  # two sines need AR(4); AR(2) cannot
    x = clean + 0.001 * torch.randn(600, generator=g, dtype=torch.float64)
    best, scores = select_ar_order(x[:400], x[400:], [1, 2, 4, 8], horizon=5, stride=5)
    assert set(scores) == {1, 2, 4, 8}
    # with noise in the regressors a longer AR averages it out and wins on validation data
    assert best == 8 and scores[8] < scores[4] < scores[2]
    with pytest.raises(ValueError, match="orders"):
        select_ar_order(x[:400], x[400:], [])


def test_linear_ar_checks_its_coefficients():
    with pytest.raises(ValueError, match="order, features, features"):
        LinearAR(torch.zeros(2, 1, 3), torch.zeros(1))
    with pytest.raises(ValueError, match="c must"):
        LinearAR(torch.zeros(2, 1, 1), torch.zeros(2))

"""MAE and MASE per horizon, on numbers small enough to check by hand."""

import pytest
import torch

from helpers.metrics import mae_by_horizon, mase_by_horizon, seasonal_naive_scale


def test_mae_by_horizon_by_hand():
    truth = torch.zeros(2, 3, 1)
    prediction = torch.tensor([[[1.0], [-2.0], [0.5]], [[3.0], [2.0], [-0.5]]])
    torch.testing.assert_close(mae_by_horizon(prediction, truth), torch.tensor([2.0, 2.0, 0.5]))


def test_mae_averages_features_too():
    truth = torch.zeros(1, 2, 2)
    prediction = torch.tensor([[[1.0, 3.0], [0.0, -4.0]]])
    torch.testing.assert_close(mae_by_horizon(prediction, truth), torch.tensor([2.0, 2.0]))


def test_seasonal_naive_scale_on_a_trend():
    t = torch.arange(48.0)
    # x_t = 0.5 t + a 12-step season: x_t - x_{t-12} = 6 everywhere
    x = 0.5 * t + torch.sin(2 * torch.pi * t / 12)
    torch.testing.assert_close(seasonal_naive_scale(x, 12), torch.tensor([6.0]), atol=1e-5, rtol=0)
    # with period 1 it is the in-sample MAE of persistence
    torch.testing.assert_close(seasonal_naive_scale(t, 1), torch.tensor([1.0]))


def test_seasonal_naive_scale_uses_absolute_values_and_features():
    x = torch.tensor([[0.0, 0.0], [2.0, -1.0], [0.0, 0.0], [2.0, 1.0]])  # changes: ±2, and -1, +1, +1
    torch.testing.assert_close(seasonal_naive_scale(x, 1), torch.tensor([2.0, 1.0]))


def test_mase_is_mae_over_the_scale():
    g = torch.Generator().manual_seed(0)
    prediction, truth = torch.randn(5, 4, 1, generator=g), torch.randn(5, 4, 1, generator=g)
    torch.testing.assert_close(mase_by_horizon(prediction, truth, 2.0), mae_by_horizon(prediction, truth) / 2)
    q = torch.tensor([2.0, 4.0])
    p2, t2 = torch.randn(5, 4, 2, generator=g), torch.randn(5, 4, 2, generator=g)
    want = ((p2 - t2).abs() / q).mean(dim=(0, 2))
    torch.testing.assert_close(mase_by_horizon(p2, t2, q), want)


def test_seasonal_naive_scores_mase_one_on_its_own_training_data():
    g = torch.Generator().manual_seed(1)
    x = torch.cumsum(torch.randn(60, generator=g), 0)
    prediction, truth = x[:-12].reshape(-1, 1, 1), x[12:].reshape(-1, 1, 1)
    mase = mase_by_horizon(prediction, truth, seasonal_naive_scale(x, 12))
    torch.testing.assert_close(mase, torch.tensor([1.0]))


@pytest.mark.parametrize(
    ("prediction", "truth", "error", "match"),
    [
        (torch.zeros(2, 3, 1), torch.zeros(2, 4, 1), ValueError, "horizon axis"),
        (torch.zeros(2, 3), torch.zeros(2, 3), ValueError, "must have 3 dimensions"),
        (torch.zeros(2, 0, 1), torch.zeros(2, 0, 1), ValueError, "must not be empty"),
        (torch.full((1, 2, 1), float("nan")), torch.zeros(1, 2, 1), ValueError, "finite values"),
        (torch.zeros(1, 2, 1), torch.full((1, 2, 1), float("nan")), ValueError, "finite values"),
        (torch.zeros(1, 2, 1, dtype=torch.int64), torch.zeros(1, 2, 1), TypeError, "floating-point"),
    ],
)
def test_metrics_reject_bad_input(prediction, truth, error, match):
    with pytest.raises(error, match=match):
        mae_by_horizon(prediction, truth)
    with pytest.raises(error, match=match):
        mase_by_horizon(prediction, truth, 1.0)


def test_scale_bad_input():
    with pytest.raises(ValueError, match="more than period=12 steps"):
        seasonal_naive_scale(torch.arange(12.0))
    with pytest.raises(ValueError, match="period must be a positive integer"):
        seasonal_naive_scale(torch.arange(30.0), 0)
    with pytest.raises(ValueError, match="MASE is undefined"):
        seasonal_naive_scale(torch.ones(30))
    with pytest.raises(ValueError, match="must not be empty"):
        seasonal_naive_scale(torch.zeros(0))
    with pytest.raises(ValueError, match="finite values"):
        seasonal_naive_scale(torch.tensor([1.0, float("nan")] * 10))
    with pytest.raises(ValueError, match="scale must be positive"):
        mase_by_horizon(torch.zeros(1, 2, 1), torch.ones(1, 2, 1), 0.0)
    with pytest.raises(ValueError, match="scale must be a number"):
        mase_by_horizon(torch.zeros(1, 2, 1), torch.ones(1, 2, 1), torch.ones(3))

"""Seasonal naive: one step, the free run repeating the last season, and bad input."""

import pytest
import torch

from helpers.baselines import LinearAR, seasonal_naive
from helpers.forecast import forecast


def test_one_step_is_the_value_one_period_back():
    x = torch.randn(2, 30, 1, dtype=torch.float64)
    model = seasonal_naive(12, dtype=torch.float64)
    assert isinstance(model, LinearAR) and model.order == 12
    y, _ = model(x)
    # y[:, t] predicts x_{t+1} = x_{t+1-12}: from t = 11 on, the whole context is there
    torch.testing.assert_close(y[:, 11:], x[:, :-11], rtol=0, atol=0)


def test_free_run_repeats_the_last_season():
    x = torch.randn(3, 20, 1)
    pred = forecast(seasonal_naive(12), x, 30)
    last_season = x[:, -12:]
    want = torch.cat([last_season, last_season, last_season[:, :6]], dim=1)
    torch.testing.assert_close(pred, want, rtol=0, atol=0)


def test_each_feature_repeats_itself():
    x = torch.randn(1, 8, 3)
    pred = forecast(seasonal_naive(4, n_features=3), x, 4)
    torch.testing.assert_close(pred, x[:, -4:], rtol=0, atol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="period must be a positive integer"):
        seasonal_naive(0)
    with pytest.raises(ValueError, match="n_features must be a positive integer"):
        seasonal_naive(12, n_features=0)
    with pytest.raises(ValueError, match="at least 12 steps of context"):
        forecast(seasonal_naive(12), torch.randn(1, 11, 1), 3)

"""The direct multi-step forecaster: against an LSTMCell loop, its loss, its forecast on differences, bad input."""

import pytest
import torch
from torch import nn

from helpers.forecast import DirectForecaster, direct_forecast, direct_loss
from helpers.splits import Span, fit_differencer
from helpers.train import fit
from helpers.windows import sliding_windows


def test_output_is_the_read_out_of_the_last_hidden_state():
    torch.manual_seed(0)
    model = DirectForecaster(n_features=2, hidden_size=5, horizon=3).double()
    x = torch.randn(4, 7, 2, dtype=torch.float64)
    cell = nn.LSTMCell(2, 5).double()  # the oracle: PyTorch's cell stepped by hand, same weights
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(cell, name).data.copy_(getattr(model.lstm, name + "_l0"))
    h = c = torch.zeros(4, 5, dtype=torch.float64)
    for t in range(7):
        h, c = cell(x[:, t], (h, c))
    want = (h @ model.head.weight.T + model.head.bias).reshape(4, 3, 2)
    got = model(x)
    assert got.shape == (4, 3, 2)
    torch.testing.assert_close(got, want)
    got.square().sum().backward()
    assert model.lstm.weight_hh_l0.grad is not None and model.lstm.weight_hh_l0.grad.abs().sum() > 0


def test_direct_loss_is_the_mse_over_every_horizon():
    torch.manual_seed(1)
    model = DirectForecaster(hidden_size=4, horizon=2)
    windows = torch.randn(6, 9, 1)
    want = ((model(windows[:, :7]) - windows[:, 7:]) ** 2).mean()
    torch.testing.assert_close(direct_loss(model, windows), want)


def test_direct_forecaster_learns_a_sine():
    t = torch.arange(400.0)
    windows = sliding_windows(torch.sin(t / 5), 16)
    torch.manual_seed(0)
    model = DirectForecaster(hidden_size=16, horizon=4)
    history = fit(model, direct_loss, windows, steps=150, batch_size=64, lr=1e-2, progress=False)
    assert history[-1] < 0.01 * history[0]


def test_direct_forecast_on_differences_returns_levels():
    t = torch.arange(100.0)
    x = 300 + 0.1 * t + torch.sin(2 * torch.pi * t / 12)
    differencer = fit_differencer(x, Span(0, 80))
    torch.manual_seed(2)
    model = DirectForecaster(hidden_size=4, horizon=5)
    context = x[60:80, None]
    levels = direct_forecast(model, context, differencer)
    z = model(differencer.encode(context[None]))
    torch.testing.assert_close(levels, differencer.decode(context[None, -1:], z))
    assert levels.shape == (1, 5, 1) and not levels.requires_grad
    torch.testing.assert_close(direct_forecast(model, context[None]), model(context[None]))


def test_direct_forecast_restores_training_mode():
    model = DirectForecaster(hidden_size=3, horizon=2)
    model.train()
    direct_forecast(model, torch.randn(2, 5, 1))
    assert model.training
    model.eval()
    direct_forecast(model, torch.randn(2, 5, 1))
    assert not model.training


def test_bad_input():
    model = DirectForecaster(hidden_size=3, horizon=2)
    with pytest.raises(ValueError, match="horizon must be a positive integer"):
        DirectForecaster(horizon=0)
    with pytest.raises(ValueError, match="features axis"):
        model(torch.randn(2, 5, 3))
    with pytest.raises(TypeError, match="share a dtype"):
        model(torch.randn(2, 5, 1, dtype=torch.float64))
    with pytest.raises(ValueError, match="finite values"):
        model(torch.full((2, 5, 1), float("nan")))
    with pytest.raises(ValueError, match="must not be empty"):
        model(torch.zeros(2, 0, 1))
    with pytest.raises(ValueError, match="windows need more than horizon=2 steps"):
        direct_loss(model, torch.randn(4, 2, 1))
    differencer = fit_differencer(torch.arange(10.0) ** 2, Span(0, 10))
    with pytest.raises(ValueError, match="at least 2 steps of context"):
        direct_forecast(model, torch.ones(1, 1, 1), differencer)

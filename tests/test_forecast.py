"""The LSTM forecaster, the free-running loop and the scores."""

import pytest
import torch
from torch import nn

from helpers.forecast import (
    Forecaster,
    Stage,
    closed_loop_loss,
    fit_free_run,
    forecast,
    one_step_loss,
    run_free,
)
from helpers.metrics import mse_by_horizon, windowed_mse


class PlusOne(nn.Module):
    """Predicts x_{t+1} = x_t + 1; run free it must draw a ramp."""

    def forward(self, x, state=None):
        calls = 0 if state is None else state
        return x + 1, calls + 1


def test_forecast_feeds_back_its_own_predictions():
    context = torch.tensor([[[0.0], [5.0]]])  # (batch=1, time=2, features=1)
    pred = forecast(PlusOne(), context, 4)
    assert pred[0, :, 0].tolist() == [6.0, 7.0, 8.0, 9.0]
    # accepts a bare series too
    assert forecast(PlusOne(), torch.tensor([1.0, 2.0]), 2)[0, :, 0].tolist() == [3.0, 4.0]


def test_forecast_rejects_bad_input():
    with pytest.raises(ValueError, match="horizon"):
        forecast(PlusOne(), torch.zeros(1, 3, 1), 0)
    with pytest.raises(ValueError, match="horizon"):
        forecast(PlusOne(), torch.zeros(1, 3, 1), -2)
    with pytest.raises(ValueError, match="empty"):
        forecast(PlusOne(), torch.zeros(1, 0, 1), 3)
    with pytest.raises(ValueError, match="finite"):
        forecast(PlusOne(), torch.tensor([1.0, float("nan")]), 3)
    with pytest.raises(ValueError, match="dimensions"):
        forecast(PlusOne(), torch.zeros(1, 2, 3, 1), 3)
    model = Forecaster(1, 4)
    with pytest.raises(TypeError, match="dtype"):
        forecast(model, torch.zeros(1, 3, 1, dtype=torch.float64), 3)
    with pytest.raises(ValueError, match="features"):
        forecast(model, torch.zeros(1, 3, 2), 3)


def test_forecaster_shapes_and_state():
    torch.manual_seed(0)
    model = Forecaster(n_features=2, hidden_size=5, num_layers=2)
    x = torch.randn(3, 7, 2)
    y, state = model(x)
    assert y.shape == (3, 7, 2)
    assert len(state) == 2 and all(h.shape == (3, 5) and c.shape == (3, 5) for h, c in state)
    # running in two pieces, passing the state, gives the same outputs
    y1, s1 = model(x[:, :4])
    y2, _ = model(x[:, 4:], s1)
    torch.testing.assert_close(torch.cat([y1, y2], 1), y)
    assert forecast(model, x, 6).shape == (3, 6, 2)


def test_forecaster_matches_torch_lstm():
    """One layer of our stacked cells equals torch.nn.LSTM with the same weights, outputs and gradients."""
    torch.manual_seed(1)
    ours = Forecaster(1, 6).double()
    lstm = nn.LSTM(1, 6, batch_first=True).double()
    cell = ours.cells[0]
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(cell.weight_ih)
        lstm.weight_hh_l0.copy_(cell.weight_hh)
        lstm.bias_ih_l0.copy_(cell.bias_ih)
        lstm.bias_hh_l0.copy_(cell.bias_hh)
    x = torch.randn(2, 9, 1, dtype=torch.float64)
    y, state = ours(x)
    h, (h_n, c_n) = lstm(x)
    ref = ours.head(h)
    torch.testing.assert_close(y, ref)
    torch.testing.assert_close(state[0][0], h_n[0])
    torch.testing.assert_close(state[0][1], c_n[0])
    (g_ours,) = torch.autograd.grad(y.sum(), cell.weight_hh)
    (g_ref,) = torch.autograd.grad(ref.sum(), lstm.weight_hh_l0)
    torch.testing.assert_close(g_ours, g_ref)


def test_residual_forecaster_adds_the_input():
    torch.manual_seed(0)
    plain = Forecaster(1, 4)
    res = Forecaster(1, 4, residual=True)
    res.load_state_dict(plain.state_dict())
    x = torch.randn(2, 5, 1)
    torch.testing.assert_close(res(x)[0], x + plain(x)[0])


def test_run_free_keeps_gradients_forecast_does_not():
    torch.manual_seed(0)
    model = Forecaster(1, 4)
    x = torch.randn(2, 5, 1)
    assert run_free(model, x, 3).requires_grad
    model.train()
    pred = forecast(model, x, 3)
    assert not pred.requires_grad and model.training  # mode restored


def test_losses():
    torch.manual_seed(0)
    model = PlusOne()
    ramp = torch.arange(10.0).reshape(1, 10, 1)
    assert one_step_loss(model, ramp).item() == 0
    assert closed_loop_loss(model, ramp, 4).item() == 0
    assert one_step_loss(model, torch.zeros(1, 5, 1)).item() == 1
    with pytest.raises(ValueError, match="at least 2"):
        one_step_loss(model, torch.zeros(1, 1, 1))
    with pytest.raises(ValueError, match="context"):
        closed_loop_loss(model, ramp, 10)
    # closed loop differs from one-step loss when errors compound: predictions of 0.5 per step
    half = torch.arange(0, 5, 0.5).reshape(1, 10, 1)
    assert one_step_loss(model, half).item() == pytest.approx(0.25)
    # free run from x=1.5 gives 2.5, 3.5, ...; truth 2, 2.5, ...: errors 0.5, 1, 1.5, ...
    errors = torch.arange(1, 7) * 0.5
    assert closed_loop_loss(model, half, 4).item() == pytest.approx(float((errors**2).mean()))


def test_mse_by_horizon_and_windowed_mse():
    pred = torch.zeros(2, 3, 1)
    truth = torch.tensor([[[1.0], [2.0], [3.0]], [[1.0], [0.0], [1.0]]])
    assert mse_by_horizon(pred, truth).tolist() == [1.0, 2.0, 5.0]
    with pytest.raises(ValueError, match="horizon"):
        mse_by_horizon(pred, truth[:, :2])
    ramp = torch.arange(20.0)
    assert windowed_mse(PlusOne(), ramp, 5, 3).tolist() == [0.0, 0.0, 0.0]
    assert windowed_mse(PlusOne(), 2 * ramp, 5, 3, stride=4).tolist() == [1.0, 4.0, 9.0]


def test_forecast_is_deterministic_under_a_seed():
    outs = []
    for _ in range(2):
        torch.manual_seed(3)
        model = Forecaster(1, 8)
        outs.append(forecast(model, torch.sin(torch.arange(30.0) / 5), 10))
    assert torch.equal(*outs)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_forecast_on_cuda_matches_cpu():
    torch.manual_seed(0)
    model = Forecaster(1, 8).double()
    x = torch.randn(2, 12, 1, dtype=torch.float64)
    cpu = forecast(model, x, 20)
    gpu = forecast(model.cuda(), x.cuda(), 20).cpu()
    torch.testing.assert_close(gpu, cpu)


def test_fit_free_run_learns_and_is_reproducible():
    t = torch.arange(300.0)
    series = torch.sin(t / 5)
    stages = [Stage(context=0, horizon=20, steps=2, windows=16), Stage(context=5, horizon=10, steps=2, windows=16)]
    results = []
    for _ in range(2):
        torch.manual_seed(0)
        model = Forecaster(1, 8)
        context, future = series[None, 200:210, None], series[None, 210:220, None]
        before = float(((forecast(model, context, 10) - future) ** 2).mean())
        history = fit_free_run(model, series[:200], stages, seed=1, progress=False)
        after = float(((forecast(model, context, 10) - future) ** 2).mean())
        results.append((history, after))
    assert results[0] == results[1]
    history = results[0][0]
    assert len(history) == 4
    # L-BFGS with a strong-Wolfe line search lowers each stage's loss on its fixed batch of windows
    assert history[1] < history[0] and history[3] < history[2]
    assert after < 0.05 * before

"""An LSTM forecaster, and the loop that lets any forecaster run free on its own predictions.

Every model here follows one protocol: ``y, state = model(x, state)`` with x: (batch, time, features)
and y: (batch, time, features), where ``y[:, t]`` is the model's prediction of ``x[:, t + 1]``;
``state=None`` starts from scratch and the returned state carries on from the last step. The
baselines of :mod:`helpers.baselines` follow it too, so :func:`forecast` serves them all.

Running free: after the context x_1..x_n, the model predicts x̂_{n+1}; then x̂_{n+k+1} is computed
from x̂_{n+k}, its own previous output, for k = 1, ..., horizon - 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from helpers.metrics import check_forecast_pair
from helpers.train import fit
from helpers.validate import check_positive_int, check_same, check_tensor
from helpers.windows import as_batch, random_windows, sliding_windows, split_window


class Forecaster(nn.Module):
    """Stacked LSTM cells (``torch.nn.LSTMCell``) read out by a linear layer: ŷ_t = W_hy h_t + b_y.

    With ``residual=True`` the read-out predicts the change instead: ŷ_t = x_t + W_hy h_t + b_y.
    x: (batch, time, features) -> (y (batch, time, features), state), state a list with one
    (h, c) pair per layer, each (batch, hidden). Cells stepped in a Python loop, not ``nn.LSTM``:
    a free run feeds one step at a time, and there one ``LSTMCell`` call costs half of an
    ``nn.LSTM`` call on the CPU (measured with torch 2.13, batch 32, hidden 32).
    """

    def __init__(self, n_features: int = 1, hidden_size: int = 32, num_layers: int = 1, residual: bool = False):
        super().__init__()
        self.n_features = check_positive_int(n_features, "n_features")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        check_positive_int(num_layers, "num_layers")
        sizes = [n_features] + [hidden_size] * num_layers
        self.cells = nn.ModuleList(nn.LSTMCell(a, hidden_size) for a in sizes[:-1])
        self.head = nn.Linear(hidden_size, n_features)  # W_hy, b_y
        self.residual = residual

    def forward(self, x: torch.Tensor, state: list[tuple[torch.Tensor, torch.Tensor]] | None = None):
        # Shape, dtype and device only: a NaN scan here would cost a device sync at every step.
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.n_features}, allow_nan=True)
        check_same(x, self.head.weight, ("x", "the model's weights"))
        if state is None:
            zeros = x.new_zeros(x.shape[0], self.hidden_size)
            state = [(zeros, zeros)] * len(self.cells)
        hs = []
        # unbind: one backward node for all steps (x[:, t] would allocate a zero (batch, time, features)
        # gradient at every step)
        for inp in x.unbind(1):
            new_state = []
            for cell, (h, c) in zip(self.cells, state, strict=True):
                h, c = cell(inp, (h, c))
                new_state.append((h, c))
                inp = h
            state = new_state
            hs.append(inp)
        # ŷ_t = W_hy h_t + b_y: (batch, time, features); one step (a free run) stays 2-d, which is cheaper
        y = self.head(hs[0])[:, None] if len(hs) == 1 else self.head(torch.stack(hs, dim=1))
        return (x + y if self.residual else y), state


def _reference(model: nn.Module) -> torch.Tensor | None:
    """A parameter or buffer of ``model`` (to read its device and dtype), or None if it has none."""
    for t in model.parameters():
        return t
    for t in model.buffers():
        return t
    return None


def run_free(model: nn.Module, context: torch.Tensor, horizon: int, state=None) -> torch.Tensor:
    """Read ``context``, then feed back ``horizon - 1`` of the model's own predictions.

    context: (batch, time, features) -> forecast (batch, horizon, features): x̂_{n+1}, ..., x̂_{n+horizon}.
    Differentiable (training through the loop is :func:`closed_loop_loss`); see :func:`forecast`.
    """
    check_tensor(context, "context", ("batch", "time", "features"))
    check_positive_int(horizon, "horizon")
    ref = _reference(model)
    if ref is not None:
        check_same(context, ref, ("context", "the model's weights"))
    y, state = model(context, state)
    x_hat = y[:, -1:]  # x̂_{n+1}: (batch, 1, features)
    steps = [x_hat]
    for _ in range(horizon - 1):
        x_hat, state = model(x_hat, state)  # x̂_{k+1} from x̂_k
        steps.append(x_hat)
    return torch.cat(steps, dim=1)


@torch.no_grad()
def forecast(model: nn.Module, context: torch.Tensor, horizon: int) -> torch.Tensor:
    """Free-running forecast: the model reads ``context`` and then its own predictions.

    context: (time,), (time, features) or (batch, time, features) -> (batch, horizon, features).
    The model is put in eval mode for the call and restored after; no gradients are kept.
    """
    context = as_batch(context, "context")
    check_positive_int(horizon, "horizon")
    was_training = model.training
    model.eval()
    try:
        return run_free(model, context, horizon)
    finally:
        model.train(was_training)


def one_step_loss(model: nn.Module, windows: torch.Tensor) -> torch.Tensor:
    """Teacher forcing: MSE of ŷ_t against x_{t+1}, the model always reading the true x_t.

    windows: (batch, time, features) -> scalar (1/N) Σ (ŷ_t - x_{t+1})².
    """
    check_tensor(windows, "windows", ("batch", "time", "features"))
    if windows.shape[1] < 2:
        raise ValueError(f"windows need at least 2 steps (an input and its next value); got {windows.shape[1]}")
    y, _ = model(windows[:, :-1])
    return torch.mean((y - windows[:, 1:]) ** 2)


def closed_loop_loss(model: nn.Module, windows: torch.Tensor, context: int) -> torch.Tensor:
    """Read the first ``context`` steps, run free over the rest, score the free run.

    windows: (batch, time, features) -> scalar MSE between the free run x̂_{n+1..time} and the truth;
    the gradient flows back through every fed-back prediction, so the model learns to correct its
    own errors instead of only the one-step error it never makes at test time.
    """
    past, future = split_window(windows, context)
    x_hat = run_free(model, past, future.shape[1])
    return torch.mean((x_hat - future) ** 2)


def mse_by_horizon(prediction: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """MSE(k) = mean over batch and features of (x̂_{n+k} - x_{n+k})², for k = 1..horizon.

    prediction, truth: (batch, horizon, features) -> (horizon,).
    """
    check_forecast_pair(prediction, truth)
    return ((prediction - truth) ** 2).mean(dim=(0, 2))


def windowed_mse(model: nn.Module, series: torch.Tensor, context: int, horizon: int, stride: int = 1) -> torch.Tensor:
    """Score a forecaster on every window of a series: MSE(k) for k = 1..horizon.

    series: (time,), (time, features) or (n_series, time, features). Each window of
    ``context + horizon`` steps (one every ``stride``) gives the model ``context`` steps, and its
    free run is compared with the next ``horizon``. Returns (horizon,).
    """
    check_positive_int(context, "context")
    check_positive_int(horizon, "horizon")
    windows = sliding_windows(series, context + horizon, stride)
    ref = _reference(model)
    if ref is not None:
        windows = windows.to(ref.device, ref.dtype)
    past, future = split_window(windows, context)
    return mse_by_horizon(forecast(model, past, horizon), future)


@dataclass(frozen=True)
class Stage:
    """One stage of :func:`fit_free_run`: ``windows`` windows of ``context + horizon`` steps,
    trained for ``steps`` L-BFGS steps. ``context=0`` means teacher forcing, the one-step loss on
    windows of ``horizon + 1`` steps; otherwise the model reads ``context`` steps and runs free
    for ``horizon``, scored by :func:`closed_loop_loss`."""

    context: int
    horizon: int
    steps: int
    windows: int


def fit_free_run(
    model: nn.Module,
    series: torch.Tensor,
    stages: list[Stage],
    *,
    seed: int = 0,
    progress: bool = True,
    callback=None,
) -> list[float]:
    """Train a forecaster to run free, one stage after another: a curriculum of horizons.

    series: (time,), (time, features) or (n_series, time, features). Each stage draws its windows
    at random (a generator seeded by ``seed`` and the stage's index) and minimises the loss on
    that fixed batch with L-BFGS and a strong-Wolfe line search: the batch is small enough to
    use whole, and the line search keeps every step from raising the loss. Short free runs
    first keep the loss smooth in the weights; longer ones then pin down the slow drift.
    Returns the loss history of every stage, concatenated (see :func:`helpers.train.fit`).
    """
    history: list[float] = []
    ref = _reference(model)
    for k, stage in enumerate(stages):
        gen = torch.Generator().manual_seed(seed * 1000 + k)
        length = stage.context + stage.horizon + (1 if stage.context == 0 else 0)
        windows = random_windows(series, length, stage.windows, gen)
        if ref is not None:
            windows = windows.to(ref.device, ref.dtype)
        if stage.context == 0:
            loss_fn = one_step_loss
        else:

            def loss_fn(m: nn.Module, w: torch.Tensor, context: int = stage.context) -> torch.Tensor:
                return closed_loop_loss(m, w, context)

        # Tolerances 0: the defaults (1e-9 on the change of the loss and on the slope) are absolute,
        # and once the loss is near 1e-5 they stopped L-BFGS for good after a few steps.
        optimizer = torch.optim.LBFGS(
            model.parameters(),
            lr=1,
            max_iter=20,
            history_size=50,
            line_search_fn="strong_wolfe",
            tolerance_grad=0.0,
            tolerance_change=0.0,
        )
        what = "one-step" if stage.context == 0 else f"free run of {stage.horizon}"
        stage_history: list[float] = []

        def restart_if_stuck(step: int, m: nn.Module, loss: float, opt=optimizer, seen=stage_history) -> None:
            # A step that starts where the last one did has moved nothing: its line search failed
            # along the L-BFGS direction. Forgetting the curvature pairs restarts from the gradient.
            if seen and loss >= seen[-1]:
                opt.state.clear()
            seen.append(loss)
            if callback is not None:
                callback(step, m, loss)

        history += fit(
            model,
            loss_fn,
            windows,
            steps=stage.steps,
            optimizer=optimizer,
            seed=seed,
            progress=progress,
            desc=f"stage {k + 1}/{len(stages)}: {what}",
            callback=restart_if_stuck,
        )
    return history

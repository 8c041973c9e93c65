"""LSTM forecasters: one that runs free on its own predictions, and one that predicts every horizon at once.

**Running free.** Every free-running model here follows one call convention: ``y, state = model(x, state)``
with x: (batch, time, features) and y: (batch, time, features), where ``y[:, t]`` is the model's
prediction of ``x[:, t + 1]``; ``state=None`` starts from scratch and the returned state carries on
from the last step. The baselines of :mod:`helpers.baselines` follow it too, so :func:`forecast` serves
them all. After the context x_1..x_n, the model predicts x̂_{n+1}; then x̂_{n+k+1} is computed from
x̂_{n+k}, its own previous output, for k = 1, ..., horizon - 1.

**Direct multi-step.** A free-running forecaster feeds its predictions back, so its errors compound.
A :class:`DirectForecaster` has one output per horizon k = 1..H, each trained on the true x_{n+k},
and never reads its own predictions:

    h_n = LSTM(x_1, ..., x_n),   [x̂_{n+1}, ..., x̂_{n+H}] = W_hy h_n + b_y.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from helpers import validate
from helpers.splits import Differencer
from helpers.train import fit
from helpers.validate import check_positive_int, check_same, check_tensor
from helpers.windows import as_batch, random_windows, split_window


class Forecaster(nn.Module):
    """Stacked LSTM cells (``torch.nn.LSTMCell``) read out by a linear layer: ŷ_t = W_hy h_t + b_y.

    With ``residual=True`` the read-out predicts the change instead: ŷ_t = x_t + W_hy h_t + b_y.
    x: (batch, time, features) -> (y (batch, time, features), state), state a list with one
    (h, c) pair per layer, each (batch, hidden). Cells stepped in a Python loop, not ``nn.LSTM``:
    a free run feeds one step at a time, and there one ``LSTMCell`` call costs half of an
    ``nn.LSTM`` call on the CPU (measured with torch 2.13, batch 32, hidden 32). n_features, hidden_size,
    num_layers: positive ints; residual: a bool; forward takes x in the model's dtype and a state it returned.
    """

    def __init__(self, n_features: int = 1, hidden_size: int = 32, num_layers: int = 1, residual: bool = False):
        super().__init__()
        validate.check_flag(residual, "residual")
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
        elif not isinstance(state, list | tuple) or len(state) != len(self.cells) or not all(
            isinstance(pair, tuple | list) and len(pair) == 2 for pair in state
        ):
            n, got = len(self.cells), validate.describe(state)
            raise validate.InputTypeError(f"state must be None or {n} (h, c) pairs, one per layer; got {got}")
        else:  # h and c of every layer: (batch, hidden), in the weights' dtype
            named = [(f"state[{k}][{j}]", t, ("batch", "hidden")) for k, p in enumerate(state) for j, t in enumerate(p)]
            x_spec = ("x", x, ("batch", "time", "features"))
            validate.check_shapes(("the weights", self.head.weight, ("features", "hidden")), x_spec, *named)
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
    Differentiable (training through the loop is :func:`closed_loop_loss`); see :func:`forecast`. model: an
    ``nn.Module``, context in its dtype; horizon: a positive int; state: None or one the model returned.
    """
    validate.check_module(model, "model", "a forecaster following y, state = model(x, state)")
    check_tensor(context, "context", ("batch", "time", "features"))
    check_positive_int(horizon, "horizon")
    validate.check_model_input(context, "context", model)
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
    The model is put in eval mode for the call and restored after; no gradients are kept. model: a
    forecaster (an ``nn.Module``); context: finite, in the model's dtype; horizon: a positive int.
    """
    validate.check_module(model, "model", "a forecaster following y, state = model(x, state)")
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

    windows: (batch, time, features) -> scalar (1/N) Σ (ŷ_t - x_{t+1})². model: a forecaster.
    """
    validate.check_module(model, "model", "a forecaster following y, state = model(x, state)")
    check_tensor(windows, "windows", ("batch", "time", "features"))
    if windows.shape[1] < 2:
        raise ValueError(f"windows need at least 2 steps (an input and its next value); got {windows.shape[1]}")
    validate.check_model_input(windows, "windows", model)
    y, _ = model(windows[:, :-1])
    return torch.mean((y - windows[:, 1:]) ** 2)


def closed_loop_loss(model: nn.Module, windows: torch.Tensor, context: int) -> torch.Tensor:
    """Read the first ``context`` steps, run free over the rest, score the free run.

    windows: (batch, time, features) -> scalar MSE between the free run x̂_{n+1..time} and the truth;
    the gradient flows back through every fed-back prediction, so the model learns to correct its
    own errors instead of only the one-step error it never makes at test time. model: a forecaster;
    context: a positive int less than the windows' time.
    """
    validate.check_module(model, "model", "a forecaster following y, state = model(x, state)")
    past, future = split_window(windows, context)
    validate.check_model_input(windows, "windows", model)
    x_hat = run_free(model, past, future.shape[1])
    return torch.mean((x_hat - future) ** 2)


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

    def __post_init__(self) -> None:
        validate.check_int(self.context, "context", 0)
        for name in ("horizon", "steps", "windows"):
            check_positive_int(getattr(self, name), name)


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
    Returns the loss history of every stage, concatenated (see :func:`helpers.train.fit`). model: a
    forecaster; stages: a non-empty list of :class:`Stage` whose windows fit in the series; seed: an int >= 0.
    """
    validate.check_module(model, "model", "a forecaster following y, state = model(x, state)")
    time = as_batch(series, "series").shape[1]
    for k, stage in enumerate(validate.check_items(stages, "stages", Stage)):
        length = stage.context + stage.horizon + (1 if stage.context == 0 else 0)
        if length > time:
            raise ValueError(f"stages[{k}] needs windows of {length} steps; the series has only {time}: got {stage}")
    validate.check_seed(seed), validate.check_flag(progress, "progress")
    if callback is not None:
        validate.check_callable(callback, "callback", "a function callback(step, model, loss) or None")
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


# ---------------------------------------------------------------------------------------------
# Direct multi-step forecasting.


class DirectForecaster(nn.Module):
    """``torch.nn.LSTM`` over the context, then a linear read-out of the last hidden state to every horizon.

    x: (batch, time, features) -> (batch, horizon, features), entry k - 1 the forecast of x_{n+k}.
    n_features, hidden_size, horizon, num_layers: positive ints; x finite, in the model's dtype.
    """

    def __init__(self, n_features: int = 1, hidden_size: int = 32, horizon: int = 12, num_layers: int = 1):
        super().__init__()
        self.n_features = check_positive_int(n_features, "n_features")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.horizon = check_positive_int(horizon, "horizon")
        check_positive_int(num_layers, "num_layers")
        self.lstm = nn.LSTM(n_features, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, horizon * n_features)  # W_hy, b_y

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.n_features})
        check_same(x, self.head.weight, ("x", "the model's weights"))
        h_all, _ = self.lstm(x)  # (batch, time, hidden)
        y = self.head(h_all[:, -1])  # W_hy h_n + b_y: (batch, horizon * features)
        return y.reshape(x.shape[0], self.horizon, self.n_features)


def direct_loss(model: DirectForecaster, windows: torch.Tensor) -> torch.Tensor:
    """MSE over every horizon: the model reads all but the last ``model.horizon`` steps of each window.

    windows: (batch, context + horizon, features) -> scalar (1/N) Σ_k (x̂_{n+k} - x_{n+k})², model: a
    :class:`DirectForecaster`.
    """
    validate.check_instance(model, "model", DirectForecaster, "a DirectForecaster")
    check_tensor(windows, "windows", ("batch", "time", "features"))
    if windows.shape[1] <= model.horizon:
        raise ValueError(
            f"windows need more than horizon={model.horizon} steps (a context, then the horizon); "
            f"got {windows.shape[1]}"
        )
    past, future = split_window(windows, windows.shape[1] - model.horizon)
    return torch.mean((model(past) - future) ** 2)


@torch.no_grad()
def direct_forecast(
    model: DirectForecaster, context: torch.Tensor, differencer: Differencer | None = None
) -> torch.Tensor:
    """The model's forecast of the ``model.horizon`` steps after ``context``, in eval mode, without gradients.

    context: (time,), (time, features) or (batch, time, features) -> (batch, horizon, features).
    With a ``differencer`` the model reads standardized changes z (``differencer.encode(context)``) and its
    output is turned back into levels from the last value of the context (``differencer.decode``).
    model: a :class:`DirectForecaster`; context in its dtype; differencer: None or a ``Differencer``.
    """
    validate.check_instance(model, "model", DirectForecaster, "a DirectForecaster")
    if differencer is not None:
        validate.check_instance(differencer, "differencer", Differencer, "a Differencer (from fit_differencer) or None")
    context = as_batch(context, "context")
    validate.check_model_input(context, "context", model)
    was_training = model.training
    model.eval()
    try:
        if differencer is None:
            return model(context)
        if context.shape[1] < 2:
            raise ValueError(f"a forecast on differences needs at least 2 steps of context; got {context.shape[1]}")
        return differencer.decode(context[:, -1:], model(differencer.encode(context)))
    finally:
        model.train(was_training)

"""Honest baselines for forecasting: persistence, seasonal naive and a linear autoregressive model, AR(p).

Both follow the forecasters' call convention of :mod:`helpers.forecast` (``y, state = model(x, state)``,
``y[:, t]`` predicts ``x[:, t + 1]``), so ``forecast(model, context, horizon)`` runs them free
exactly as it runs an LSTM.

AR(p): x̂_{t+1} = A_1 x_t + A_2 x_{t-1} + ... + A_p x_{t-p+1} + c, with A_k (features, features)
and c (features,), fitted by least squares on every window of p + 1 consecutive steps.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from helpers.metrics import windowed_mse
from helpers.validate import (
    check_dtype,
    check_flag,
    check_int,
    check_items,
    check_positive_int,
    check_shapes,
    check_tensor,
    describe,
)
from helpers.windows import as_batch, sliding_windows


class Persistence(nn.Module):
    """x̂_{t+1} = x_t: tomorrow is today. Run free, it repeats the last value of the context."""

    def forward(self, x: torch.Tensor, state: None = None) -> tuple[torch.Tensor, None]:
        """x: (batch, time, features) -> (x, None): each step predicts itself. state: None (it keeps none)."""
        check_tensor(x, "x", ("batch", "time", "features"), allow_nan=True)
        if state is not None:
            raise ValueError(f"state must be None: persistence keeps no state; got {describe(state)}")
        return x, None


def lagged(x: torch.Tensor, order: int) -> torch.Tensor:
    """The last ``order`` values at each step, newest first.

    x: (batch, time, features) -> (batch, time - order + 1, order, features), where entry
    [b, t, k] is x[b, t + order - 1 - k]: k = 0 is the newest value x_t, k = p - 1 the oldest.
    order: a positive int, at most time.
    """
    check_shapes(("x", x, ("batch", "time", "features")))
    check_int(order, "order", 1, x.shape[1], expected=f"an integer in [1, time] = [1, {x.shape[1]}]")
    return x.unfold(1, order, 1).flip(-1).transpose(2, 3)


class LinearAR(nn.Module):
    """x̂_{t+1} = Σ_{k=1..p} A_k x_{t+1-k} + c with A: (p, features, features), c: (features,).

    A and c are buffers, not parameters: they come from :func:`fit_ar`, not from gradient descent.
    The state is the last p - 1 inputs, (batch, p - 1, features). Without a state, x must have at
    least p steps; the first p - 1 predictions then use zeros for the values before x began.
    A: finite, (order, features, features); c: finite, (features,).
    """

    def __init__(self, A: torch.Tensor, c: torch.Tensor) -> None:
        super().__init__()
        check_tensor(A, "A", ("order", "features", "features_in"))
        p, n_features, n_in = A.shape
        if n_in != n_features:
            raise ValueError(f"A must be (order, features, features); got shape {tuple(A.shape)}")
        check_tensor(c, "c", ("features",), {"features": n_features})
        self.register_buffer("A", A)
        self.register_buffer("c", c)
        self.order = p
        self.n_features = n_features

    @property
    def a(self) -> torch.Tensor:
        """For one feature, the coefficients a_1..a_p as a (p,) tensor."""
        if self.n_features != 1:
            raise ValueError(
                f"a is the coefficient vector of a single-feature AR; this one has {self.n_features}"
            )
        return self.A[:, 0, 0]

    def forward(
        self, x: torch.Tensor, state: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.n_features}, allow_nan=True)
        p = self.order
        if state is None:
            if x.shape[1] < p:
                raise ValueError(f"an AR({p}) needs at least {p} steps of context; got {x.shape[1]}")
            state = x.new_zeros(x.shape[0], p - 1, self.n_features)
        check_shapes(
            ("the coefficients A", self.A, ("order", "features", "features")),
            ("x", x, ("batch", "time", "features")), ("state", state, ("batch", "order - 1", "features")),
        )
        if state.shape[1] != p - 1:
            raise ValueError(f"state must hold the last order - 1 = {p - 1} inputs: (batch, {p - 1}, features); "
                             f"got {describe(state)}")
        history = torch.cat([state, x], dim=1)  # (batch, p - 1 + time, features)
        lags = lagged(history, p)  # (batch, time, p, features), newest first
        # x̂_{t+1} = Σ_k A_k x_{t+1-k} + c
        y = torch.einsum("btki,koi->bto", lags, self.A) + self.c
        return y, history[:, history.shape[1] - (p - 1) :]


def seasonal_naive(period: int = 12, n_features: int = 1, dtype: torch.dtype = torch.float32) -> LinearAR:
    """x̂_{t+1} = x_{t+1-m}, m = ``period``: this season repeats the last one.

    An AR(m) with A_m = I and every other A_k = 0, c = 0. Run free, it repeats the context's last m
    values over and over; it needs at least m steps of context. period, n_features: positive ints;
    dtype: a floating torch.dtype.
    """
    m = check_positive_int(period, "period")
    check_positive_int(n_features, "n_features"), check_dtype(dtype)
    A = torch.zeros(m, n_features, n_features, dtype=dtype)
    A[m - 1] = torch.eye(n_features, dtype=dtype)
    return LinearAR(A, torch.zeros(n_features, dtype=dtype))


def fit_ar(series: torch.Tensor, order: int, intercept: bool = True) -> LinearAR:
    """Least-squares AR(p): minimise Σ_t ||x_{t+1} - Σ_k A_k x_{t+1-k} - c||² over A and c.

    series: (time,), (time, features) or (n_series, time, features), pooled over series.
    Solved in float64 on the CPU with ``torch.linalg.lstsq`` (the minimum-norm solution when the
    columns are dependent, as they are for a pure sine with p > 2); the result has the series'
    dtype and device. ``intercept=False`` fixes c = 0. The series must be finite; order: a positive int.
    """
    x = as_batch(series, "series")
    p = check_positive_int(order, "order")
    check_flag(intercept, "intercept")
    if x.shape[1] < p + 1:
        raise ValueError(f"fitting an AR({p}) needs series of at least {p + 1} steps; got {x.shape[1]}")
    n_features = x.shape[2]
    w = sliding_windows(x.detach().to("cpu", torch.float64), p + 1)  # (rows, p + 1, features)
    X = lagged(w[:, :-1], p)[:, 0].reshape(w.shape[0], p * n_features)  # [x_t, x_{t-1}, ..., x_{t-p+1}]
    Y = w[:, -1]  # x_{t+1}: (rows, features)
    if intercept:
        X = torch.cat([X, torch.ones(X.shape[0], 1, dtype=X.dtype)], dim=1)
    coef = torch.linalg.lstsq(X, Y, driver="gelsd").solution  # (p * features [+ 1], features)
    A = coef[: p * n_features].reshape(p, n_features, n_features).transpose(1, 2)  # A_k[out, in]
    c = coef[-1] if intercept else torch.zeros(n_features, dtype=torch.float64)
    return LinearAR(A.to(x.device, x.dtype).contiguous(), c.to(x.device, x.dtype))


def select_ar_order(
    train: torch.Tensor, valid: torch.Tensor, orders: Iterable[int], horizon: int = 1, stride: int = 1
) -> tuple[int, dict[int, float]]:
    """Choose p on validation data: fit AR(p) on ``train``, score its free run on ``valid``.

    Every window of ``valid`` gives max(orders) steps of context and ``horizon`` steps to forecast;
    the score is the MSE averaged over horizons 1..horizon. Returns (best p, {p: score}). train, valid:
    series as :func:`fit_ar` takes them, long enough for the largest order; orders: positive ints; horizon,
    stride: positive ints.
    """
    if isinstance(orders, Iterable) and not isinstance(orders, str | bytes | torch.Tensor):
        orders = list(orders)
    empty = "orders must name at least one AR order"
    orders = sorted(set(check_items(orders, "orders", check_positive_int, empty=empty)))
    check_positive_int(horizon, "horizon")
    for name, series, need in (("train", train, orders[-1] + 1), ("valid", valid, orders[-1] + horizon)):
        if as_batch(series, name).shape[1] < need:
            raise ValueError(f"{name} must have at least {need} steps for AR({orders[-1]}) and horizon={horizon}; "
                             f"got {describe(series)}")
    scores = {
        p: float(windowed_mse(fit_ar(train, p), valid, orders[-1], horizon, stride).mean()) for p in orders
    }
    return min(scores, key=scores.get), scores

"""Spans in time order, and transforms fitted on the past only: the protocol that keeps a forecast honest.

A series is cut into three consecutive spans, train, validation and test, never shuffled. Anything
learned from data (a scaler's mean and spread, a model's weights) is learned from the training span
alone; the validation span chooses between models and settings; the test span is looked at once, at
the end. A forecast made at origin n may read every value up to x_n, wherever it lies: the past is
known when the forecast is made. What it predicts, x_{n+1}, ..., x_{n+H}, must lie in the span being
scored.

Differencing turns a rising series into one that stays in a fixed range:

    d_t = x_t - x_{t-1},   z_t = (d_t - μ) / σ,   x̂_{n+k} = x_n + Σ_{j=1..k} (σ ẑ_{n+j} + μ),

with μ and σ the mean and standard deviation of d_t over the training span.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from helpers.validate import (
    InputTypeError,
    check_instance,
    check_int,
    check_items,
    check_positive,
    check_positive_int,
    check_shapes,
    check_tensor,
    describe,
)
from helpers.windows import as_series


@dataclass(frozen=True)
class Span:
    """The steps start, start + 1, ..., stop - 1 of a series (half-open, like a Python slice)."""

    start: int
    stop: int

    def __post_init__(self) -> None:
        for name in ("start", "stop"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"Span {name} must be an int; got {value!r}")
        if self.start < 0:
            raise ValueError(f"a span cannot start before step 0; got start={self.start}")
        if self.stop <= self.start:
            raise ValueError(f"a span must not be empty: need start < stop; got Span({self.start}, {self.stop})")

    def __len__(self) -> int:
        return self.stop - self.start

    @property
    def slice(self) -> slice:
        return slice(self.start, self.stop)


@dataclass(frozen=True)
class Split:
    """Three spans in time order that do not overlap: train before valid before test."""

    train: Span
    valid: Span
    test: Span

    def __post_init__(self) -> None:
        for name in ("train", "valid", "test"):
            if not isinstance(getattr(self, name), Span):
                raise TypeError(f"{name} must be a Span; got {getattr(self, name)!r}")
        if self.train.stop > self.valid.start or self.valid.stop > self.test.start:
            raise ValueError(
                "train, valid and test must come in time order without overlapping; got "
                f"train={self.train}, valid={self.valid}, test={self.test}"
            )

    def check_fits(self, n_steps: int) -> Split:
        """Return self if the test span ends within a series of ``n_steps`` (an int) steps."""
        if check_int(n_steps, "n_steps") and self.test.stop > n_steps:
            raise ValueError(f"the test span {self.test} runs past the end of a series of {n_steps} steps")
        return self

    def cut(self, series: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The three parts of ``series``: (time,) or (time, features) -> (train, valid, test), each
        (len(span), features). No shuffling: the future must not leak into training."""
        x = as_series(series)
        self.check_fits(x.shape[0])
        return x[self.train.slice], x[self.valid.slice], x[self.test.slice]


def chronological_split(
    n_steps: int,
    valid_start: int | None = None,
    test_start: int | None = None,
    *,
    fractions: tuple[float, float, float] | None = None,
) -> Split:
    """train = [0, valid_start), valid = [valid_start, test_start), test = [test_start, n_steps).

    Or, instead of the two starts, ``fractions`` = (train, valid, test), three positive numbers that sum
    to 1: valid_start = round(train * n_steps), test_start = valid_start + round(valid * n_steps).
    :meth:`Split.cut` then cuts a series into the three parts. n_steps: a positive int; valid_start and
    test_start: ints with 0 < valid_start < test_start < n_steps.
    """
    check_positive_int(n_steps, "n_steps")
    if fractions is not None:
        if valid_start is not None or test_start is not None:
            raise ValueError("give either valid_start and test_start or fractions, not both")
        check_items(fractions, "fractions", check_positive)
        if len(fractions) != 3 or abs(sum(fractions) - 1) > 1e-9:
            raise ValueError(f"fractions must be three positive numbers that sum to 1; got {fractions!r}")
        valid_start = round(fractions[0] * n_steps)
        test_start = valid_start + round(fractions[1] * n_steps)
        if valid_start == 0 or test_start == valid_start or test_start >= n_steps:
            raise ValueError(f"a series of {n_steps} steps is too short to cut into {fractions!r}")
    elif valid_start is None or test_start is None:
        raise ValueError("give valid_start and test_start (the first steps of validation and test), or fractions")
    check_int(valid_start, "valid_start"), check_int(test_start, "test_start")
    for span, need, ok in (
        ("the training span [0, valid_start)", "0 < valid_start", 0 < valid_start),
        ("the validation span [valid_start, test_start)", "valid_start < test_start", valid_start < test_start),
        ("the test span [test_start, n_steps)", "test_start < n_steps", test_start < n_steps),
    ):
        if not ok:
            raise ValueError(
                f"{span} must not be empty: need {need}; got valid_start={valid_start}, test_start={test_start}, "
                f"n_steps={n_steps}"
            )
    return Split(Span(0, valid_start), Span(valid_start, test_start), Span(test_start, n_steps)).check_fits(n_steps)


def origin_windows(
    series: torch.Tensor, span: Span, context: int, horizon: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Every forecast whose ``horizon`` targets lie in ``span``, with the ``context`` steps before it.

    series: (time,) or (time, features). For each origin n with span.start - 1 <= n <= span.stop - 1 - horizon,
    past = series[n - context + 1 : n + 1] and future = series[n + 1 : n + 1 + horizon].
    Returns (past (windows, context, features), future (windows, horizon, features)), origins in time order.
    The past may reach back before the span (it is known at the origin); the future never leaves it.
    span: a :class:`Span`; context, horizon: positive ints.
    """
    x = as_series(series)
    check_instance(span, "span", Span, "a Span, such as Span(30, 40)")
    check_positive_int(context, "context")
    check_positive_int(horizon, "horizon")
    if span.stop > x.shape[0]:
        raise ValueError(f"span {span} runs past the end of a series of {x.shape[0]} steps")
    if len(span) < horizon:
        raise ValueError(f"a span of {len(span)} steps cannot hold a horizon of {horizon}")
    first = span.start - 1
    if first - context + 1 < 0:
        raise ValueError(
            f"the first origin, step {first}, needs {context} steps of context, but the series starts at step 0: "
            f"use a context of at most {first + 1}"
        )
    origins = range(first, span.stop - horizon)
    past = torch.stack([x[n - context + 1 : n + 1] for n in origins])
    future = torch.stack([x[n + 1 : n + 1 + horizon] for n in origins])
    return past, future


@dataclass(frozen=True)
class Scaler:
    """z = (x - mean) / std, with mean and std of shape (features,) fitted on the training span.

    Applied to a tensor, mean and std are first moved to its device and dtype. mean, std: (features,),
    finite, std > 0 (:func:`fit_scaler` computes them).
    """

    mean: torch.Tensor
    std: torch.Tensor

    def __post_init__(self) -> None:
        check_tensor(self.mean, "mean", ("features",))
        check_tensor(self.std, "std", ("features",), {"features": self.mean.shape[0]})
        if not bool((self.std > 0).all()):
            raise ValueError(f"std must be positive; got a smallest value of {self.std.min().item():.3g}")

    def check_features(self, x: object, name: str) -> torch.Tensor:
        """``x`` if it is a floating-point tensor (..., features) with this scaler's number of features (or, for
        a one-feature scaler, a series (time,))."""
        if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.dim() == 0:
            raise InputTypeError(f"{name} must be a floating-point tensor (..., features); got {describe(x)}")
        if x.shape[-1] != self.mean.shape[0] and not (x.dim() == 1 and self.mean.shape[0] == 1):
            raise ValueError(
                f"{name} must have the {self.mean.shape[0]} features the scaler was fitted on, on its last axis; "
                f"got {describe(x)}"
            )
        return x

    def transform(self, x: torch.Tensor) -> torch.Tensor:
        """x: (..., features) -> z of the same shape."""
        self.check_features(x, "x")
        return (x - self.mean.to(x)) / self.std.to(x)

    def inverse(self, z: torch.Tensor) -> torch.Tensor:
        """z: (..., features) -> x = z * std + mean."""
        self.check_features(z, "z")
        return z * self.std.to(z) + self.mean.to(z)


def fit_scaler(series: torch.Tensor, span: Span) -> Scaler:
    """Mean and standard deviation (divided by the count, not count - 1) of ``series[span]`` only.

    series: (time,) or (time, features) -> Scaler with mean, std (features,). Values outside the span
    are never read, so no later value can leak in. span: a :class:`Span` within the series.
    """
    x = as_series(series)
    check_instance(span, "span", Span, "a Span, such as Span(0, 30)")
    if span.stop > x.shape[0]:
        raise ValueError(f"span {span} runs past the end of a series of {x.shape[0]} steps")
    part = x[span.slice]
    if part.shape[0] < 2:
        raise ValueError(f"a scaler needs at least 2 steps to measure a spread; the span has {part.shape[0]}")
    mean, std = part.mean(dim=0), part.std(dim=0, correction=0)
    if bool((std == 0).any()):
        raise ValueError("the series is constant over the span: its standard deviation is 0, nothing to scale by")
    return Scaler(mean, std)


def difference(series: torch.Tensor) -> torch.Tensor:
    """d_t = x_t - x_{t-1}. series: (..., time, features), floating-point -> (..., time - 1, features)."""
    if not isinstance(series, torch.Tensor) or not series.is_floating_point():
        raise InputTypeError(f"series must be a floating-point tensor (..., time, features); got {describe(series)}")
    if series.dim() < 2 or series.shape[-2] < 2:
        raise ValueError(
            f"series must be a tensor (..., time, features) with at least 2 steps; got "
            f"{tuple(series.shape) if isinstance(series, torch.Tensor) else type(series).__name__}"
        )
    return series[..., 1:, :] - series[..., :-1, :]


def undifference(last: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
    """x̂_{n+k} = x_n + Σ_{j=1..k} d̂_{n+j}: add the predicted changes up, starting from the last level.

    last: (batch, 1, features) the level x_n; d: (batch, horizon, features) -> (batch, horizon, features).
    """
    check_tensor(d, "d", ("batch", "horizon", "features"))
    check_tensor(last, "last", ("batch", "time", "features"), {"batch": d.shape[0], "time": 1, "features": d.shape[2]})
    return last + torch.cumsum(d, dim=1)


@dataclass(frozen=True)
class Differencer:
    """Levels <-> standardized changes: z_t = (x_t - x_{t-1} - μ) / σ, and back by a running sum.

    scaler: the :class:`Scaler` of the changes (:func:`fit_differencer` makes it).
    """

    scaler: Scaler

    def __post_init__(self) -> None:
        check_instance(self.scaler, "scaler", Scaler, "a Scaler (fit_differencer makes one)")

    def encode(self, levels: torch.Tensor) -> torch.Tensor:
        """levels: (batch, time, features), time >= 2 -> z: (batch, time - 1, features)."""
        check_shapes(("levels", levels, ("batch", "time", "features")))
        return self.scaler.transform(difference(levels))

    def decode(self, last: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """last: (batch, 1, features) the level x_n; z: (batch, horizon, features) -> levels x̂_{n+1..n+horizon}."""
        return undifference(last, self.scaler.inverse(z))


def fit_differencer(series: torch.Tensor, span: Span) -> Differencer:
    """μ and σ of the changes d_t whose two ends x_{t-1}, x_t both lie in ``span``.

    series: (time,) or (time, features). Only ``series[span]`` is read. span: a :class:`Span`.
    """
    x = as_series(series)
    check_instance(span, "span", Span, "a Span, such as Span(0, 30)")
    if span.stop > x.shape[0]:
        raise ValueError(f"span {span} runs past the end of a series of {x.shape[0]} steps")
    d = difference(x[span.slice])  # (len(span) - 1, features)
    return Differencer(fit_scaler(d, Span(0, d.shape[0])))


class OnDifferences(nn.Module):
    """Run a forecaster of standardized changes z_t as a forecaster of levels x_t.

    Follows the forecasters' call convention of :mod:`helpers.forecast` (``y, state = model(x, state)``,
    ``y[:, t]`` predicts ``x[:, t + 1]``), so ``forecast(OnDifferences(model, differencer), context, horizon)``
    runs it free: each predicted change ẑ_{t+1} becomes the level x̂_{t+1} = x_t + σ ẑ_{t+1} + μ, and the next step
    reads the change from x_t to that prediction, which is ẑ_{t+1} again.
    Without a state the first step has no previous level, so y[:, 0] is NaN; x then needs 2 steps.
    The state is (the inner model's state, the last level (batch, 1, features)). model: a forecaster of
    changes (an ``nn.Module``); differencer: a :class:`Differencer`.
    """

    def __init__(self, model: nn.Module, differencer: Differencer) -> None:
        super().__init__()
        check_instance(model, "model", nn.Module, "a forecaster (a torch.nn.Module)")
        check_instance(differencer, "differencer", Differencer, "a Differencer (from fit_differencer)")
        self.model = model
        self.differencer = differencer

    def forward(self, x: torch.Tensor, state: tuple | None = None) -> tuple[torch.Tensor, tuple]:
        check_tensor(x, "x", ("batch", "time", "features"), allow_nan=True)
        if state is None:
            if x.shape[1] < 2:
                raise ValueError(f"without a state, x needs at least 2 steps to form a change; got {x.shape[1]}")
            inner, previous = None, x[:, :1]
            x_new = x[:, 1:]
        else:
            if not isinstance(state, tuple | list) or len(state) != 2:
                raise InputTypeError(f"state must be None or a pair (inner state, last level); got {describe(state)}")
            inner, previous = state
            check_shapes(("x", x, ("batch", "time", "features")), ("state[1]", previous, ("batch", "one", "features")))
            x_new = x
        z = self.differencer.encode(torch.cat([previous, x_new], dim=1))  # (batch, steps, features)
        z_hat, inner = self.model(z, inner)
        y = x_new + self.differencer.scaler.inverse(z_hat)  # x̂_{t+1} = x_t + σ ẑ_{t+1} + μ
        if state is None:
            y = torch.cat([torch.full_like(x[:, :1], float("nan")), y], dim=1)
        return y, (inner, x[:, -1:])


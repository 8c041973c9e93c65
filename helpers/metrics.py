"""Forecast errors per horizon: MSE, MAE in the series' own unit, and MASE, which has none.

MSE(k) = mean over forecasts of (x̂_{n+k} - x_{n+k})², and :func:`windowed_mse` scores a forecaster's
free runs over every window of a series. MAE(k) = mean over forecasts of |x̂_{n+k} - x_{n+k}|, for horizons k = 1..H.

MASE (mean absolute scaled error; Hyndman & Koehler, 2006, "Another look at measures of forecast
accuracy", International Journal of Forecasting 22(4), 679-688) divides the MAE by the in-sample MAE
of the seasonal naive forecast on the training span,

    q = 1 / (T - m) Σ_{t=m+1..T} |x_t - x_{t-m}|,   MASE(k) = MAE(k) / q,

so MASE < 1 means: better, on average, than predicting last season's value was on the training data.
"""

from __future__ import annotations

import torch
from torch import nn

from helpers.forecast import forecast
from helpers.validate import check_model_input, check_module, check_positive, check_positive_int, check_tensor, describe
from helpers.windows import as_batch, as_series, sliding_windows, split_window


def check_forecast_pair(prediction: torch.Tensor, truth: torch.Tensor) -> None:
    """Check that prediction and truth are both (batch, horizon, features), of one shape."""
    check_tensor(prediction, "prediction", ("batch", "horizon", "features"))
    check_tensor(
        truth,
        "truth",
        ("batch", "horizon", "features"),
        dict(zip(("batch", "horizon", "features"), prediction.shape, strict=True)),
    )


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
    free run is compared with the next ``horizon``. Returns (horizon,). model: a forecaster (an
    ``nn.Module``); the series is finite, converted to the model's dtype and device; context, horizon,
    stride: positive ints, context + horizon at most the series' length.
    """
    check_module(model, "model", "a forecaster following y, state = model(x, state)")
    x = as_batch(series, "series")
    check_positive_int(context, "context")
    check_positive_int(horizon, "horizon")
    if context + horizon > x.shape[1]:
        raise ValueError(
            f"series must have at least context + horizon = {context} + {horizon} = {context + horizon} steps; "
            f"got {describe(series)}"
        )
    windows = sliding_windows(x, context + horizon, stride)
    ref = next(iter([*model.parameters(), *model.buffers()]), None)  # the model's device and dtype, if any
    if ref is not None:
        windows = windows.to(ref.device, ref.dtype)
    check_model_input(windows, "series", model)  # its number of features
    past, future = split_window(windows, context)
    return mse_by_horizon(forecast(model, past, horizon), future)


def mae_by_horizon(prediction: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """MAE(k) = mean over batch and features of |x̂_{n+k} - x_{n+k}|.

    prediction, truth: (batch, horizon, features) -> (horizon,).
    """
    check_forecast_pair(prediction, truth)
    return (prediction - truth).abs().mean(dim=(0, 2))


def seasonal_naive_scale(train: torch.Tensor, period: int = 12) -> torch.Tensor:
    """q = mean over t of |x_t - x_{t-m}| on the training series, m = ``period``.

    train: (time,) or (time, features) -> (features,). Pass only the training span.
    """
    x = as_series(train, "train")
    m = check_positive_int(period, "period")
    if x.shape[0] <= m:
        raise ValueError(f"the training series needs more than period={m} steps; got {x.shape[0]}")
    q = (x[m:] - x[:-m]).abs().mean(dim=0)
    if bool((q == 0).any()):
        raise ValueError("the seasonal naive forecast is exact on the training series (q = 0): MASE is undefined")
    return q


def mase_by_horizon(prediction: torch.Tensor, truth: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """MASE(k) = mean over batch and features of |x̂_{n+k} - x_{n+k}| / q.

    prediction, truth: (batch, horizon, features); scale: q, (features,) or a number, positive and finite
    -> (horizon,).
    """
    check_forecast_pair(prediction, truth)
    if isinstance(scale, torch.Tensor) and scale.dim() > 0:
        check_tensor(scale, "scale", ("features",))
    else:
        check_positive(scale, "scale")
    q = torch.as_tensor(scale, dtype=prediction.dtype, device=prediction.device)
    if q.dim() > 1 or (q.dim() == 1 and q.shape[0] not in (1, prediction.shape[2])):
        raise ValueError(
            f"scale must be a number or (features,) = ({prediction.shape[2]},); got shape {tuple(q.shape)}"
        )
    if not bool((q > 0).all()):
        raise ValueError(f"scale must be positive; got {q.tolist()}")
    return ((prediction - truth).abs() / q).mean(dim=(0, 2))

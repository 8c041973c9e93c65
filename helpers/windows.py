"""Cut a series into windows, the unit a sequence model trains on.

A series is ``(time,)`` or ``(time, features)``; a stack of series of equal length is
``(n_series, time, features)``. A window is a slice of ``length`` consecutive steps, and a batch of
windows is ``(batch, time, features)``, the layout ``torch.nn.LSTM(batch_first=True)`` reads.
"""

from __future__ import annotations

import torch

from helpers.validate import check_generator, check_positive_int, check_tensor


def as_series(series: torch.Tensor, name: str = "series") -> torch.Tensor:
    """(time,) or (time, features) -> (time, features); rejects empty, NaN and other ranks."""
    if isinstance(series, torch.Tensor) and series.dim() == 1:
        series = series[:, None]
    return check_tensor(series, name, ("time", "features"))


def as_batch(x: torch.Tensor, name: str = "x") -> torch.Tensor:
    """(time,), (time, features) or (batch, time, features) -> (batch, time, features)."""
    if isinstance(x, torch.Tensor) and x.dim() in (1, 2):
        x = as_series(x, name)[None]
    return check_tensor(x, name, ("batch", "time", "features"))


def sliding_windows(series: torch.Tensor, length: int, stride: int = 1) -> torch.Tensor:
    """Every window of ``length`` steps, starting every ``stride`` steps.

    series: (time,), (time, features) or (n_series, time, features)
    -> windows: (batch, length, features), batch = n_series * number of windows per series.
    Window k of series i is ``series[i, k * stride : k * stride + length]``. It is a copy, not a view.
    length: a positive int, at most the series' length; stride: a positive int. The series must be finite.
    """
    x = as_batch(series, "series")
    check_positive_int(length, "length")
    check_positive_int(stride, "stride")
    n_series, time, features = x.shape
    if length > time:
        raise ValueError(f"length must be at most the series' {time} steps; got length={length}")
    # unfold(1, length, stride): (n_series, n_windows, features, length)
    w = x.unfold(1, length, stride).transpose(2, 3)
    return w.reshape(-1, length, features).contiguous()


def split_window(windows: torch.Tensor, context: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Split windows (batch, time, features) into the first ``context`` steps and the rest.

    Returns (past (batch, context, features), future (batch, time - context, features)). context: a
    positive int less than time.
    """
    check_tensor(windows, "windows", ("batch", "time", "features"))
    check_positive_int(context, "context")
    if context >= windows.shape[1]:
        raise ValueError(
            f"context must leave at least one step to predict: context < {windows.shape[1]}; got {context}"
        )
    return windows[:, :context], windows[:, context:]


def random_windows(series: torch.Tensor, length: int, n: int, generator: torch.Generator) -> torch.Tensor:
    """``n`` windows of ``length`` steps at random places, drawn with ``generator``.

    series: (time,), (time, features) or (n_series, time, features) -> (n, length, features).
    Each window picks a series and a start uniformly (with replacement), so every start is as
    likely as any other, and nothing of size (number of windows, length) is built. length, n: positive ints;
    generator: a torch.Generator (None is refused, as by every helper that draws at random).
    """
    x = as_batch(series, "series")
    check_positive_int(length, "length")
    check_positive_int(n, "n")
    check_generator(generator)
    n_series, time, _ = x.shape
    if length > time:
        raise ValueError(f"length must be at most the series' {time} steps; got length={length}")
    which = torch.randint(n_series, (n,), generator=generator)
    start = torch.randint(time - length + 1, (n,), generator=generator)
    steps = start[:, None] + torch.arange(length)  # (n, length)
    return x[which[:, None].to(x.device), steps.to(x.device)]

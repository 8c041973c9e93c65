"""The delayed-recall task: read a sequence of symbols, then name the one seen ``lag`` steps ago.

It isolates memory: nothing but remembering helps, and ``lag`` sets how long to remember.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.nn import functional as F

from helpers.validate import check_positive_int, check_tensor


def make_recall_batch(
    batch: int, seq_len: int, lag: int, n_symbols: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random symbols, one-hot, and the answer: the symbol ``lag`` steps before the last step.

    Returns x: (batch, seq_len, n_symbols) float32 and y: (batch,) int64, y = symbols[:, seq_len - 1 - lag].
    """
    check_positive_int(batch, "batch")
    check_positive_int(seq_len, "seq_len")
    check_positive_int(n_symbols, "n_symbols")
    if isinstance(lag, bool) or not isinstance(lag, int) or not 0 <= lag < seq_len:
        raise ValueError(f"lag must be an integer in [0, seq_len - 1] = [0, {seq_len - 1}]; got {lag!r}")
    symbols = torch.randint(n_symbols, (batch, seq_len), generator=generator)
    x = F.one_hot(symbols, n_symbols).float()
    return x, symbols[:, seq_len - 1 - lag]


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of sequences whose predicted class (argmax of model(x): (batch, classes)) equals y."""
    check_tensor(x, "x", ("batch", "time", "features"))
    check_tensor(y, "y", ("batch",), {"batch": x.shape[0]}, floating=False)
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


def train_classifier(
    model: nn.Module, next_batch: Callable[[], tuple[torch.Tensor, torch.Tensor]], *, steps: int, lr: float
) -> list[float]:
    """Train a sequence classifier with Adam, one fresh batch per step; return the loss of every step.

    ``next_batch()`` returns x: (batch, time, features) and y: (batch,) class indices; ``model(x)`` gives
    logits (batch, classes). The loss is cross-entropy; gradients are clipped to norm 1.
    """
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    device = next(model.parameters()).device
    losses = []
    for _ in range(check_positive_int(steps, "steps")):
        x, y = next_batch()
        loss = F.cross_entropy(model(x.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    return losses


def train_recall(
    model: nn.Module,
    lag: int,
    *,
    seq_len: int,
    n_symbols: int,
    steps: int = 400,
    batch: int = 64,
    lr: float = 1e-2,
    seed: int = 0,
) -> list[float]:
    """Train ``model`` (x: (batch, time, n_symbols) -> logits (batch, n_symbols)) on fresh recall batches.

    See :func:`train_classifier`. Returns the loss of every step.
    """
    generator = torch.Generator().manual_seed(seed)
    return train_classifier(
        model, lambda: make_recall_batch(batch, seq_len, lag, n_symbols, generator), steps=steps, lr=lr
    )

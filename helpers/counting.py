"""Counting: the language aⁿbⁿ (n a's, then as many b's), and a network that must say where each string ends.

A network reads aⁿ bᵏ one symbol at a time and answers at each b: does the string end here? The
answer is yes exactly at k = n. Only a count of the a's, held while the b's are counted off, gives
the right answer for every n; a network trained on n ≤ N that still answers right for larger n has
learned to count. Gers & Schmidhuber (2001) trained LSTMs on this language; Weiss, Goldberg & Yahav
(2018) showed that an LSTM can count in its cell state and that a GRU cannot.

Input at step t: the symbol one-hot, [1, 0] for a and [0, 1] for b; shorter strings of a batch are
padded with zeros at the end, where nothing is scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F

from helpers.validate import check_module, check_positive_int, check_tensor


class CountingBatch(NamedTuple):
    """x: (batch, time, 2) one-hot symbols; ends: (batch, time) 1.0 at the last b, else 0.0; scored:
    (batch, time) True at the b steps, where an answer is scored."""

    x: torch.Tensor
    ends: torch.Tensor
    scored: torch.Tensor


def anbn_batch(ns: Sequence[int]) -> CountingBatch:
    """The strings aⁿbⁿ for each n of ``ns``, padded to 2·max(ns) steps: a :class:`CountingBatch`."""
    if isinstance(ns, torch.Tensor):
        ns = ns.tolist()
    if not isinstance(ns, Sequence) or len(ns) == 0:
        raise ValueError(f"ns must be a non-empty sequence of positive integers; got {ns!r}")
    for n in ns:
        check_positive_int(n, "every n of ns")
    steps = 2 * max(ns)
    x = torch.zeros(len(ns), steps, 2)
    ends = torch.zeros(len(ns), steps)
    scored = torch.zeros(len(ns), steps, dtype=torch.bool)
    for row, n in enumerate(ns):
        x[row, :n, 0] = 1.0  # a
        x[row, n : 2 * n, 1] = 1.0  # b
        scored[row, n : 2 * n] = True
        ends[row, 2 * n - 1] = 1.0
    return CountingBatch(x, ends, scored)


class EndDetector(nn.Module):
    """A recurrent layer read out at every step by a linear layer: one logit per step, "the string ends here".

    recurrent: a batch-first layer with ``input_size`` 2 and ``hidden_size`` that returns every hidden
    state first (``nn.LSTM(2, n_h, batch_first=True)``, :class:`helpers.gru.GRU`, ...).
    x: (batch, time, 2) -> logits (batch, time).
    """

    def __init__(self, recurrent: nn.Module) -> None:
        super().__init__()
        if getattr(recurrent, "input_size", None) != 2 or not hasattr(recurrent, "hidden_size"):
            raise ValueError(f"recurrent must read 2 features (a, b); got {recurrent!r}")
        self.recurrent = recurrent
        self.head = nn.Linear(recurrent.hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ("batch", "time", "symbols"), {"symbols": 2})
        h_all, _ = self.recurrent(x)
        return self.head(h_all).squeeze(-1)


def end_loss(model: nn.Module, x: torch.Tensor, ends: torch.Tensor, scored: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy of the model's logits (batch, time) against ``ends``, at the scored steps only.

    x: (batch, time, 2); ends: (batch, time), 1.0 at the last b; scored: (batch, time) bool, as
    :func:`anbn_batch` makes them.
    """
    check_module(model, "model")
    check_tensor(x, "x", ("batch", "time", "symbols"), {"symbols": 2})
    check_tensor(ends, "ends", ("batch", "time"), {"batch": x.shape[0], "time": x.shape[1]})
    check_tensor(scored, "scored", ("batch", "time"), {"batch": x.shape[0], "time": x.shape[1]},
                 floating=False, dtype=torch.bool)
    logits = model(x)
    return F.binary_cross_entropy_with_logits(logits[scored], ends[scored])


def accepted(model: nn.Module, ns: Sequence[int]) -> torch.Tensor:
    """For each n of ``ns``, whether the model answers every b of aⁿbⁿ right: (len(ns),) bool.

    Right means logit > 0 ("ends") exactly at the last b and logit < 0 at every other b.
    """
    check_module(model, "model")
    x, ends, scored = anbn_batch(ns)
    device = next(model.parameters()).device
    with torch.no_grad():
        says_end = (model(x.to(device)) > 0).cpu()
    return ((says_end == ends.bool()) | ~scored).all(dim=1)


def counts_up_to(model: nn.Module, n_max: int) -> int:
    """The largest n ≤ n_max such that the model accepts aᵐbᵐ for every m from 1 to n (0 if not even 1)."""
    ok = accepted(model, list(range(1, check_positive_int(n_max, "n_max") + 1)))
    return n_max if bool(ok.all()) else int((~ok).nonzero()[0])

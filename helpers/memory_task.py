"""The marked-value task: remember the one value that was marked, through a long run of distractors.

Each step carries a random value, one of ``n_values`` (one-hot), and a marker bit. Exactly one step of a
sequence is marked; at the last step the network must name the value seen at the marked step. Every
other value is a distractor. The **delay** is the number of steps from the mark to the end: with
``delay = 0`` the mark is the last step, with ``delay = 100`` a hundred distractors follow it.

Input at step t: ``x_t = [one_hot(value_t), marker_t]``, so ``n_values + 1`` features.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F

from helpers.lstm import set_forget_bias
from helpers.recall import train_classifier
from helpers.validate import check_positive_int, check_tensor


class MemoryBatch(NamedTuple):
    """x: (batch, time, n_values + 1) float32; y: (batch,) int64 answers; t_mark: (batch,) int64 marked steps."""

    x: torch.Tensor
    y: torch.Tensor
    t_mark: torch.Tensor


def make_memory_batch(
    batch: int,
    seq_len: int,
    delay: int | None = None,
    *,
    n_values: int = 4,
    generator: torch.Generator,
) -> MemoryBatch:
    """Random sequences with one marked step each, and the value at that step as the answer.

    delay: steps from the mark to the last step, the same for every sequence (the mark is at step
    ``seq_len - 1 - delay``); None draws it per sequence, uniformly from 0 to ``seq_len - 1``.
    Returns a :class:`MemoryBatch`: x (batch, seq_len, n_values + 1), y (batch,) with
    y = value at t_mark, and t_mark (batch,).
    """
    check_positive_int(batch, "batch")
    check_positive_int(seq_len, "seq_len")
    if isinstance(n_values, bool) or not isinstance(n_values, int) or n_values < 2:
        raise ValueError(f"n_values must be an integer >= 2 (one value alone needs no memory); got {n_values!r}")
    if not isinstance(generator, torch.Generator):
        raise TypeError(f"generator must be a torch.Generator; got a {type(generator).__name__}")
    if delay is None:
        delays = torch.randint(seq_len, (batch,), generator=generator)
    elif isinstance(delay, bool) or not isinstance(delay, int) or not 0 <= delay < seq_len:
        raise ValueError(
            f"delay must be None or an integer in [0, seq_len - 1] = [0, {seq_len - 1}]; got {delay!r}. "
            "For a longer delay, lengthen the sequence"
        )
    else:
        delays = torch.full((batch,), delay, dtype=torch.int64)
    values = torch.randint(n_values, (batch, seq_len), generator=generator)
    t_mark = seq_len - 1 - delays
    rows = torch.arange(batch)
    x = torch.zeros(batch, seq_len, n_values + 1)
    x[..., :n_values] = F.one_hot(values, n_values).float()
    x[rows, t_mark, n_values] = 1.0
    return MemoryBatch(x, values[rows, t_mark], t_mark)


class MemoryClassifier(nn.Module):
    """A one-layer ``nn.LSTM`` or ``nn.RNN`` (tanh) and a linear read-out of its last hidden state.

    x: (batch, time, input_size) -> logits (batch, n_classes). PyTorch's layers are used for speed; their
    weights load into the hand-written cells (``helpers.lstm.copy_from_torch``, ``helpers.rnn.copy_from_torch``).
    forget_bias: for an LSTM, the forget gate's starting bias b_f (None: PyTorch's random one).
    """

    def __init__(
        self, kind: str, input_size: int, hidden_size: int, n_classes: int, forget_bias: float | None = None
    ) -> None:
        super().__init__()
        check_positive_int(input_size, "input_size")
        check_positive_int(hidden_size, "hidden_size")
        if kind == "lstm":
            self.recurrent: nn.LSTM | nn.RNN = nn.LSTM(input_size, hidden_size, batch_first=True)
            if forget_bias is not None:
                set_forget_bias(self.recurrent, forget_bias)
        elif kind == "rnn":
            if forget_bias is not None:
                raise ValueError("forget_bias is for kind='lstm'; a vanilla RNN has no forget gate")
            self.recurrent = nn.RNN(input_size, hidden_size, batch_first=True)
        else:
            raise ValueError(f"kind must be 'lstm' or 'rnn'; got {kind!r}")
        self.kind = kind
        self.head = nn.Linear(hidden_size, check_positive_int(n_classes, "n_classes"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.recurrent.input_size})
        h_all, _ = self.recurrent(x)
        return self.head(h_all[:, -1])


def train_memory(
    model: nn.Module,
    *,
    seq_len: int,
    n_values: int = 4,
    steps: int = 400,
    batch: int = 32,
    lr: float = 1e-2,
    seed: int = 0,
) -> list[float]:
    """Train ``model`` with Adam on fresh batches of ``seq_len`` steps whose delays are drawn at random.

    Each batch mixes every delay from 0 to seq_len - 1. Gradients are clipped to norm 1. Returns the
    cross-entropy of every step (ln n_values, about 1.386 for 4 values, is guessing).
    """
    generator = torch.Generator().manual_seed(seed)

    def next_batch() -> tuple[torch.Tensor, torch.Tensor]:
        x, y, _ = make_memory_batch(batch, seq_len, n_values=n_values, generator=generator)
        return x, y

    return train_classifier(model, next_batch, steps=steps, lr=lr)


def accuracy_at_delay(
    model: nn.Module, delay: int, *, n_values: int = 4, lead: int = 5, n: int = 1000, seed: int = 0
) -> float:
    """Fraction of ``n`` fresh sequences answered right when the mark is exactly ``delay`` steps from the end.

    The test sequences have ``lead + delay`` steps, the mark at step ``lead - 1`` (seed ``seed``).
    """
    check_positive_int(lead, "lead")
    if isinstance(delay, bool) or not isinstance(delay, int) or delay < 0:
        raise ValueError(f"delay must be a non-negative integer; got {delay!r}")
    generator = torch.Generator().manual_seed(seed)
    x, y, _ = make_memory_batch(n, lead + delay, delay, n_values=n_values, generator=generator)
    device = next(model.parameters()).device
    with torch.no_grad():
        return (model(x.to(device)).argmax(dim=1).cpu() == y).float().mean().item()


def describe_step(x_t: torch.Tensor, letters: str = "ABCDEFGHIJ") -> str:
    """One step's input in words: x_t (n_values + 1,) -> e.g. "value C, marked" or "value A"."""
    check_tensor(x_t, "x_t", ("features",))
    n_values = x_t.shape[0] - 1
    if not 2 <= n_values <= len(letters):
        raise ValueError(
            f"x_t must hold 3 to {len(letters) + 1} features (values, then the marker); got {n_values + 1}"
        )
    value = letters[int(x_t[:n_values].argmax())]
    return f"value {value}, marked" if x_t[n_values] > 0.5 else f"value {value}"

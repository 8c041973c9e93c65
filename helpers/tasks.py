"""The toy memory tasks of notebooks 01 and 03, the sequence classifier that learns them, and its accuracy.

* **Delayed recall** (notebook 01): read a sequence of symbols, then name the one seen ``lag`` steps ago.
  It isolates memory: nothing but remembering helps, and ``lag`` sets how long to remember.
* **Marked value** (notebook 03): remember the one value that was marked, through a long run of
  distractors. Each step carries a random value, one of ``n_values`` (one-hot), and a marker bit;
  exactly one step of a sequence is marked, and at the last step the network must name the value seen
  at the marked step. The **delay** is the number of steps from the mark to the end: with
  ``delay = 0`` the mark is the last step, with ``delay = 100`` a hundred distractors follow it.
  Input at step t: ``x_t = [one_hot(value_t), marker_t]``, so ``n_values + 1`` features.

Both are learned by a :class:`SequenceClassifier` (a recurrent layer and a linear read-out of its last
hidden state), trained with :func:`helpers.train.fit` on fresh batches, scored by :func:`accuracy`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
from torch import nn
from torch.nn import functional as F

from helpers.train import fit
from helpers.validate import (
    check_generator,
    check_int,
    check_labels,
    check_module,
    check_positive_int,
    check_seed,
    check_tensor,
    check_text,
    describe,
)


class SequenceClassifier(nn.Module):
    """A recurrent layer read out by a linear layer from its last hidden state: logits = W h_T + b.

    recurrent: any batch-first layer that returns every hidden state first, ``h_all, _ = recurrent(x)``
    with h_all (batch, time, hidden) and has ``input_size`` and ``hidden_size``: our
    :class:`helpers.rnn.RNN` or :class:`helpers.lstm.LSTM`, or ``nn.RNN`` / ``nn.LSTM(batch_first=True)``.
    x: (batch, time, input_size) -> logits (batch, n_classes).
    """

    def __init__(self, recurrent: nn.Module, n_classes: int) -> None:
        super().__init__()
        if not isinstance(recurrent, nn.Module) or not hasattr(recurrent, "hidden_size"):
            raise TypeError(
                "recurrent must be a recurrent layer (an nn.Module with input_size and hidden_size, such as "
                f"helpers.rnn.RNN or nn.LSTM(batch_first=True)); got {describe(recurrent)}"
            )
        if getattr(recurrent, "batch_first", True) is not True:
            raise ValueError("recurrent must read batch-first input (batch, time, features): pass batch_first=True")
        self.recurrent = recurrent
        self.head = nn.Linear(recurrent.hidden_size, check_positive_int(n_classes, "n_classes"))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.recurrent.input_size})
        h_all, _ = self.recurrent(x)
        return self.head(h_all[:, -1])


def classification_loss(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Cross-entropy of ``model(x)``: (batch, classes) logits against y: (batch,) class indices.

    x: (batch, time, features), checked by the model; y: (batch,) int64 in [0, classes).
    """
    logits = model(x)
    check_labels(y, "y", logits.shape[0], logits.shape[-1])
    return F.cross_entropy(logits, y)


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of sequences whose predicted class (argmax of model(x): (batch, classes)) equals y.

    x: (batch, time, features) is moved to the model's device (in the model's dtype); y: (batch,) integer
    class indices in [0, classes). No gradients.
    """
    check_module(model, "model", "a classifier")
    check_tensor(x, "x", ("batch", "time", "features"))
    check_tensor(y, "y", ("batch",), {"batch": x.shape[0]}, floating=False)
    device = next(model.parameters()).device
    with torch.no_grad():
        logits = model(x.to(device))
        check_labels(y, "y", x.shape[0], logits.shape[1])
        return (logits.argmax(dim=1).cpu() == y.cpu()).float().mean().item()


# ---------------------------------------------------------------------------------------------
# Delayed recall (notebook 01).


def make_recall_batch(
    batch: int, seq_len: int, lag: int, n_symbols: int, generator: torch.Generator
) -> tuple[torch.Tensor, torch.Tensor]:
    """Random symbols, one-hot, and the answer: the symbol ``lag`` steps before the last step.

    Returns x: (batch, seq_len, n_symbols) float32 and y: (batch,) int64, y = symbols[:, seq_len - 1 - lag].
    batch, seq_len, n_symbols: positive ints; lag: an int in [0, seq_len - 1]; generator: a torch.Generator.
    """
    check_positive_int(batch, "batch")
    check_positive_int(seq_len, "seq_len")
    check_positive_int(n_symbols, "n_symbols")
    check_int(lag, "lag", 0, seq_len - 1, expected=f"an integer in [0, seq_len - 1] = [0, {seq_len - 1}]")
    check_generator(generator)
    symbols = torch.randint(n_symbols, (batch, seq_len), generator=generator)
    x = F.one_hot(symbols, n_symbols).float()
    return x, symbols[:, seq_len - 1 - lag]


# ---------------------------------------------------------------------------------------------
# The marked value (notebook 03).


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
    y = value at t_mark, and t_mark (batch,). batch, seq_len: positive ints; n_values: an int >= 2;
    generator: a torch.Generator (None is refused: the draw must not use the global random state).
    """
    check_positive_int(batch, "batch")
    check_positive_int(seq_len, "seq_len")
    check_int(n_values, "n_values", 2, expected="an integer >= 2 (one value alone needs no memory)")
    check_generator(generator)
    if delay is None:
        delays = torch.randint(seq_len, (batch,), generator=generator)
    else:
        expected = f"None or an integer in [0, seq_len - 1] = [0, {seq_len - 1}]"
        check_int(delay, "delay", 0, seq_len - 1, expected=expected)
        delays = torch.full((batch,), delay, dtype=torch.int64)
    values = torch.randint(n_values, (batch, seq_len), generator=generator)
    t_mark = seq_len - 1 - delays
    rows = torch.arange(batch)
    x = torch.zeros(batch, seq_len, n_values + 1)
    x[..., :n_values] = F.one_hot(values, n_values).float()
    x[rows, t_mark, n_values] = 1.0
    return MemoryBatch(x, values[rows, t_mark], t_mark)


def delay_test_batch(
    delay: int, *, n_values: int = 4, lead: int = 5, n: int = 1000, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` fresh sequences whose mark is exactly ``delay`` steps from the end, to score with :func:`accuracy`.

    The sequences have ``lead + delay`` steps, the mark at step ``lead - 1`` (seed ``seed``).
    Returns x: (n, lead + delay, n_values + 1) and y: (n,). delay: an int >= 0; lead, n: positive ints;
    n_values: an int >= 2; seed: an int >= 0.
    """
    check_positive_int(lead, "lead")
    check_positive_int(n, "n")
    check_int(delay, "delay", 0, expected="a non-negative integer")
    generator = torch.Generator().manual_seed(check_seed(seed))
    x, y, _ = make_memory_batch(n, lead + delay, delay, n_values=n_values, generator=generator)
    return x, y


def train_memory(
    model: nn.Module,
    *,
    seq_len: int | Sequence[int],
    n_values: int = 4,
    steps: int | Sequence[int] = 400,
    batch: int = 32,
    lr: float = 1e-2,
    seed: int = 0,
) -> list[float]:
    """Train ``model`` with Adam on fresh batches of ``seq_len`` steps whose delays are drawn at random.

    Each batch mixes every delay from 0 to seq_len - 1. :func:`helpers.train.fit` with Adam and
    :func:`classification_loss`, gradients clipped to norm 1. A curriculum: ``seq_len=(41, 121)`` with
    ``steps=(400, 100)`` trains 400 steps on 41-step sequences, then 100 on 121-step ones, with one
    optimizer and one stream of batches. Returns the cross-entropy of every step (ln n_values, about
    1.386 for 4 values, is guessing). seq_len, steps: positive ints, or sequences of them of one length;
    other arguments as :func:`make_memory_batch` and :func:`helpers.train.fit` (seed: an int >= 0).
    """
    check_module(model, "model")
    lengths, counts = _stages(seq_len, "seq_len"), _stages(steps, "steps")
    if len(lengths) != len(counts):
        raise ValueError(
            f"seq_len and steps must name the same number of stages; got {len(lengths)} and {len(counts)}"
        )
    for length in lengths:  # checks the sizes
        make_memory_batch(batch, length, n_values=n_values, generator=torch.Generator())
    generator = torch.Generator().manual_seed(check_seed(seed))
    schedule = [length for length, count in zip(lengths, counts, strict=True) for _ in range(count)]
    drawn = iter(schedule)

    def next_batch() -> tuple[torch.Tensor, torch.Tensor]:
        x, y, _ = make_memory_batch(batch, next(drawn), n_values=n_values, generator=generator)
        return x, y

    return fit(model, classification_loss, next_batch, steps=len(schedule), lr=lr, clip=1.0, progress=False)


def _stages(value: int | Sequence[int], name: str) -> list[int]:
    """A positive int, or a non-empty sequence of them, as a list (one entry per training stage)."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if not value:
            raise ValueError(f"{name} must be a positive int or a non-empty sequence of them; got an empty one")
        return [check_positive_int(v, f"{name}[{k}]") for k, v in enumerate(value)]
    return [check_positive_int(value, name)]


def describe_step(x_t: torch.Tensor, letters: str = "ABCDEFGHIJ") -> str:
    """One step's input in words: x_t (n_values + 1,) -> e.g. "value C, marked" or "value A".

    letters: a str with a letter for each value.
    """
    check_text(letters, "letters")
    check_tensor(x_t, "x_t", ("features",))
    n_values = x_t.shape[0] - 1
    if not 2 <= n_values <= len(letters):
        raise ValueError(
            f"x_t must hold 3 to {len(letters) + 1} features (values, then the marker); got {n_values + 1}"
        )
    value = letters[int(x_t[:n_values].argmax())]
    return f"value {value}, marked" if x_t[n_values] > 0.5 else f"value {value}"

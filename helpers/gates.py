"""One way to look inside an LSTM: :func:`trace` keeps every quantity of the equations at every step,

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f),  i_t = σ(W_i·[h_{t-1}, x_t] + b_i),  C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C),
    C_t = f_t * C_{t-1} + i_t * C̃_t,     o_t = σ(W_o·[h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t),

in one record, :class:`LSTMTrace`, for our :class:`helpers.lstm.LSTM` / :class:`~helpers.lstm.LSTMCell`
and for PyTorch's ``nn.LSTM`` (one layer) / ``nn.LSTMCell``, the language model's LSTM included. It can
also hold chosen cell-state units at given values while it runs (an intervention).

Then statistics of a trace: :func:`saturation` counts how often a gate is near 0 (closed: blocks) or
near 1 (open: lets through); :func:`units_by_memory` ranks the units by how much their cell state says
about a class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import nn

from helpers.lstm import LSTM, LSTMCell, lstm_step
from helpers.validate import (
    InputIndexError,
    InputTypeError,
    check_instance,
    check_int,
    check_items,
    check_labels,
    check_number,
    check_tensor,
)

#: The traced quantities, in the order of the equations.
QUANTITIES = ("f_t", "i_t", "C_tilde_t", "C_t", "o_t", "h_t")
#: The three gates (sigmoid outputs, between 0 and 1).
GATES = ("f_t", "i_t", "o_t")


@dataclass(frozen=True)
class LSTMTrace:
    """Everything one LSTM computed on ``n_seq`` sequences, on the CPU, without gradients.

    x: (n_seq, time, n_in), the inputs; f_t, i_t, C_tilde_t, C_t, o_t, h_t: (n_seq, time, n_h), the value of
    each quantity at every step. h0, C0: (n_seq, n_h), the state before step 0 (None: zeros).
    """

    x: torch.Tensor
    f_t: torch.Tensor
    i_t: torch.Tensor
    C_tilde_t: torch.Tensor
    C_t: torch.Tensor
    o_t: torch.Tensor
    h_t: torch.Tensor
    h0: torch.Tensor | None = None
    C0: torch.Tensor | None = None

    @property
    def n_seq(self) -> int:
        return self.x.shape[0]

    @property
    def time(self) -> int:
        return self.x.shape[1]

    @property
    def hidden_size(self) -> int:
        return self.h_t.shape[2]

    def __getitem__(self, name: str) -> torch.Tensor:
        """The tensor of one quantity by its name, e.g. ``trace["f_t"]``: (n_seq, time, n_h)."""
        if name not in QUANTITIES:
            raise KeyError(f"no quantity {name!r}; expected one of {list(QUANTITIES)}")
        return getattr(self, name)

    def check_index(self, seq: int, step: int, unit: int | None = None) -> None:
        """Raise ``IndexError`` naming the valid range when a sequence, step or unit index is out of range."""
        checks = [(seq, "seq", self.n_seq), (step, "step", self.time)]
        if unit is not None:
            checks.append((unit, "unit", self.hidden_size))
        for value, name, size in checks:
            if isinstance(value, bool) or not isinstance(value, int):
                raise InputTypeError(f"{name} must be an integer; got {value!r}")
            if not 0 <= value < size:
                raise InputIndexError(f"{name} must lie in [0, {size - 1}] for this recording; got {value}")

    def values_at(self, seq: int, step: int, unit: int) -> dict[str, float]:
        """The scalars of one unit at one step, keyed as ``helpers.diagrams.draw_lstm_cell`` takes them.

        Keys: h_prev, C_prev (the state the step starts from), f_t, i_t, C_tilde_t, o_t, C_t, h_t.
        """
        self.check_index(seq, step, unit)
        values = {"h_prev": 0.0, "C_prev": 0.0}
        if step == 0 and self.h0 is not None and self.C0 is not None:
            values = {"h_prev": self.h0[seq, unit].item(), "C_prev": self.C0[seq, unit].item()}
        elif step > 0:
            values = {"h_prev": self.h_t[seq, step - 1, unit].item(), "C_prev": self.C_t[seq, step - 1, unit].item()}
        for name in ("f_t", "i_t", "C_tilde_t", "o_t", "C_t", "h_t"):
            values[name] = self[name][seq, step, unit].item()
        return values


def trace(
    lstm: LSTM | LSTMCell | nn.LSTM | nn.LSTMCell,
    x: torch.Tensor,
    state: tuple[torch.Tensor, torch.Tensor] | None = None,
    *,
    units: Sequence[int] = (),
    values: torch.Tensor | float | None = None,
    when: torch.Tensor | None = None,
) -> LSTMTrace:
    """Step ``lstm``'s cell through ``x`` (n_seq, time, n_in), batch first, and keep every quantity.

    lstm: our ``LSTM`` or ``LSTMCell``, or a one-layer ``nn.LSTM`` (batch-first or not: x is read batch
    first here) or ``nn.LSTMCell``, with biases. state: (h0, C0), each (n_seq, n_h), or None for zeros.
    Each step is :func:`helpers.lstm.lstm_step` on the module's own weights, so the trace equals what the
    module computes. Runs on the LSTM's device and dtype (x is moved there) without gradients; the trace
    is moved to the CPU.

    Intervention: with ``units``, after each step's C_t = f_t * C_{t-1} + i_t * C̃_t the chosen cell-state
    units are overwritten by ``values`` (None = 0; a number; (n_seq, len(units)); or (n_seq, time,
    len(units)) for a value per step) before h_t = o_t * tanh(C_t) is computed, at the steps where
    ``when`` (n_seq, time) is True (default: every step). The trace then holds the changed C_t and h_t.
    units: distinct ints in [0, n_h); values and when need units. x, state and values must be finite.
    """
    W_x, W_h, b_x, b_h = _weights(lstm)
    n_h = W_h.shape[1]
    check_tensor(x, "x", ("n_seq", "time", "features"), {"features": W_x.shape[1]})
    x = x.to(device=W_x.device, dtype=W_x.dtype)
    batch, steps, _ = x.shape
    h_t, C_t = _start(state, batch, n_h, x)
    h0, C0 = (None, None) if state is None else (h_t.detach().cpu(), C_t.detach().cpu())
    units = check_items(units, "units", check_int, allow_empty=True)
    if not units and (values is not None or when is not None):
        raise ValueError("values and when say how to hold units: give units too (for example units=[3])")
    if any(not 0 <= u < n_h for u in units):
        raise ValueError(f"units must be in [0, {n_h}); got {units}")
    if len(set(units)) != len(units):
        raise ValueError(f"units must not repeat; got {units}")
    clamp = _clamp_values(values, batch, steps, len(units), x) if units else None
    if when is None:
        when = torch.ones(batch, steps, dtype=torch.bool)
    check_tensor(when, "when", ("n_seq", "time"), {"n_seq": batch, "time": steps}, floating=False, dtype=torch.bool)
    when = when.to(x.device)
    kept: dict[str, list[torch.Tensor]] = {name: [] for name in QUANTITIES}
    with torch.no_grad():
        for t, x_t in enumerate(x.unbind(1)):
            h_t, C_t, gates = lstm_step(x_t, h_t, C_t, W_x, W_h, b_x, b_h, return_gates=True)
            if clamp is not None:
                C_t = C_t.clone()
                C_t[:, units] = torch.where(when[:, t : t + 1], clamp[:, t], C_t[:, units])
                h_t = gates.o_t * torch.tanh(C_t)  # h_t = o_t * tanh(C_t), from the clamped C_t
            for name, value in zip(("f_t", "i_t", "C_tilde_t", "o_t"), gates, strict=True):
                kept[name].append(value)
            kept["C_t"].append(C_t)
            kept["h_t"].append(h_t)
    stacked = {name: torch.stack(values, dim=1).cpu() for name, values in kept.items()}
    return LSTMTrace(x=x.detach().cpu(), **stacked, h0=h0, C0=C0)


def _weights(lstm: object) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """W_x (4·n_h, n_in), W_h (4·n_h, n_h), b_x, b_h (4·n_h) of any LSTM :func:`trace` accepts."""
    if isinstance(lstm, LSTM | LSTMCell):
        cell = lstm.cell if isinstance(lstm, LSTM) else lstm
        return cell.W_x, cell.W_h, cell.b_x, cell.b_h
    if isinstance(lstm, nn.LSTMCell) and lstm.bias:
        return lstm.weight_ih, lstm.weight_hh, lstm.bias_ih, lstm.bias_hh
    if isinstance(lstm, nn.LSTM):
        wanted = (1, True, False, 0)
        got = (lstm.num_layers, lstm.bias, lstm.bidirectional, lstm.proj_size)
        if got != wanted:
            raise ValueError(
                "lstm must be one layer: trace needs nn.LSTM(num_layers, bias, bidirectional, proj_size) = "
                f"{wanted}; got {got}"
            )
        return lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0
    raise InputTypeError(
        "lstm must be one trace can step: expected an LSTM: helpers.lstm.LSTM or LSTMCell, a one-layer "
        f"nn.LSTM or an nn.LSTMCell with biases; got {type(lstm).__name__}"
    )


def _start(state: object, batch: int, n_h: int, like: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The state before step 0: zeros when ``state`` is None, else the checked pair (h0, C0)."""
    if state is None:
        zeros = like.new_zeros(batch, n_h)
        return zeros, zeros
    if not isinstance(state, tuple | list) or len(state) != 2:
        raise InputTypeError(f"state must be a pair (h0, C0) or None; got a {type(state).__name__}")
    for value, name in zip(state, ("h0", "C0"), strict=True):
        check_tensor(value, name, ("n_seq", "hidden"), {"n_seq": batch, "hidden": n_h})
    return state[0].to(like), state[1].to(like)


def _clamp_values(values: object, batch: int, steps: int, n_units: int, like: torch.Tensor) -> torch.Tensor:
    """The value each held unit takes at each step: (n_seq, time, units)."""
    if values is None:
        return like.new_zeros(batch, steps, n_units)
    if isinstance(values, int | float) and not isinstance(values, bool):
        return like.new_full((batch, steps, n_units), check_number(values, "values"))
    if isinstance(values, torch.Tensor) and values.dim() == 2:
        check_tensor(values, "values", ("n_seq", "units"), {"n_seq": batch, "units": n_units})
        return values.to(like).unsqueeze(1).expand(batch, steps, n_units)
    check_tensor(values, "values", ("n_seq", "time", "units"), {"n_seq": batch, "time": steps, "units": n_units})
    return values.to(like)


def saturation(gate: torch.Tensor, low: float = 0.1, high: float = 0.9) -> tuple[float, float]:
    """The fraction of a gate's values below ``low`` (nearly closed) and above ``high`` (nearly open).

    gate: any shape, values in [0, 1] (a sigmoid's output). Returns (fraction near 0, fraction near 1);
    the rest, 1 minus both, is in between. low, high: numbers with 0 <= low < high <= 1.
    """
    check_instance(gate, "gate", torch.Tensor, "a torch.Tensor of values in [0, 1]")
    check_tensor(gate, "gate", tuple(f"axis{k}" for k in range(gate.dim())))
    low, high = check_number(low, "low"), check_number(high, "high")
    if not 0.0 <= low < high <= 1.0:
        raise ValueError(f"need 0 <= low < high <= 1; got low={low}, high={high}")
    if bool((gate < 0).any()) or bool((gate > 1).any()):
        raise ValueError(
            f"a gate's values lie in [0, 1]; got values from {gate.min().item():.3g} to {gate.max().item():.3g}"
        )
    n = gate.numel()
    return (gate < low).sum().item() / n, (gate > high).sum().item() / n


def saturation_table(recording: LSTMTrace, low: float = 0.1, high: float = 0.9) -> dict[str, tuple[float, float]]:
    """:func:`saturation` of each gate (f_t, i_t, o_t) over every sequence, step and unit of ``recording``."""
    check_instance(recording, "recording", LSTMTrace, "an LSTMTrace (from trace)")
    return {name: saturation(recording[name], low, high) for name in GATES}


def units_by_memory(recording: LSTMTrace, y: torch.Tensor, step: int = -1) -> tuple[list[int], torch.Tensor]:
    """Rank the units by how much of their cell state C_t at ``step`` the answer explains, largest first.

    y: (n_seq,) integer class of each sequence (the value to remember). For each unit, the score is the
    share of the variance of C_t across sequences that lies between the classes' means (η², from 0: C_t
    says nothing about y, to 1: C_t is set by y alone). Returns (units in order, score of every unit (n_h,)).
    step: an int in [-time, time - 1], negative counting from the end.
    """
    check_instance(recording, "recording", LSTMTrace, "an LSTMTrace (from trace)")
    check_int(step, "step", -recording.time, recording.time - 1)
    check_tensor(y, "y", ("n_seq",), {"n_seq": recording.n_seq}, floating=False)
    check_labels(y, "y")
    if recording.n_seq < 2:
        raise ValueError(f"need at least two sequences to compare; the recording has {recording.n_seq}")
    C = recording.C_t[:, step].double()  # (n_seq, n_h)
    y = y.cpu()
    mean = C.mean(dim=0)
    between = torch.zeros_like(mean)
    for value in torch.unique(y):
        chosen = C[y == value]
        between += chosen.shape[0] * (chosen.mean(dim=0) - mean) ** 2
    total = ((C - mean) ** 2).sum(dim=0)
    score = (between / total.clamp_min(1e-12)).float()
    order = torch.argsort(score, descending=True, stable=True)
    return [int(k) for k in order], score

"""Record what a trained LSTM computes, step by step, and measure how often its gates are shut or open.

:func:`record_gates` runs the hand-written :class:`helpers.lstm.LSTMCell` through sequences and keeps
every quantity of the equations at every step:

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f),  i_t = σ(W_i·[h_{t-1}, x_t] + b_i),  C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C),
    C_t = f_t * C_{t-1} + i_t * C̃_t,     o_t = σ(W_o·[h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t).

:func:`saturation` counts how often a gate is near 0 (closed: blocks) or near 1 (open: lets through).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from helpers.lstm import LSTM, LSTMCell
from helpers.validate import check_tensor

#: The recorded quantities, in the order of the equations.
QUANTITIES = ("f_t", "i_t", "C_tilde_t", "C_t", "o_t", "h_t")
#: The three gates (sigmoid outputs, between 0 and 1).
GATES = ("f_t", "i_t", "o_t")


@dataclass(frozen=True)
class GateRecording:
    """Everything one LSTM computed on ``n_seq`` sequences, on the CPU, without gradients.

    x: (n_seq, time, n_in), the inputs; f_t, i_t, C_tilde_t, C_t, o_t, h_t: (n_seq, time, n_h), the value of
    each quantity at every step. The state before step 0 is zero: h_{-1} = C_{-1} = 0.
    """

    x: torch.Tensor
    f_t: torch.Tensor
    i_t: torch.Tensor
    C_tilde_t: torch.Tensor
    C_t: torch.Tensor
    o_t: torch.Tensor
    h_t: torch.Tensor

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
        """The tensor of one quantity by its name, e.g. ``recording["f_t"]``: (n_seq, time, n_h)."""
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
                raise TypeError(f"{name} must be an integer; got {value!r}")
            if not 0 <= value < size:
                raise IndexError(f"{name} must lie in [0, {size - 1}] for this recording; got {value}")

    def values_at(self, seq: int, step: int, unit: int) -> dict[str, float]:
        """The scalars of one unit at one step, keyed as ``helpers.diagrams.draw_lstm_cell`` takes them.

        Keys: h_prev, C_prev (the state the step starts from), f_t, i_t, C_tilde_t, o_t, C_t, h_t.
        """
        self.check_index(seq, step, unit)
        values = {"h_prev": 0.0, "C_prev": 0.0}
        if step > 0:
            values = {"h_prev": self.h_t[seq, step - 1, unit].item(), "C_prev": self.C_t[seq, step - 1, unit].item()}
        for name in ("f_t", "i_t", "C_tilde_t", "o_t", "C_t", "h_t"):
            values[name] = self[name][seq, step, unit].item()
        return values


def record_gates(lstm: LSTM | LSTMCell, x: torch.Tensor) -> GateRecording:
    """Step ``lstm``'s cell through ``x``: (n_seq, time, n_in) from a zero state and keep every quantity.

    Runs on the LSTM's device and dtype without gradients; the recording is moved to the CPU.
    """
    cell = lstm.cell if isinstance(lstm, LSTM) else lstm
    if not isinstance(cell, LSTMCell):
        raise TypeError(
            f"expected a helpers.lstm.LSTM or LSTMCell (load an nn.LSTM into one with helpers.lstm.copy_from_torch); "
            f"got {type(lstm).__name__}"
        )
    check_tensor(x, "x", ("n_seq", "time", "features"), {"features": cell.input_size})
    x = x.to(device=cell.W_x.device, dtype=cell.W_x.dtype)
    kept: dict[str, list[torch.Tensor]] = {name: [] for name in QUANTITIES}
    state = None
    with torch.no_grad():
        for x_t in x.unbind(1):
            h_t, C_t, gates = cell(x_t, state, return_gates=True)
            state = (h_t, C_t)
            for name, value in zip(("f_t", "i_t", "C_tilde_t", "o_t"), gates, strict=True):
                kept[name].append(value)
            kept["C_t"].append(C_t)
            kept["h_t"].append(h_t)
    stacked = {name: torch.stack(values, dim=1).cpu() for name, values in kept.items()}
    return GateRecording(x=x.detach().cpu(), **stacked)


def saturation(gate: torch.Tensor, low: float = 0.1, high: float = 0.9) -> tuple[float, float]:
    """The fraction of a gate's values below ``low`` (nearly closed) and above ``high`` (nearly open).

    gate: any shape, values in [0, 1] (a sigmoid's output). Returns (fraction near 0, fraction near 1);
    the rest, 1 minus both, is in between.
    """
    if not isinstance(gate, torch.Tensor):
        raise TypeError(f"gate must be a torch.Tensor of values in [0, 1]; got a {type(gate).__name__}")
    check_tensor(gate, "gate", tuple(f"axis{k}" for k in range(gate.dim())))
    if not 0.0 <= low < high <= 1.0:
        raise ValueError(f"need 0 <= low < high <= 1; got low={low}, high={high}")
    if bool((gate < 0).any()) or bool((gate > 1).any()):
        raise ValueError(
            f"a gate's values lie in [0, 1]; got values from {gate.min().item():.3g} to {gate.max().item():.3g}"
        )
    n = gate.numel()
    return (gate < low).sum().item() / n, (gate > high).sum().item() / n


def saturation_table(recording: GateRecording, low: float = 0.1, high: float = 0.9) -> dict[str, tuple[float, float]]:
    """:func:`saturation` of each gate (f_t, i_t, o_t) over every sequence, step and unit of ``recording``."""
    return {name: saturation(recording[name], low, high) for name in GATES}


def units_by_memory(recording: GateRecording, y: torch.Tensor, step: int = -1) -> tuple[list[int], torch.Tensor]:
    """Rank the units by how much of their cell state C_t at ``step`` the answer explains, largest first.

    y: (n_seq,) integer class of each sequence (the value to remember). For each unit, the score is the
    share of the variance of C_t across sequences that lies between the classes' means (η², from 0: C_t
    says nothing about y, to 1: C_t is set by y alone). Returns (units in order, score of every unit (n_h,)).
    """
    check_tensor(y, "y", ("n_seq",), {"n_seq": recording.n_seq}, floating=False)
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

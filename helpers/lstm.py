"""The LSTM cell, written from its equations, with PyTorch's weight layout so weights copy both ways.

With ``[h_{t-1}, x_t]`` the previous hidden state and the input side by side:

    f_t  = σ(W_f·[h_{t-1}, x_t] + b_f)        forget gate
    i_t  = σ(W_i·[h_{t-1}, x_t] + b_i)        input gate
    C̃_t  = tanh(W_C·[h_{t-1}, x_t] + b_C)     candidate
    C_t  = f_t * C_{t-1} + i_t * C̃_t           cell state
    o_t  = σ(W_o·[h_{t-1}, x_t] + b_o)        output gate
    h_t  = o_t * tanh(C_t)                     hidden state

:func:`lstm_step`, :class:`LSTMCell` and :class:`LSTM` compute these lines fused, the way ``torch.nn.LSTM``
stores them:
``W_x`` (4·n_h, n_in) and ``W_h`` (4·n_h, n_h) stack the four gates in PyTorch's order
**input, forget, candidate, output** (i, f, C̃, o), and there are two bias vectors ``b_x`` and ``b_h``
(PyTorch's ``bias_ih`` and ``bias_hh``; only their sum matters). Vectors are rows here (``x_t`` is
``(batch, n_in)``), so ``W x_t`` is written ``x_t @ W.T``. To look inside (every gate at every step),
use :func:`helpers.gates.trace`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn

from helpers.validate import (
    InputTypeError,
    check_module,
    check_number,
    check_positive_int,
    check_same,
    check_shapes,
    check_tensor,
)


class Gates(NamedTuple):
    """The gate activations of one step, each (batch, n_h) (:func:`helpers.gates.trace` keeps them over time)."""

    f_t: torch.Tensor
    i_t: torch.Tensor
    C_tilde_t: torch.Tensor
    o_t: torch.Tensor


def _fuse(
    W_x: torch.Tensor, W_h: torch.Tensor, b_x: torch.Tensor, b_h: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """PyTorch's four tensors -> W = [W_h | W_x]: (4·n_h, n_h + n_in) acting on [h_{t-1}, x_t], b: (4·n_h).

    Row block k of W is the plain matrix of gate k in the order (i, f, C̃, o): W_i, W_f, W_C, W_o stacked.
    """
    return torch.cat([W_h, W_x], dim=1), b_x + b_h


def _pointwise(z: torch.Tensor, C_prev: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, Gates]:
    """Pre-activations z: (batch, 4·n_h), gates in PyTorch's order -> h_t, C_t: (batch, n_h) and the gates."""
    z_i, z_f, z_C, z_o = z.chunk(4, dim=1)
    f_t = torch.sigmoid(z_f)
    i_t = torch.sigmoid(z_i)
    C_tilde_t = torch.tanh(z_C)
    C_t = f_t * C_prev + i_t * C_tilde_t
    o_t = torch.sigmoid(z_o)
    h_t = o_t * torch.tanh(C_t)
    return h_t, C_t, Gates(f_t, i_t, C_tilde_t, o_t)


def lstm_step(
    x_t: torch.Tensor,
    h_prev: torch.Tensor,
    C_prev: torch.Tensor,
    W_x: torch.Tensor,
    W_h: torch.Tensor,
    b_x: torch.Tensor,
    b_h: torch.Tensor,
    return_gates: bool = False,
) -> tuple[torch.Tensor, torch.Tensor] | tuple[torch.Tensor, torch.Tensor, Gates]:
    """One fused LSTM step: the four gates' pre-activations come out of one product, then split in four.

    x_t: (batch, n_in), h_prev and C_prev: (batch, n_h), W_x: (4·n_h, n_in), W_h: (4·n_h, n_h),
    b_x and b_h: (4·n_h), gates in PyTorch's order (i, f, C̃, o). Returns h_t, C_t: (batch, n_h), and
    the :class:`Gates` too when ``return_gates`` is true (as :func:`helpers.gates.trace` asks). All tensors
    floating-point, of one dtype and device; their shapes are checked, their values are not scanned for
    NaN (a step runs in a loop: :class:`LSTMCell` scans its input).
    """
    if isinstance(W_h, torch.Tensor) and W_h.dim() == 2 and W_h.shape[0] != 4 * W_h.shape[1]:
        raise ValueError(f"W_h must have shape (4·n_h, n_h), four gates stacked; got shape {tuple(W_h.shape)}")
    check_shapes(
        ("W_x", W_x, ("4·n_h", "n_in")), ("W_h", W_h, ("4·n_h", "n_h")), ("b_x", b_x, ("4·n_h",)),
        ("b_h", b_h, ("4·n_h",)), ("x_t", x_t, ("batch", "n_in")), ("h_prev", h_prev, ("batch", "n_h")),
        ("C_prev", C_prev, ("batch", "n_h")),
    )
    # W·[h_{t-1}, x_t] + b with W = [W_h | W_x] and b = b_x + b_h, kept as PyTorch keeps it.
    z = torch.addmm(b_x, x_t, W_x.T) + torch.addmm(b_h, h_prev, W_h.T)  # (batch, 4·n_h)
    h_t, C_t, gates = _pointwise(z, C_prev)
    return (h_t, C_t, gates) if return_gates else (h_t, C_t)


class LSTMCell(nn.Module):
    """One LSTM step as a module. Parameters as ``torch.nn.LSTMCell``, named after the equations:

    W_x (4·n_h, n_in) = weight_ih, W_h (4·n_h, n_h) = weight_hh, b_x (4·n_h) = bias_ih,
    b_h (4·n_h) = bias_hh, gates stacked in the order (i, f, C̃, o).

    ``forget_bias``: if given, the forget gate's bias b_f (the sum of its two bias parts) starts at this
    value instead of PyTorch's random one; a positive value makes the cell remember by default.
    input_size (n_in), hidden_size (n_h): positive ints; forget_bias: a finite number or None.
    """

    def __init__(self, input_size: int, hidden_size: int, forget_bias: float | None = None) -> None:
        super().__init__()
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        if forget_bias is not None:
            check_number(forget_bias, "forget_bias")
        self.W_x = nn.Parameter(torch.empty(4 * hidden_size, input_size))
        self.W_h = nn.Parameter(torch.empty(4 * hidden_size, hidden_size))
        self.b_x = nn.Parameter(torch.empty(4 * hidden_size))
        self.b_h = nn.Parameter(torch.empty(4 * hidden_size))
        self.forget_bias = forget_bias
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in [-1/sqrt(n_h), 1/sqrt(n_h)] as PyTorch does, then the forget bias if one was given."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)
        if self.forget_bias is not None:
            set_forget_bias(self, self.forget_bias)

    def extra_repr(self) -> str:
        extra = "" if self.forget_bias is None else f", forget_bias={self.forget_bias}"
        return f"{self.input_size}, {self.hidden_size}{extra}"

    def forward(
        self, x_t: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """x_t: (batch, n_in); state: (h_prev, C_prev), each (batch, n_h), or None for zeros.

        Returns h_t, C_t: (batch, n_h).
        """
        check_tensor(x_t, "x_t", ("batch", "features"), {"features": self.input_size})
        check_same(x_t, self.W_x, ("x_t", "the cell's weights"))
        # The state is checked for shape, dtype and device but not scanned for NaN: in a loop it is the
        # previous step's output, and scanning it would cost more than the step itself.
        h_prev, C_prev = _initial_state(
            state, x_t.shape[0], self.hidden_size, x_t, ("h_prev", "C_prev"), scan_values=False
        )
        return lstm_step(x_t, h_prev, C_prev, self.W_x, self.W_h, self.b_x, self.b_h)


class LSTM(nn.Module):
    """A one-layer LSTM over a whole sequence, batch first, stepping an :class:`LSTMCell` through time.

    Equal to ``torch.nn.LSTM(input_size, hidden_size, batch_first=True)`` on the same weights
    (see :func:`copy_from_torch`); arguments as :class:`LSTMCell`. The fused weights W = [W_h | W_x] are
    built once per call, so each step costs one matrix product, [h_{t-1}, x_t] W^T + b, and a few pointwise operations.
    """

    def __init__(self, input_size: int, hidden_size: int, forget_bias: float | None = None) -> None:
        super().__init__()
        self.cell = LSTMCell(input_size, hidden_size, forget_bias)
        self.input_size = input_size
        self.hidden_size = hidden_size

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """x: (batch, time, n_in), finite; state: (h0, C0), each (batch, n_h), or None for zeros; all in the
        LSTM's dtype and on its device.

        Returns every hidden state h_all (batch, time, n_h) and the last state (h_T, C_T), each
        (batch, n_h).
        """
        cell = self.cell
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.input_size})
        check_same(x, cell.W_x, ("x", "the LSTM's weights"))
        batch, time, _ = x.shape
        h_t, C_t = _initial_state(state, batch, self.hidden_size, x, ("h0", "C0"))
        W, b = _fuse(cell.W_x, cell.W_h, cell.b_x, cell.b_h)  # once, not at every step
        W_T = W.T
        hs = []
        for x_t in x.unbind(1):
            z = torch.addmm(b, torch.cat([h_t, x_t], dim=1), W_T)  # W·[h_{t-1}, x_t] + b
            h_t, C_t, _ = _pointwise(z, C_t)
            hs.append(h_t)
        return torch.stack(hs, dim=1), (h_t, C_t)


def _initial_state(
    state: object,
    batch: int,
    hidden_size: int,
    like: torch.Tensor,
    names: tuple[str, str],
    scan_values: bool = True,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Zeros when ``state`` is None, else check that it is a pair (h, C) of (batch, n_h) tensors.

    ``scan_values=False`` skips the scan for NaN and infinity (the costly part of the check).
    """
    if state is None:
        zeros = like.new_zeros(batch, hidden_size)
        return zeros, zeros
    if not isinstance(state, tuple | list) or len(state) != 2:
        raise InputTypeError(
            f"the state must be a pair ({names[0]}, {names[1]}) or None; got a {type(state).__name__}"
            + (f" of length {len(state)}" if isinstance(state, tuple | list) else "")
        )
    for value, name in zip(state, names, strict=True):
        check_tensor(
            value,
            name,
            ("batch", "hidden"),
            {"batch": batch, "hidden": hidden_size},
            allow_nan=not scan_values,
        )
        check_same(value, like, (name, "the input"))
    return state[0], state[1]


# ---------------------------------------------------------------------------------------------
# Moving weights between our modules and torch.nn.LSTMCell / torch.nn.LSTM.

_NAMES = (("W_x", "weight_ih"), ("W_h", "weight_hh"), ("b_x", "bias_ih"), ("b_h", "bias_hh"))


def copy_from_torch(ours: LSTMCell | LSTM, theirs: nn.LSTMCell | nn.LSTM) -> LSTMCell | LSTM:
    """Load the weights of an ``nn.LSTMCell`` or a one-layer ``nn.LSTM`` into ``ours``; returns ``ours``.

    The layouts are the same (gates in the order i, f, C̃, o; two bias vectors), so this is a plain copy.
    ``nn.LSTM`` may be batch-first or not: that changes its input layout, not its weights.
    """
    cell, params = _check_compatible(ours, theirs)
    with torch.no_grad():
        for our_name, their_name in _NAMES:
            getattr(cell, our_name).copy_(params[their_name])
    return ours


def copy_to_torch(ours: LSTMCell | LSTM, theirs: nn.LSTMCell | nn.LSTM) -> nn.LSTMCell | nn.LSTM:
    """Load ``ours`` into an ``nn.LSTMCell`` or a one-layer ``nn.LSTM``; returns ``theirs``."""
    cell, params = _check_compatible(ours, theirs)
    with torch.no_grad():
        for our_name, their_name in _NAMES:
            params[their_name].copy_(getattr(cell, our_name))
    return theirs


def _check_compatible(
    ours: LSTMCell | LSTM, theirs: nn.LSTMCell | nn.LSTM
) -> tuple[LSTMCell, dict[str, torch.Tensor]]:
    """Return our cell and PyTorch's four parameters by their cell names, after checking the sizes."""
    if not isinstance(ours, LSTMCell | LSTM):
        raise InputTypeError(f"ours must be a helpers.lstm.LSTMCell or LSTM; got {type(ours).__name__}")
    cell = ours.cell if isinstance(ours, LSTM) else ours
    if isinstance(theirs, nn.LSTMCell):
        if not theirs.bias:
            raise ValueError("theirs must be an nn.LSTMCell with bias=True; got bias=False")
        params = {name: getattr(theirs, name) for _, name in _NAMES}
    elif isinstance(theirs, nn.LSTM):
        wanted = (1, True, False, 0)
        got = (theirs.num_layers, theirs.bias, theirs.bidirectional, theirs.proj_size)
        if got != wanted:
            raise ValueError(
                f"theirs must be a one-layer LSTM: expected nn.LSTM(num_layers, bias, bidirectional, proj_size) = "
                f"{wanted}; got {got}"
            )
        params = {name: getattr(theirs, f"{name}_l0") for _, name in _NAMES}
    else:
        raise InputTypeError(
            f"theirs must be PyTorch's: expected a torch.nn.LSTMCell or torch.nn.LSTM; got {type(theirs).__name__}"
        )
    if (theirs.input_size, theirs.hidden_size) != (cell.input_size, cell.hidden_size):
        raise ValueError(
            "theirs does not match ours: sizes differ: ours has (input_size, hidden_size) = "
            f"({cell.input_size}, {cell.hidden_size}), "
            f"theirs ({theirs.input_size}, {theirs.hidden_size})"
        )
    return cell, params


def set_forget_bias(module: nn.Module, value: float) -> nn.Module:
    """Set the forget gate's bias b_f to ``value`` in every LSTM cell or layer inside ``module``.

    Works on our :class:`LSTMCell` / :class:`LSTM` and on ``nn.LSTMCell`` / ``nn.LSTM`` (every layer and
    direction). The input-side part gets ``value``, the hidden-side part 0, so b_f = b_x,f + b_h,f = value.
    module: an ``nn.Module``; value: a finite number. Returns ``module``. Raises ``ValueError`` if it
    contains no LSTM with biases.
    """
    check_module(module, "module", "a module that contains an LSTM")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputTypeError(f"value, the forget bias, must be a finite number; got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"value, the forget bias, must be a finite number; got {value!r}")
    pairs = []
    for sub in module.modules():
        if isinstance(sub, LSTMCell):
            pairs.append((sub.b_x, sub.b_h))
        elif isinstance(sub, nn.LSTMCell) and sub.bias:
            pairs.append((sub.bias_ih, sub.bias_hh))
        elif isinstance(sub, nn.LSTM) and sub.bias:
            names = [n for n in sub._flat_weights_names if n.startswith("bias_ih")]
            pairs += [(getattr(sub, n), getattr(sub, n.replace("bias_ih", "bias_hh"))) for n in names]
    if not pairs:
        raise ValueError(f"found no LSTM with biases in the {type(module).__name__} given")
    with torch.no_grad():
        for b_x, b_h in pairs:
            n_h = b_x.shape[0] // 4
            b_x[n_h : 2 * n_h] = value  # forget chunk: the second of (i, f, C̃, o)
            b_h[n_h : 2 * n_h] = 0.0
    return module

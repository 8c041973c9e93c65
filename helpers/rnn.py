"""The vanilla RNN, written from its equation: h_t = tanh(W_xh x_t + W_hh h_{t-1} + b).

Vectors are rows here (``x_t`` is ``(batch, features)``), so ``W_xh x_t`` is written ``x_t @ W_xh.T``.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from helpers.validate import InputTypeError, check_instance, check_positive_int, check_same, check_shapes, check_tensor


def rnn_step(
    x_t: torch.Tensor, h_prev: torch.Tensor, W_xh: torch.Tensor, W_hh: torch.Tensor, b: torch.Tensor
) -> torch.Tensor:
    """One step of the recurrence. x_t: (batch, n_in), h_prev: (batch, n_h) -> h_t: (batch, n_h).

    Or one vector without a batch axis: x_t (n_in,), h_prev (n_h,) -> h_t (n_h,). W_xh: (n_h, n_in),
    W_hh: (n_h, n_h), b: (n_h,), all floating-point of one dtype and device. Shapes are checked (a step
    runs in a loop, so values are not scanned for NaN).
    """
    batch = () if isinstance(x_t, torch.Tensor) and x_t.dim() == 1 else ("batch",)
    check_shapes(
        ("W_xh", W_xh, ("n_h", "n_in")), ("W_hh", W_hh, ("n_h", "n_h")), ("b", b, ("n_h",)),
        ("x_t", x_t, (*batch, "n_in")), ("h_prev", h_prev, (*batch, "n_h")),
    )
    return _step(x_t, h_prev, W_xh, W_hh, b)


def _step(
    x_t: torch.Tensor, h_prev: torch.Tensor, W_xh: torch.Tensor, W_hh: torch.Tensor, b: torch.Tensor
) -> torch.Tensor:
    """:func:`rnn_step` without its checks, for a loop whose inputs were checked once, at its start."""
    return torch.tanh(x_t @ W_xh.T + h_prev @ W_hh.T + b)


class RNNCell(nn.Module):
    """Parameters W_xh (n_h, n_in), W_hh (n_h, n_h), b (n_h), initialised as ``torch.nn.RNN`` does.

    input_size (n_in), hidden_size (n_h): positive ints.
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.W_xh = nn.Parameter(torch.empty(hidden_size, input_size))
        self.W_hh = nn.Parameter(torch.empty(hidden_size, hidden_size))
        self.b = nn.Parameter(torch.empty(hidden_size))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in [-1/sqrt(n_h), 1/sqrt(n_h)], PyTorch's default for recurrent layers."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def forward(self, x_t: torch.Tensor, h_prev: torch.Tensor) -> torch.Tensor:
        """x_t: (batch, n_in), h_prev: (batch, n_h) -> h_t: (batch, n_h), in the cell's dtype and device.

        Or one vector without a batch axis: x_t (n_in,), h_prev (n_h,) -> h_t (n_h,).
        """
        batch = () if isinstance(x_t, torch.Tensor) and x_t.dim() == 1 else ("batch",)
        check_tensor(x_t, "x_t", (*batch, "features"), {"features": self.input_size})
        check_same(x_t, self.W_xh, ("x_t", "the cell's weights"))
        return rnn_step(x_t, h_prev, self.W_xh, self.W_hh, self.b)


class RNN(nn.Module):
    """A single-layer RNN over a whole sequence, batch first, built from :class:`RNNCell`.

    input_size, hidden_size: positive ints. Equal to ``torch.nn.RNN(input_size, hidden_size,
    batch_first=True)`` on the same weights (see :func:`copy_from_torch`).
    """

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.cell = RNNCell(input_size, hidden_size)
        self.input_size = input_size
        self.hidden_size = hidden_size

    def forward(self, x: torch.Tensor, h0: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """x: (batch, time, n_in), h0: (batch, n_h) or None for zeros, both finite, in the RNN's dtype.

        Returns every hidden state, (batch, time, n_h), and the last one, (batch, n_h).
        """
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.input_size})
        check_same(x, self.cell.W_xh, ("x", "the RNN's weights"))
        batch = x.shape[0]
        if h0 is None:
            h0 = x.new_zeros(batch, self.hidden_size)
        check_tensor(h0, "h0", ("batch", "hidden"), {"batch": batch, "hidden": self.hidden_size})
        check_same(h0, x, ("h0", "x"))
        h_t = h0
        hs = []
        for t in range(x.shape[1]):
            h_t = _step(x[:, t], h_t, self.cell.W_xh, self.cell.W_hh, self.cell.b)  # the cell's step, checked above
            hs.append(h_t)
        return torch.stack(hs, dim=1), h_t


def copy_from_torch(ours: RNN, theirs: nn.RNN) -> RNN:
    """Load a one-layer, batch-first ``nn.RNN`` (tanh) into ``ours``; its two biases add into b."""
    _check_compatible(ours, theirs)
    with torch.no_grad():
        ours.cell.W_xh.copy_(theirs.weight_ih_l0)
        ours.cell.W_hh.copy_(theirs.weight_hh_l0)
        ours.cell.b.copy_(theirs.bias_ih_l0 + theirs.bias_hh_l0)
    return ours


def copy_to_torch(ours: RNN, theirs: nn.RNN) -> nn.RNN:
    """Load ``ours`` into a one-layer ``nn.RNN``: b goes to bias_ih, bias_hh becomes zero."""
    _check_compatible(ours, theirs)
    with torch.no_grad():
        theirs.weight_ih_l0.copy_(ours.cell.W_xh)
        theirs.weight_hh_l0.copy_(ours.cell.W_hh)
        theirs.bias_ih_l0.copy_(ours.cell.b)
        theirs.bias_hh_l0.zero_()
    return theirs


def _check_compatible(ours: RNN, theirs: nn.RNN) -> None:
    check_instance(ours, "ours", RNN, "a helpers.rnn.RNN")
    if not isinstance(theirs, nn.RNN):
        raise InputTypeError(f"theirs must be PyTorch's RNN: expected a torch.nn.RNN; got {type(theirs).__name__}")
    wanted = (ours.input_size, ours.hidden_size, 1, "tanh", True)
    got = (theirs.input_size, theirs.hidden_size, theirs.num_layers, theirs.nonlinearity, theirs.bias)
    if got != wanted or theirs.bidirectional:
        raise ValueError(
            "theirs does not match ours: expected nn.RNN(input_size, hidden_size, num_layers, nonlinearity, bias) = "
            f"{wanted}, unidirectional; got {got}, bidirectional={theirs.bidirectional}"
        )


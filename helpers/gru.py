"""The GRU, the gated recurrent unit of Cho et al. (2014), written from its equations in PyTorch's layout.

With ``[h_{t-1}, x_t]`` the previous hidden state and the input side by side:

    r_t = σ(W_r·[h_{t-1}, x_t] + b_r)                  reset gate
    z_t = σ(W_z·[h_{t-1}, x_t] + b_z)                  update gate
    h̃_t = tanh(W_h̃·[r_t ⊙ h_{t-1}, x_t] + b_h̃)         candidate
    h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h̃_t              hidden state

That candidate is the paper's: the reset gate scales h_{t-1} *before* the matrix product. PyTorch
(``nn.GRU``, ``nn.GRUCell``) and cuDNN apply it *after* the product, to the recurrent part alone:

    h̃_t = tanh(W_xh̃ x_t + b_xh̃ + r_t ⊙ (W_hh̃ h_{t-1} + b_hh̃))

``reset_after=True`` (the default, equal to PyTorch) or ``False`` (the paper) chooses. The weights are
stored as PyTorch stores them: ``W_x`` (3·n_h, n_in) = weight_ih, ``W_h`` (3·n_h, n_h) = weight_hh,
``b_x``, ``b_h`` (3·n_h) = bias_ih, bias_hh, the three layers stacked in the order **r, z, h̃**. Vectors
are rows (``x_t`` is (batch, n_in)), so ``W x_t`` is written ``x_t @ W.T``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import nn

from helpers.validate import check_positive_int, check_same, check_shapes, check_tensor, describe


class GRUGates(NamedTuple):
    """The gates of one step, each (batch, n_h); :class:`GRU` stacks them over time: (batch, time, n_h)."""

    r_t: torch.Tensor
    z_t: torch.Tensor
    h_tilde_t: torch.Tensor


def _step(
    x_part: torch.Tensor, h_prev: torch.Tensor, W_h: torch.Tensor, b_h: torch.Tensor, reset_after: bool
) -> tuple[torch.Tensor, GRUGates]:
    """One step from the input's part x_part = W_x x_t + b_x, (batch, 3·n_h), and h_prev (batch, n_h)."""
    n_h = h_prev.shape[1]
    x_r, x_z, x_h = x_part.split(n_h, dim=1)
    if reset_after:  # W_h h_{t-1} + b_h for all three layers in one product
        h_r, h_z, h_h = torch.addmm(b_h, h_prev, W_h.T).split(n_h, dim=1)
    else:  # the candidate's part must wait for r_t
        h_r, h_z = torch.addmm(b_h[: 2 * n_h], h_prev, W_h[: 2 * n_h].T).split(n_h, dim=1)
    r_t = torch.sigmoid(x_r + h_r)
    z_t = torch.sigmoid(x_z + h_z)
    if reset_after:
        h_tilde_t = torch.tanh(x_h + r_t * h_h)  # r_t ⊙ (W_hh̃ h_{t-1} + b_hh̃): PyTorch, cuDNN
    else:
        h_tilde_t = torch.tanh(x_h + torch.addmm(b_h[2 * n_h :], r_t * h_prev, W_h[2 * n_h :].T))  # the paper
    h_t = z_t * h_prev + (1 - z_t) * h_tilde_t
    return h_t, GRUGates(r_t, z_t, h_tilde_t)


def gru_step(
    x_t: torch.Tensor,
    h_prev: torch.Tensor,
    W_x: torch.Tensor,
    W_h: torch.Tensor,
    b_x: torch.Tensor,
    b_h: torch.Tensor,
    reset_after: bool = True,
) -> tuple[torch.Tensor, GRUGates]:
    """One GRU step. x_t: (batch, n_in), h_prev: (batch, n_h); weights in PyTorch's layout (r, z, h̃):
    W_x (3·n_h, n_in), W_h (3·n_h, n_h), b_x and b_h (3·n_h).

    Returns h_t (batch, n_h) and the :class:`GRUGates`. Shapes, dtype and device are checked; values are
    not scanned for NaN (a step runs in a loop: :class:`GRUCell` scans its input).
    """
    if isinstance(W_h, torch.Tensor) and W_h.dim() == 2 and W_h.shape[0] != 3 * W_h.shape[1]:
        raise ValueError(f"W_h must have shape (3·n_h, n_h), three layers stacked; got shape {tuple(W_h.shape)}")
    check_shapes(
        ("W_x", W_x, ("3·n_h", "n_in")), ("W_h", W_h, ("3·n_h", "n_h")), ("b_x", b_x, ("3·n_h",)),
        ("b_h", b_h, ("3·n_h",)), ("x_t", x_t, ("batch", "n_in")), ("h_prev", h_prev, ("batch", "n_h")),
    )
    if not isinstance(reset_after, bool):
        raise TypeError(f"reset_after must be True (PyTorch's GRU) or False (the paper's); got {reset_after!r}")
    return _step(torch.addmm(b_x, x_t, W_x.T), h_prev, W_h, b_h, reset_after)


class GRUCell(nn.Module):
    """One GRU step as a module, with ``torch.nn.GRUCell``'s parameters named after the equations:

    W_x (3·n_h, n_in) = weight_ih, W_h (3·n_h, n_h) = weight_hh, b_x = bias_ih, b_h = bias_hh (3·n_h),
    layers stacked (r, z, h̃). ``reset_after``: where the reset gate acts (module docstring).
    """

    def __init__(self, input_size: int, hidden_size: int, reset_after: bool = True) -> None:
        super().__init__()
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        if not isinstance(reset_after, bool):
            raise TypeError(f"reset_after must be True (PyTorch's GRU) or False (the paper's); got {reset_after!r}")
        self.reset_after = reset_after
        self.W_x = nn.Parameter(torch.empty(3 * hidden_size, input_size))
        self.W_h = nn.Parameter(torch.empty(3 * hidden_size, hidden_size))
        self.b_x = nn.Parameter(torch.empty(3 * hidden_size))
        self.b_h = nn.Parameter(torch.empty(3 * hidden_size))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in [-1/sqrt(n_h), 1/sqrt(n_h)], as PyTorch initialises its GRU."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}, reset_after={self.reset_after}"

    def forward(
        self, x_t: torch.Tensor, h_prev: torch.Tensor | None = None, return_gates: bool = False
    ) -> torch.Tensor | tuple[torch.Tensor, GRUGates]:
        """x_t: (batch, n_in), h_prev: (batch, n_h) or None for zeros -> h_t (batch, n_h) [and the gates]."""
        check_tensor(x_t, "x_t", ("batch", "features"), {"features": self.input_size})
        check_same(x_t, self.W_x, ("x_t", "the cell's weights"))
        h_prev = _initial_state(h_prev, x_t, self.hidden_size, "h_prev")
        h_t, gates = gru_step(x_t, h_prev, self.W_x, self.W_h, self.b_x, self.b_h, self.reset_after)
        return (h_t, gates) if return_gates else h_t


class GRU(nn.Module):
    """A one-layer GRU over a whole sequence, batch first: equal to ``nn.GRU(batch_first=True)``.

    The input's part of all steps, W_x x_t + b_x, is computed in one product before the loop, so each
    step costs one product with W_h and a few pointwise operations.
    """

    def __init__(self, input_size: int, hidden_size: int, reset_after: bool = True) -> None:
        super().__init__()
        self.cell = GRUCell(input_size, hidden_size, reset_after)
        self.input_size = input_size
        self.hidden_size = hidden_size

    def forward(
        self, x: torch.Tensor, h0: torch.Tensor | None = None, return_gates: bool = False
    ) -> tuple[torch.Tensor, torch.Tensor] | tuple[torch.Tensor, torch.Tensor, GRUGates]:
        """x: (batch, time, n_in), h0: (batch, n_h) or None for zeros.

        Returns every hidden state h_all (batch, time, n_h) and the last one h_T (batch, n_h); with
        ``return_gates`` also the :class:`GRUGates`, each stacked to (batch, time, n_h).
        """
        cell = self.cell
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.input_size})
        check_same(x, cell.W_x, ("x", "the GRU's weights"))
        h_t = _initial_state(h0, x, self.hidden_size, "h0", batch=x.shape[0])
        x_parts = (x @ cell.W_x.T + cell.b_x).unbind(1)  # W_x x_t + b_x for every t at once
        hs, all_gates = [], []
        for x_part in x_parts:
            h_t, gates = _step(x_part, h_t, cell.W_h, cell.b_h, cell.reset_after)
            hs.append(h_t)
            if return_gates:
                all_gates.append(gates)
        h_all = torch.stack(hs, dim=1)
        if not return_gates:
            return h_all, h_t
        return h_all, h_t, GRUGates(*(torch.stack(g, dim=1) for g in zip(*all_gates, strict=True)))


def _initial_state(
    h: torch.Tensor | None, like: torch.Tensor, hidden_size: int, name: str, batch: int | None = None
) -> torch.Tensor:
    """Zeros (batch, n_h) when ``h`` is None, else ``h`` after checking its shape, dtype and device."""
    batch = like.shape[0] if batch is None else batch
    if h is None:
        return like.new_zeros(batch, hidden_size)
    check_tensor(h, name, ("batch", "hidden"), {"batch": batch, "hidden": hidden_size}, allow_nan=True)
    check_same(h, like, (name, "the input"))
    return h


# ---------------------------------------------------------------------------------------------
# Moving weights between our modules and torch.nn.GRUCell / torch.nn.GRU.

_NAMES = (("W_x", "weight_ih"), ("W_h", "weight_hh"), ("b_x", "bias_ih"), ("b_h", "bias_hh"))


def copy_from_torch(ours: GRUCell | GRU, theirs: nn.GRUCell | nn.GRU) -> GRUCell | GRU:
    """Load an ``nn.GRUCell`` or a one-layer ``nn.GRU`` into ``ours`` (same layout: a plain copy); returns ours.

    PyTorch applies the reset gate after the product: with ``reset_after=False`` ours computes another
    function of the same weights, so this refuses it.
    """
    cell, params = _check_compatible(ours, theirs)
    with torch.no_grad():
        for our_name, their_name in _NAMES:
            getattr(cell, our_name).copy_(params[their_name])
    return ours


def copy_to_torch(ours: GRUCell | GRU, theirs: nn.GRUCell | nn.GRU) -> nn.GRUCell | nn.GRU:
    """Load ``ours`` into an ``nn.GRUCell`` or a one-layer ``nn.GRU``; returns ``theirs``."""
    cell, params = _check_compatible(ours, theirs)
    with torch.no_grad():
        for our_name, their_name in _NAMES:
            params[their_name].copy_(getattr(cell, our_name))
    return theirs


def _check_compatible(ours: GRUCell | GRU, theirs: nn.GRUCell | nn.GRU) -> tuple[GRUCell, dict[str, torch.Tensor]]:
    if not isinstance(ours, GRUCell | GRU):
        raise TypeError(f"ours must be a helpers.gru.GRUCell or GRU; got {describe(ours)}")
    cell = ours.cell if isinstance(ours, GRU) else ours
    if not cell.reset_after:
        raise ValueError("PyTorch's GRU applies the reset gate after the product; ours has reset_after=False")
    if isinstance(theirs, nn.GRUCell):
        if not theirs.bias:
            raise ValueError("expected an nn.GRUCell with bias=True; got bias=False")
        params = {name: getattr(theirs, name) for _, name in _NAMES}
    elif isinstance(theirs, nn.GRU):
        got = (theirs.num_layers, theirs.bias, theirs.bidirectional)
        if got != (1, True, False):
            raise ValueError(f"expected nn.GRU(num_layers, bias, bidirectional) = (1, True, False); got {got}")
        params = {name: getattr(theirs, f"{name}_l0") for _, name in _NAMES}
    else:
        raise TypeError(f"theirs must be a torch.nn.GRUCell or torch.nn.GRU; got {describe(theirs)}")
    if (theirs.input_size, theirs.hidden_size) != (cell.input_size, cell.hidden_size):
        raise ValueError(
            f"sizes differ: ours has (input_size, hidden_size) = ({cell.input_size}, {cell.hidden_size}), "
            f"theirs ({theirs.input_size}, {theirs.hidden_size})"
        )
    return cell, params

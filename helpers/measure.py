"""Measurements shared by the notebooks: how far apart two implementations are, and how far back a
gradient reaches.

* :func:`max_error`: the largest difference of two tensors, on the reference's scale (how we decide
  that our modules equal PyTorch's);
* :func:`gradient_by_lag`: the size of dh_T/dx_t as a function of the lag T - t (vanishing gradients).
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.validate import check_callable, check_instance, check_same, check_tensor


def max_error(ours: torch.Tensor, reference: torch.Tensor) -> float:
    """max |ours - reference| / max(1, max |reference|), for tensors of one shape.

    Values of size at most 1 (hidden states) are compared absolutely; large ones (gradients summed
    over a batch and many steps) relative to their largest entry, since float32 keeps about seven
    significant digits of any number, however large. ours, reference: tensors of one shape, dtype and
    device, finite (a NaN or infinity is refused: it would make any comparison meaningless).
    """
    for value, name in ((ours, "ours"), (reference, "reference")):
        check_instance(value, name, torch.Tensor, "a torch.Tensor")
        check_tensor(value, name, tuple(f"axis{k}" for k in range(value.dim())), floating=False, allow_empty=True)
    if ours.shape != reference.shape:
        raise ValueError(f"shapes differ: ours {tuple(ours.shape)}, reference {tuple(reference.shape)}")
    check_same(ours, reference, ("ours", "reference"))
    scale = max(1.0, reference.abs().max().item()) if reference.numel() else 1.0
    return (ours - reference).abs().max().item() / scale if ours.numel() else 0.0


def gradient_by_lag(
    hidden_states: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """Norm of the Jacobian dh_T/dx_t for every step t, indexed by lag = T - t (lag 0 first).

    ``hidden_states`` maps x: (batch, time, features) to h: (batch, time, hidden); T is the last
    step. For each sequence of the batch the Frobenius norm of the (hidden, features) Jacobian is
    taken, then averaged over the batch. x: floating-point, finite. Returns a tensor of shape (time,).
    """
    check_callable(hidden_states, "hidden_states", "a function x -> h (batch, time, hidden), such as a model")
    check_tensor(x, "x", ("batch", "time", "features"))
    x = x.detach().clone().requires_grad_(True)
    h = hidden_states(x)
    check_tensor(h, "hidden_states(x)", ("batch", "time", "hidden"), {"batch": x.shape[0], "time": x.shape[1]})
    h_T = h[:, -1]
    squares = torch.zeros(x.shape[:2], dtype=x.dtype, device=x.device)
    for unit in range(h_T.shape[1]):
        # Sequences are independent, so summing over the batch gives each one's own gradient.
        (grad,) = torch.autograd.grad(h_T[:, unit].sum(), x, retain_graph=True)
        squares += grad.pow(2).sum(dim=2)
    norms = squares.sqrt().mean(dim=0)  # (time,)
    return norms.flip(0).detach()

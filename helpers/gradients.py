"""How far back does a gradient reach? The size of dh_T/dx_t as a function of the lag T - t."""

from __future__ import annotations

from collections.abc import Callable

import torch

from helpers.validate import check_tensor


def gradient_by_lag(
    hidden_states: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor
) -> torch.Tensor:
    """Norm of the Jacobian dh_T/dx_t for every step t, indexed by lag = T - t (lag 0 first).

    ``hidden_states`` maps x: (batch, time, features) to h: (batch, time, hidden); T is the last
    step. For each sequence of the batch the Frobenius norm of the (hidden, features) Jacobian is
    taken, then averaged over the batch. Returns a tensor of shape (time,).
    """
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

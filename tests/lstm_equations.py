"""The LSTM's equations line by line, one weight matrix per gate: the oracle the tests hold the fused
helpers (``helpers.lstm``, ``helpers.gates.trace``, the gate widget) against.

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f),  i_t = σ(W_i·[h_{t-1}, x_t] + b_i),  C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C),
    C_t = f_t * C_{t-1} + i_t * C̃_t,     o_t = σ(W_o·[h_{t-1}, x_t] + b_o),  h_t = o_t * tanh(C_t).
"""

from __future__ import annotations

import torch

from helpers.lstm import Gates

#: PyTorch's order of the four gates inside the fused weights and biases.
GATE_ORDER = ("i", "f", "C_tilde", "o")


def lstm_step_plain(
    x_t: torch.Tensor,
    h_prev: torch.Tensor,
    C_prev: torch.Tensor,
    W_f: torch.Tensor,
    b_f: torch.Tensor,
    W_i: torch.Tensor,
    b_i: torch.Tensor,
    W_C: torch.Tensor,
    b_C: torch.Tensor,
    W_o: torch.Tensor,
    b_o: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, Gates]:
    """One LSTM step, one weight matrix per gate, line by line as the equations read.

    x_t: (batch, n_in), h_prev and C_prev: (batch, n_h); each W_*: (n_h, n_h + n_in) acting on
    [h_{t-1}, x_t]; each b_*: (n_h). Returns h_t, C_t (batch, n_h) and the :class:`Gates`.
    """
    hx = torch.cat([h_prev, x_t], dim=1)  # [h_{t-1}, x_t]: (batch, n_h + n_in)
    f_t = torch.sigmoid(hx @ W_f.T + b_f)
    i_t = torch.sigmoid(hx @ W_i.T + b_i)
    C_tilde_t = torch.tanh(hx @ W_C.T + b_C)
    C_t = f_t * C_prev + i_t * C_tilde_t
    o_t = torch.sigmoid(hx @ W_o.T + b_o)
    h_t = o_t * torch.tanh(C_t)
    return h_t, C_t, Gates(f_t, i_t, C_tilde_t, o_t)


def plain_weights(
    W_x: torch.Tensor, W_h: torch.Tensor, b_x: torch.Tensor, b_h: torch.Tensor
) -> dict[str, torch.Tensor]:
    """Split fused weights into one matrix per gate acting on [h_{t-1}, x_t], for :func:`lstm_step_plain`.

    W_x: (4·n_h, n_in), W_h: (4·n_h, n_h), b_x, b_h: (4·n_h) -> {"W_f": (n_h, n_h + n_in), "b_f": (n_h), ...}.
    """
    W, b = torch.cat([W_h, W_x], dim=1), b_x + b_h  # W = [W_h | W_x] acts on [h_{t-1}, x_t]
    weights = {}
    for gate, W_gate, b_gate in zip(GATE_ORDER, W.chunk(4, dim=0), b.chunk(4, dim=0), strict=True):
        name = "C" if gate == "C_tilde" else gate
        weights[f"W_{name}"] = W_gate
        weights[f"b_{name}"] = b_gate
    return weights

"""The LSTM's variants as options of one cell: each option changes one line of the LSTM's equations.

The LSTM of notebook 02, with ``[h_{t-1}, x_t]`` the previous hidden state and the input side by side:

    f_t = σ(W_f·[h_{t-1}, x_t] + b_f)          forget gate
    i_t = σ(W_i·[h_{t-1}, x_t] + b_i)          input gate
    C̃_t = tanh(W_C·[h_{t-1}, x_t] + b_C)       candidate
    C_t = f_t ⊙ C_{t-1} + i_t ⊙ C̃_t            cell state
    o_t = σ(W_o·[h_{t-1}, x_t] + b_o)          output gate
    h_t = o_t ⊙ tanh(C_t)                      hidden state

The variants (:data:`VARIANTS`), each the change it makes:

    "lstm"                  none: equal to ``nn.LSTM``
    "peepholes"             the gates also read the cell state: + p_f ⊙ C_{t-1} in f_t, + p_i ⊙ C_{t-1}
                            in i_t, + p_o ⊙ C_t in o_t (Gers & Schmidhuber 2000)
    "coupled"               f_t = 1 - i_t: what is written replaces what is forgotten (no W_f)
    "no_forget_gate"        f_t = 1: the LSTM of Hochreiter & Schmidhuber (1997) (no W_f)
    "no_output_gate"        o_t = 1 (no W_o)
    "no_output_activation"  h_t = o_t ⊙ C_t, no tanh

Weights as PyTorch stores an LSTM's: ``W_x`` (k·n_h, n_in), ``W_h`` (k·n_h, n_h), ``b_x``, ``b_h``
(k·n_h), the layers stacked in PyTorch's order (i, f, C̃, o) less the one a variant drops, so k is 4
or 3 (:data:`LAYERS`); the peepholes ``p_f``, ``p_i``, ``p_o`` are vectors (n_h,): each unit's gate
reads its own cell only. A dropped gate is still reported, as the constant or the function it became.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from helpers.gates import LSTMTrace
from helpers.lstm import Gates
from helpers.validate import check_positive_int, check_same, check_tensor, describe

VARIANTS: dict[str, str] = {
    "lstm": "the LSTM itself",
    "peepholes": "the gates also read C: + p_f ⊙ C_{t-1}, p_i ⊙ C_{t-1}, p_o ⊙ C_t",
    "coupled": "f_t = 1 - i_t",
    "no_forget_gate": "f_t = 1",
    "no_output_gate": "o_t = 1",
    "no_output_activation": "h_t = o_t ⊙ C_t",
}
"""Every variant by name, with the change it makes to the LSTM's equations."""

LAYERS: dict[str, str] = {
    "lstm": "ifCo",
    "peepholes": "ifCo",
    "coupled": "iCo",
    "no_forget_gate": "iCo",
    "no_output_gate": "ifC",
    "no_output_activation": "ifCo",
}
"""The layers each variant keeps, in the order of its stacked weights: i, f, C (the candidate), o."""


def check_variant(variant: object) -> str:
    """Return ``variant`` if it names a variant of :data:`VARIANTS`, else raise naming the choices."""
    if not isinstance(variant, str) or variant not in VARIANTS:
        raise ValueError(f"variant must be one of {list(VARIANTS)}; got {variant!r}")
    return variant


def _variant_step(
    x_part: torch.Tensor,
    h_prev: torch.Tensor,
    C_prev: torch.Tensor,
    W_h: torch.Tensor,
    b_h: torch.Tensor,
    variant: str,
    peepholes: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
) -> tuple[torch.Tensor, torch.Tensor, Gates]:
    """One step of ``variant``. x_part = W_x x_t + b_x: (batch, k·n_h); h_prev, C_prev: (batch, n_h).

    W_h: (k·n_h, n_h), b_h: (k·n_h); ``peepholes`` = (p_f, p_i, p_o), each (n_h,), for "peepholes".
    Returns h_t, C_t (batch, n_h) and the gates as :class:`helpers.lstm.Gates` (a dropped gate as the
    tensor it became: ones, or 1 - i_t). Inputs are not checked: see :class:`LSTMVariant`.
    """
    n_h = h_prev.shape[1]
    z = dict(zip(LAYERS[variant], torch.addmm(b_h, h_prev, W_h.T).add_(x_part).split(n_h, dim=1), strict=True))
    if variant == "peepholes":
        p_f, p_i, p_o = peepholes
        f_t = torch.sigmoid(z["f"] + p_f * C_prev)
        i_t = torch.sigmoid(z["i"] + p_i * C_prev)
    else:
        i_t = torch.sigmoid(z["i"])
        if variant == "coupled":
            f_t = 1 - i_t
        elif variant == "no_forget_gate":
            f_t = torch.ones_like(i_t)
        else:
            f_t = torch.sigmoid(z["f"])
    C_tilde_t = torch.tanh(z["C"])
    C_t = (C_prev if variant == "no_forget_gate" else f_t * C_prev) + i_t * C_tilde_t
    if variant == "peepholes":
        o_t = torch.sigmoid(z["o"] + p_o * C_t)
    elif variant == "no_output_gate":
        o_t = torch.ones_like(i_t)
    else:
        o_t = torch.sigmoid(z["o"])
    if variant == "no_output_gate":
        h_t = torch.tanh(C_t)
    elif variant == "no_output_activation":
        h_t = o_t * C_t
    else:
        h_t = o_t * torch.tanh(C_t)
    return h_t, C_t, Gates(f_t, i_t, C_tilde_t, o_t)


class LSTMVariant(nn.Module):
    """A one-layer LSTM variant over a whole sequence, batch first (the variants: module docstring).

    Parameters W_x (k·n_h, n_in), W_h (k·n_h, n_h), b_x, b_h (k·n_h), and for "peepholes" p_f, p_i,
    p_o (n_h), all uniform in [-1/sqrt(n_h), 1/sqrt(n_h)] as PyTorch initialises an LSTM.
    ``forget_bias``: if given, the gate that keeps the cell state starts with this bias: b_f, or for
    "coupled" b_i = -forget_bias, so that f_t = 1 - i_t starts as σ(forget_bias). "no_forget_gate"
    has no such gate (f_t = 1 already) and refuses it.
    """

    def __init__(
        self, input_size: int, hidden_size: int, variant: str = "lstm", forget_bias: float | None = None
    ) -> None:
        super().__init__()
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        self.variant = check_variant(variant)
        if forget_bias is not None:
            if variant == "no_forget_gate":
                raise ValueError("variant 'no_forget_gate' has no forget gate (f_t = 1): pass forget_bias=None")
            number = isinstance(forget_bias, int | float) and not isinstance(forget_bias, bool)
            if not number or not math.isfinite(forget_bias):
                raise ValueError(f"forget_bias must be a finite number or None; got {forget_bias!r}")
        self.forget_bias = forget_bias
        k = len(LAYERS[variant])
        self.W_x = nn.Parameter(torch.empty(k * hidden_size, input_size))
        self.W_h = nn.Parameter(torch.empty(k * hidden_size, hidden_size))
        self.b_x = nn.Parameter(torch.empty(k * hidden_size))
        self.b_h = nn.Parameter(torch.empty(k * hidden_size))
        if variant == "peepholes":
            self.p_f, self.p_i, self.p_o = (nn.Parameter(torch.empty(hidden_size)) for _ in range(3))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Uniform in [-1/sqrt(n_h), 1/sqrt(n_h)], then the forget bias, if one was given."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)
        if self.forget_bias is not None:
            layer, sign = ("f", 1.0) if "f" in LAYERS[self.variant] else ("i", -1.0)
            rows = self.rows(layer)
            with torch.no_grad():
                self.b_x[rows] = sign * self.forget_bias
                self.b_h[rows] = 0.0

    def rows(self, layer: str) -> slice:
        """The rows of W_x, W_h, b_x and b_h that belong to ``layer``: "i", "f", "C" or "o"."""
        layers = LAYERS[self.variant]
        if layer not in layers:
            raise ValueError(f"layer must be one of {list(layers)}, the layers of {self.variant!r}; got {layer!r}")
        k = layers.index(layer)
        return slice(k * self.hidden_size, (k + 1) * self.hidden_size)

    def extra_repr(self) -> str:
        extra = "" if self.forget_bias is None else f", forget_bias={self.forget_bias}"
        return f"{self.input_size}, {self.hidden_size}, variant={self.variant!r}{extra}"

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """x: (batch, time, n_in); state: (h0, C0), each (batch, n_h), or None for zeros.

        Returns every hidden state h_all (batch, time, n_h) and the last state (h_T, C_T), each (batch, n_h).
        """
        h_all, state, _ = self._run(x, state, keep=False)
        return h_all, state

    def _run(
        self, x: torch.Tensor, state: object, keep: bool
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor], list[tuple[torch.Tensor, torch.Tensor, Gates]]]:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.input_size})
        check_same(x, self.W_x, ("x", "the LSTM's weights"))
        h_t, C_t = _initial_state(state, x, self.hidden_size)
        peep = (self.p_f, self.p_i, self.p_o) if self.variant == "peepholes" else None
        x_parts = (x @ self.W_x.T + self.b_x).unbind(1)  # W_x x_t + b_x for every t at once
        hs, kept = [], []
        for x_part in x_parts:
            h_t, C_t, gates = _variant_step(x_part, h_t, C_t, self.W_h, self.b_h, self.variant, peep)
            hs.append(h_t)
            if keep:
                kept.append((h_t, C_t, gates))
        return torch.stack(hs, dim=1), (h_t, C_t), kept


def trace_variant(
    model: LSTMVariant, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
) -> LSTMTrace:
    """Run ``model`` through x (n_seq, time, n_in) without gradients and keep every quantity at every step.

    Returns a :class:`helpers.gates.LSTMTrace` (f_t, i_t, C_tilde_t, C_t, o_t, h_t, each (n_seq, time,
    n_h), on the CPU), so the gate statistics and plots of notebook 03 read a variant too; a dropped
    gate appears as the constant or function it became (f_t = 1, f_t = 1 - i_t, o_t = 1).
    """
    if not isinstance(model, LSTMVariant):
        raise TypeError(f"model must be a helpers.variants.LSTMVariant; got {describe(model)}")
    with torch.no_grad():
        _, _, kept = model._run(x, state, keep=True)
    h, C, gates = zip(*kept, strict=True)
    stack = lambda seq: torch.stack(seq, dim=1).cpu()  # noqa: E731
    f, i, C_tilde, o = (stack(g) for g in zip(*gates, strict=True))
    h0, C0 = (None, None) if state is None else (state[0].detach().cpu(), state[1].detach().cpu())
    return LSTMTrace(
        x=x.detach().cpu(), f_t=f, i_t=i, C_tilde_t=C_tilde, C_t=stack(C), o_t=o, h_t=stack(h), h0=h0, C0=C0
    )


class StepLSTM(nn.Module):
    """Any LSTM-like step you write, run over a sequence: ``step(x_t, h_prev, C_prev, W, b) -> (h_t, C_t)``.

    W: (layers·n_h, n_h + n_in), acting on [h_{t-1}, x_t]; b: (layers·n_h); both uniform in
    [-1/sqrt(n_h), 1/sqrt(n_h)] as PyTorch initialises an LSTM, then the bias of layer ``forget_layer``
    (counted from 0), if given, set to ``forget_bias``. x: (batch, time, n_in) -> every hidden state
    (batch, time, n_h) and the last state (h_T, C_T): a layer for :class:`helpers.tasks.SequenceClassifier`.
    """

    def __init__(
        self,
        step: Callable[..., tuple[torch.Tensor, torch.Tensor]],
        input_size: int,
        hidden_size: int,
        layers: int,
        forget_layer: int | None = None,
        forget_bias: float = 1.0,
    ) -> None:
        super().__init__()
        if not callable(step):
            raise TypeError(f"step must be a function step(x_t, h_prev, C_prev, W, b); got {describe(step)}")
        self.step = step
        self.input_size = check_positive_int(input_size, "input_size")
        self.hidden_size = check_positive_int(hidden_size, "hidden_size")
        check_positive_int(layers, "layers")
        self.W = nn.Parameter(torch.empty(layers * hidden_size, hidden_size + input_size))
        self.b = nn.Parameter(torch.empty(layers * hidden_size))
        bound = 1.0 / math.sqrt(hidden_size)
        for p in self.parameters():
            nn.init.uniform_(p, -bound, bound)
        if forget_layer is not None:
            if isinstance(forget_layer, bool) or not isinstance(forget_layer, int) or not 0 <= forget_layer < layers:
                raise ValueError(
                    f"forget_layer must be a layer index in [0, {layers - 1}] or None; got {forget_layer!r}"
                )
            with torch.no_grad():
                self.b[forget_layer * hidden_size : (forget_layer + 1) * hidden_size] = forget_bias

    def forward(
        self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
    ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        check_tensor(x, "x", ("batch", "time", "features"), {"features": self.input_size})
        check_same(x, self.W, ("x", "the layer's weights"))
        h_t, C_t = _initial_state(state, x, self.hidden_size)
        hs = []
        for x_t in x.unbind(1):
            h_t, C_t = self.step(x_t, h_t, C_t, self.W, self.b)
            hs.append(h_t)
        return torch.stack(hs, dim=1), (h_t, C_t)


def _initial_state(
    state: object, like: torch.Tensor, hidden_size: int
) -> tuple[torch.Tensor, torch.Tensor]:
    if state is None:
        zeros = like.new_zeros(like.shape[0], hidden_size)
        return zeros, zeros
    if not isinstance(state, tuple | list) or len(state) != 2:
        raise TypeError(f"state must be a pair (h0, C0) or None; got a {type(state).__name__}")
    for value, name in zip(state, ("h0", "C0"), strict=True):
        check_tensor(value, name, ("batch", "hidden"), {"batch": like.shape[0], "hidden": hidden_size}, allow_nan=True)
        check_same(value, like, (name, "the input"))
    return state[0], state[1]


def copy_from_torch(ours: LSTMVariant, theirs: nn.LSTM) -> LSTMVariant:
    """Load a one-layer ``nn.LSTM`` into a 4-layer variant ("lstm", "peepholes", "no_output_activation").

    The layouts are the same; the peepholes, if any, are set to 0, which makes "peepholes" equal to
    ``nn.LSTM``. Returns ``ours``.
    """
    if not isinstance(ours, LSTMVariant) or len(LAYERS[ours.variant]) != 4:
        raise TypeError(f"ours must be an LSTMVariant with all four layers; got {describe(ours)}")
    if not isinstance(theirs, nn.LSTM):
        raise TypeError(f"theirs must be a torch.nn.LSTM; got {describe(theirs)}")
    got = (theirs.num_layers, theirs.bias, theirs.bidirectional, theirs.proj_size)
    if got != (1, True, False, 0):
        raise ValueError(
            f"expected nn.LSTM(num_layers, bias, bidirectional, proj_size) = (1, True, False, 0); got {got}"
        )
    if (theirs.input_size, theirs.hidden_size) != (ours.input_size, ours.hidden_size):
        raise ValueError(
            f"sizes differ: ours ({ours.input_size}, {ours.hidden_size}), "
            f"theirs ({theirs.input_size}, {theirs.hidden_size})"
        )
    with torch.no_grad():
        for mine, name in (("W_x", "weight_ih"), ("W_h", "weight_hh"), ("b_x", "bias_ih"), ("b_h", "bias_hh")):
            getattr(ours, mine).copy_(getattr(theirs, f"{name}_l0"))
        if ours.variant == "peepholes":
            for p in (ours.p_f, ours.p_i, ours.p_o):
                p.zero_()
    return ours

"""The LSTM's variants: "lstm" (and "peepholes" with its peepholes at 0) against torch.nn.LSTM, and every
variant against its equations written line by line, one weight matrix per gate."""

import pytest
import torch
from torch import nn

from helpers.gates import QUANTITIES
from helpers.measure import max_error
from helpers.tasks import SequenceClassifier
from helpers.variants import LAYERS, VARIANTS, LSTMVariant, StepLSTM, copy_from_torch, trace_variant


def plain_run(model: LSTMVariant, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The variant's equations line by line over x (batch, time, n_in): every quantity, (batch, time, n_h)."""
    n_h, v = model.hidden_size, model.variant
    W = torch.cat([model.W_h, model.W_x], dim=1)  # acts on [h_{t-1}, x_t]
    layers = dict(zip(LAYERS[v], W.chunk(len(LAYERS[v])), strict=True))
    biases = dict(zip(LAYERS[v], (model.b_x + model.b_h).chunk(len(LAYERS[v])), strict=True))
    h = C = x.new_zeros(x.shape[0], n_h)
    kept = {name: [] for name in QUANTITIES}
    for x_t in x.unbind(1):
        hx = torch.cat([h, x_t], dim=1)

        def pre(name, hx=hx):
            return hx @ layers[name].T + biases[name]

        if v == "peepholes":
            f = torch.sigmoid(pre("f") + model.p_f * C)
            i = torch.sigmoid(pre("i") + model.p_i * C)
        else:
            i = torch.sigmoid(pre("i"))
            f = {"coupled": 1 - i, "no_forget_gate": torch.ones_like(i)}.get(v)
            f = torch.sigmoid(pre("f")) if f is None else f
        C_tilde = torch.tanh(pre("C"))
        C = f * C + i * C_tilde
        if v == "peepholes":
            o = torch.sigmoid(pre("o") + model.p_o * C)
        elif v == "no_output_gate":
            o = torch.ones_like(i)
        else:
            o = torch.sigmoid(pre("o"))
        h = o * C if v == "no_output_activation" else o * torch.tanh(C)
        for name, value in zip(QUANTITIES, (f, i, C_tilde, C, o, h), strict=True):
            kept[name].append(value)
    return {name: torch.stack(values, dim=1) for name, values in kept.items()}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_variant_is_its_equations(variant, seed):
    torch.manual_seed(seed)
    model = LSTMVariant(3, 5, variant).double()
    x = 2 * torch.randn(4, 9, 3, dtype=torch.float64)
    want = plain_run(model, x)
    got = trace_variant(model, x)
    for name in QUANTITIES:
        assert max_error(got[name], want[name]) <= 1e-12, name
    assert max_error(model(x)[0], want["h_t"]) <= 1e-12


@pytest.mark.parametrize("variant", ["lstm", "peepholes"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("seed", [0, 1])
def test_lstm_and_zero_peepholes_equal_nn_lstm(variant, dtype, seed):
    torch.manual_seed(seed)
    theirs = nn.LSTM(3, 8, batch_first=True).to(dtype)
    ours = copy_from_torch(LSTMVariant(3, 8, variant).to(dtype), theirs)
    x = torch.randn(5, 20, 3, dtype=dtype)
    x1, x2 = x.clone().requires_grad_(), x.clone().requires_grad_()
    (h1, (_, C1)), (h2, (_, C2)) = ours(x1), theirs(x2)
    tol = {torch.float32: 1e-6, torch.float64: 1e-12}[dtype]
    assert max_error(h1, h2) <= tol and max_error(C1, C2[0]) <= tol
    weight = torch.randn_like(h1)
    (h1 * weight).sum().backward()
    (h2 * weight).sum().backward()
    assert max_error(x1.grad, x2.grad) <= tol
    assert max_error(ours.W_h.grad, theirs.weight_hh_l0.grad) <= tol


def test_each_variant_changes_what_it_says():
    """On the same weights, each variant differs from the LSTM, and its changed line holds in its trace."""
    torch.manual_seed(3)
    x = torch.randn(3, 10, 2, dtype=torch.float64)
    traces = {v: trace_variant(LSTMVariant(2, 4, v).double(), x) for v in VARIANTS}
    assert torch.equal(traces["coupled"].f_t, 1 - traces["coupled"].i_t)
    assert torch.equal(traces["no_forget_gate"].f_t, torch.ones_like(traces["no_forget_gate"].f_t))
    assert torch.equal(traces["no_output_gate"].o_t, torch.ones_like(traces["no_output_gate"].o_t))
    t = traces["no_output_activation"]
    assert max_error(t.h_t, t.o_t * t.C_t) <= 1e-12 and max_error(t.h_t, t.o_t * t.C_t.tanh()) > 1e-3


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_parameters_and_forget_bias(variant):
    n_in, n_h = 5, 8
    k = len(LAYERS[variant])
    model = LSTMVariant(n_in, n_h, variant, forget_bias=None if variant == "no_forget_gate" else 2.0)
    expected = k * n_h * (n_in + n_h + 2) + (3 * n_h if variant == "peepholes" else 0)
    assert sum(p.numel() for p in model.parameters()) == expected
    if variant == "no_forget_gate":
        return
    keep = model.rows("f") if "f" in LAYERS[variant] else model.rows("i")
    sign = 1.0 if "f" in LAYERS[variant] else -1.0
    assert torch.equal(model.b_x[keep] + model.b_h[keep], torch.full((n_h,), sign * 2.0))
    f_t = trace_variant(model, torch.zeros(1, 1, n_in)).f_t  # zero input and state: f_t = σ(bias)
    if variant != "peepholes":
        assert torch.allclose(f_t, torch.sigmoid(torch.tensor(2.0)))


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_gradcheck(variant):
    torch.manual_seed(4)
    model = LSTMVariant(2, 3, variant).double()
    x = torch.randn(2, 4, 2, dtype=torch.float64, requires_grad=True)
    C0 = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, 3, dtype=torch.float64).tanh().requires_grad_()
    assert torch.autograd.gradcheck(lambda x, h0, C0: model(x, (h0, C0))[0], (x, h0, C0))


def test_step_lstm_runs_a_step_written_by_hand():
    torch.manual_seed(5)
    model = LSTMVariant(3, 4, "coupled").double()

    def coupled_step(x_t, h_prev, C_prev, W, b):
        z_i, z_C, z_o = (torch.cat([h_prev, x_t], dim=1) @ W.T + b).chunk(3, dim=1)
        i_t = torch.sigmoid(z_i)
        C_t = (1 - i_t) * C_prev + i_t * torch.tanh(z_C)
        return torch.sigmoid(z_o) * torch.tanh(C_t), C_t

    layer = StepLSTM(coupled_step, 3, 4, layers=3).double()
    with torch.no_grad():
        layer.W.copy_(torch.cat([model.W_h, model.W_x], dim=1))
        layer.b.copy_(model.b_x + model.b_h)
    x = torch.randn(2, 7, 3, dtype=torch.float64)
    assert max_error(layer(x)[0], model(x)[0]) <= 1e-12
    assert SequenceClassifier(layer, 4).double()(x).shape == (2, 4)
    biased = StepLSTM(coupled_step, 3, 4, layers=3, forget_layer=1, forget_bias=1.5)
    assert torch.equal(biased.b[4:8], torch.full((4,), 1.5))


def test_bad_input_is_refused_with_its_name():
    with pytest.raises(ValueError, match="variant"):
        LSTMVariant(2, 3, "gru")
    with pytest.raises(ValueError, match="no forget gate"):
        LSTMVariant(2, 3, "no_forget_gate", forget_bias=1.0)
    with pytest.raises(ValueError, match="forget_bias"):
        LSTMVariant(2, 3, "lstm", forget_bias=float("nan"))
    with pytest.raises(ValueError, match="x"):
        LSTMVariant(2, 3)(torch.randn(1, 4, 3))
    with pytest.raises(TypeError, match="all four layers"):
        copy_from_torch(LSTMVariant(2, 3, "coupled"), nn.LSTM(2, 3, batch_first=True))
    with pytest.raises(TypeError, match="step"):
        StepLSTM("not a function", 2, 3, layers=3)
    with pytest.raises(ValueError, match="forget_layer"):
        StepLSTM(lambda *a: a[1:3], 2, 3, layers=3, forget_layer=3)

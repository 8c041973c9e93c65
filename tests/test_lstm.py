"""The hand-rolled LSTM against torch.nn.LSTMCell and torch.nn.LSTM, PyTorch as the oracle."""

import pytest
import torch
from lstm_equations import lstm_step_plain, plain_weights
from torch import nn

from helpers.gates import trace
from helpers.lstm import (
    LSTM,
    LSTMCell,
    copy_from_torch,
    copy_to_torch,
    lstm_step,
    set_forget_bias,
)
from helpers.measure import max_error

TOLERANCE = {torch.float32: 1e-6, torch.float64: 1e-12}
SHAPES = [(1, 1, 1, 1), (4, 7, 3, 8), (16, 25, 5, 32), (2, 60, 1, 51)]  # batch, time, n_in, n_h
PARAMS = (("W_x", "weight_ih"), ("W_h", "weight_hh"), ("b_x", "bias_ih"), ("b_h", "bias_hh"))


def torch_cell(n_in, n_h, dtype, seed):
    torch.manual_seed(seed)
    theirs = nn.LSTMCell(n_in, n_h).to(dtype)
    return copy_from_torch(LSTMCell(n_in, n_h).to(dtype), theirs), theirs


def torch_lstm(n_in, n_h, dtype, seed):
    torch.manual_seed(seed)
    theirs = nn.LSTM(n_in, n_h, batch_first=True).to(dtype)
    return copy_from_torch(LSTM(n_in, n_h).to(dtype), theirs), theirs


def leaves(*tensors):
    """Two independent copies of each tensor, both requiring grad: one for us, one for PyTorch."""
    return [t.clone().requires_grad_() for t in tensors], [t.clone().requires_grad_() for t in tensors]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cell_matches_nn_lstmcell(dtype, shape, seed):
    batch, _, n_in, n_h = shape
    ours, theirs = torch_cell(n_in, n_h, dtype, seed)
    x_t, h_prev, C_prev = (torch.randn(batch, n, dtype=dtype) for n in (n_in, n_h, n_h))
    (x1, h1, C1), (x2, h2, C2) = leaves(x_t, h_prev, C_prev)
    h_ours, C_ours = ours(x1, (h1, C1))
    h_theirs, C_theirs = theirs(x2, (h2, C2))
    tol = TOLERANCE[dtype]
    assert max_error(h_ours, h_theirs) <= tol
    assert max_error(C_ours, C_theirs) <= tol
    w_h, w_C = torch.randn_like(h_ours), torch.randn_like(C_ours)  # a loss that weighs every output
    ((h_ours * w_h).sum() + (C_ours * w_C).sum()).backward()
    ((h_theirs * w_h).sum() + (C_theirs * w_C).sum()).backward()
    for a, b in [(x1, x2), (h1, h2), (C1, C2)]:
        assert max_error(a.grad, b.grad) <= tol
    for our_name, their_name in PARAMS:
        assert max_error(getattr(ours, our_name).grad, getattr(theirs, their_name).grad) <= tol


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("given_state", [False, True])
def test_lstm_matches_nn_lstm(dtype, shape, seed, given_state):
    batch, time, n_in, n_h = shape
    ours, theirs = torch_lstm(n_in, n_h, dtype, seed)
    x = torch.randn(batch, time, n_in, dtype=dtype)
    h0, C0 = torch.randn(batch, n_h, dtype=dtype), torch.randn(batch, n_h, dtype=dtype)
    (x1, h1, C1), (x2, h2, C2) = leaves(x, h0, C0)
    if given_state:
        h_ours, (hT_ours, CT_ours) = ours(x1, (h1, C1))
        h_theirs, (hT_theirs, CT_theirs) = theirs(x2, (h2.unsqueeze(0), C2.unsqueeze(0)))
    else:
        h_ours, (hT_ours, CT_ours) = ours(x1)
        h_theirs, (hT_theirs, CT_theirs) = theirs(x2)
    tol = TOLERANCE[dtype]
    assert h_ours.shape == (batch, time, n_h)
    assert max_error(h_ours, h_theirs) <= tol
    assert max_error(hT_ours, hT_theirs[0]) <= tol
    assert max_error(CT_ours, CT_theirs[0]) <= tol
    w_h, w_C = torch.randn_like(h_ours), torch.randn_like(CT_ours)
    ((h_ours * w_h).sum() + (CT_ours * w_C).sum()).backward()
    ((h_theirs * w_h).sum() + (CT_theirs[0] * w_C).sum()).backward()
    assert max_error(x1.grad, x2.grad) <= tol
    if given_state:
        assert max_error(h1.grad, h2.grad) <= tol
        assert max_error(C1.grad, C2.grad) <= tol
    for our_name, their_name in PARAMS:
        assert max_error(getattr(ours.cell, our_name).grad, getattr(theirs, f"{their_name}_l0").grad) <= tol


@pytest.mark.parametrize("seed", [0, 1])
def test_plain_step_equals_fused_step_and_torch(seed):
    ours, theirs = torch_cell(3, 5, torch.float64, seed)
    x_t, h_prev, C_prev = (torch.randn(4, n, dtype=torch.float64) for n in (3, 5, 5))
    weights = plain_weights(ours.W_x, ours.W_h, ours.b_x, ours.b_h)
    assert set(weights) == {"W_f", "b_f", "W_i", "b_i", "W_C", "b_C", "W_o", "b_o"}
    assert weights["W_f"].shape == (5, 5 + 3)
    h_plain, C_plain, gates_plain = lstm_step_plain(x_t, h_prev, C_prev, **weights)
    h_fused, C_fused, gates_fused = lstm_step(
        x_t, h_prev, C_prev, ours.W_x, ours.W_h, ours.b_x, ours.b_h, return_gates=True
    )
    h_torch, C_torch = theirs(x_t, (h_prev, C_prev))
    for a, b in [(h_plain, h_fused), (C_plain, C_fused), (h_plain, h_torch), (C_plain, C_torch)]:
        assert max_error(a, b) <= 1e-12
    for a, b in zip(gates_plain, gates_fused, strict=True):
        assert max_error(a, b) <= 1e-12


def test_a_wrong_gate_order_is_caught():
    """The comparison has teeth: loading the forget rows into the input gate and back is detected."""
    ours, theirs = torch_lstm(3, 6, torch.float64, 9)
    with torch.no_grad():
        for name in ("W_x", "W_h", "b_x", "b_h"):
            p = getattr(ours.cell, name)
            i_rows, f_rows = p[:6].clone(), p[6:12].clone()
            p[:6], p[6:12] = f_rows, i_rows
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    assert max_error(ours(x)[0], theirs(x)[0]) > 1e-3


@pytest.mark.parametrize("module", ["cell", "lstm"])
def test_copy_to_torch_round_trip(module):
    torch.manual_seed(10)
    if module == "cell":
        ours = LSTMCell(3, 6, forget_bias=2.0).double()
        theirs = copy_to_torch(ours, nn.LSTMCell(3, 6).double())
        x_t, h, C = (torch.randn(2, n, dtype=torch.float64) for n in (3, 6, 6))
        pairs = zip(ours(x_t, (h, C)), theirs(x_t, (h, C)), strict=True)
    else:
        ours = LSTM(3, 6, forget_bias=2.0).double()
        theirs = copy_to_torch(ours, nn.LSTM(3, 6, batch_first=True).double())
        x = torch.randn(2, 9, 3, dtype=torch.float64)
        pairs = [(ours(x)[0], theirs(x)[0])]
    for a, b in pairs:
        assert max_error(a, b) <= 1e-12
    back = copy_from_torch(type(ours)(3, 6).double(), theirs)
    for p, q in zip(back.parameters(), ours.parameters(), strict=True):
        assert torch.equal(p, q)


@pytest.mark.parametrize("kind", ["plain", "cell", "lstm"])
def test_gradcheck(kind):
    torch.manual_seed(11)
    dt = torch.float64
    if kind == "lstm":
        lstm = LSTM(2, 3).double()
        x = torch.randn(2, 4, 2, dtype=dt, requires_grad=True)
        inputs = (x, *(p.detach().clone().requires_grad_() for p in lstm.cell.parameters()))

        def f(x, W_x, W_h, b_x, b_h):
            h_all, (h_T, C_T) = torch.func.functional_call(
                lstm, {"cell.W_x": W_x, "cell.W_h": W_h, "cell.b_x": b_x, "cell.b_h": b_h}, (x,)
            )
            return h_all, C_T

    else:
        cell = LSTMCell(2, 3).double()
        state = [torch.randn(2, 3, dtype=dt, requires_grad=True) for _ in range(2)]
        inputs = (torch.randn(2, 2, dtype=dt, requires_grad=True), *state)
        inputs += tuple(p.detach().clone().requires_grad_() for p in cell.parameters())
        if kind == "plain":

            def f(x_t, h, C, W_x, W_h, b_x, b_h):
                return lstm_step_plain(x_t, h, C, **plain_weights(W_x, W_h, b_x, b_h))[:2]

        else:

            def f(x_t, h, C, W_x, W_h, b_x, b_h):
                return lstm_step(x_t, h, C, W_x, W_h, b_x, b_h)

    assert torch.autograd.gradcheck(f, inputs)


def test_forget_bias():
    torch.manual_seed(12)
    lstm = LSTM(2, 5, forget_bias=3.0)
    b_f = lstm.cell.b_x[5:10] + lstm.cell.b_h[5:10]
    assert torch.equal(b_f, torch.full((5,), 3.0))
    for name in ("b_x", "b_h"):  # the other gates keep PyTorch's random start
        others = torch.cat([getattr(lstm.cell, name)[:5], getattr(lstm.cell, name)[10:]])
        assert others.abs().max() <= 1 / 5**0.5 and others.std() > 0
    gates = trace(lstm, torch.zeros(1, 1, 2))
    assert torch.allclose(gates.f_t, torch.sigmoid(torch.tensor(3.0)))  # zero input, zero state
    assert "forget_bias=3.0" in repr(lstm)


def test_set_forget_bias_on_torch_modules():
    torch.manual_seed(13)
    stacked = nn.LSTM(2, 4, num_layers=2, bidirectional=True)
    set_forget_bias(stacked, 1.0)
    for name in stacked._flat_weights_names:
        if name.startswith("bias_ih"):
            b_f = getattr(stacked, name)[4:8] + getattr(stacked, name.replace("ih", "hh"))[4:8]
            assert torch.equal(b_f, torch.ones(4))
    cell = set_forget_bias(nn.LSTMCell(2, 4), -1.0)
    assert torch.equal(cell.bias_ih[4:8] + cell.bias_hh[4:8], -torch.ones(4))
    assert cell.bias_ih[:4].std() > 0  # the input gate's rows keep their random start


@pytest.mark.parametrize(
    ("module", "value", "match"),
    [
        (nn.Linear(2, 3), 1.0, "found no LSTM with biases in the Linear"),
        (nn.LSTM(2, 3, bias=False), 1.0, "found no LSTM with biases"),
        (LSTM(2, 3), float("nan"), "finite number; got nan"),
        (LSTM(2, 3), "1", "finite number; got '1'"),
    ],
)
def test_set_forget_bias_rejects_bad_input(module, value, match):
    with pytest.raises(ValueError, match=match):
        set_forget_bias(module, value)


def test_initialisation_range_matches_torch():
    torch.manual_seed(14)
    cell = LSTMCell(10, 25)
    for p in cell.parameters():
        assert p.abs().max() <= 1 / 25**0.5
        assert p.abs().max() > 0.9 / 25**0.5  # spread over the whole range, not all near zero
    assert cell.W_x.shape == (100, 10) and cell.W_h.shape == (100, 25) and cell.b_x.shape == (100,)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_cuda_matches_nn_lstm(dtype):
    ours, theirs = torch_lstm(3, 8, dtype, 0)
    ours, theirs = ours.cuda(), theirs.cuda()
    x = torch.randn(4, 10, 3, dtype=dtype, device="cuda", requires_grad=True)
    h_ours, _ = ours(x)
    assert h_ours.device.type == "cuda"
    h_theirs = theirs(x)[0]
    tol = 1e-5 if dtype == torch.float32 else 1e-12  # cuDNN sums in another order
    assert max_error(h_ours, h_theirs) <= tol
    (g_ours,) = torch.autograd.grad(h_ours.sum(), x)
    (g_theirs,) = torch.autograd.grad(h_theirs.sum(), x)
    assert max_error(g_ours, g_theirs) <= tol


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        (
            torch.randn(4, 3),
            ValueError,
            r"3 dimensions \(batch, time, features=3\); got a torch.float32",
        ),
        (torch.randn(4, 5, 2), ValueError, r"features axis \(dim 2\) should be 3"),
        (torch.randint(0, 3, (4, 5, 3)), TypeError, r"floating-point tensor .* got a torch.int64 tensor"),
        (torch.full((2, 5, 3), float("nan")), ValueError, "only finite values; got 30 NaN"),
        (torch.randn(0, 5, 3), ValueError, "must not be empty"),
        (torch.randn(2, 0, 3), ValueError, "must not be empty"),
        ([[1.0, 2.0, 3.0]], TypeError, "must be a torch.Tensor .* got a list"),
        (torch.randn(2, 5, 3, dtype=torch.float64), TypeError, "x and the LSTM's weights must share a dtype"),
    ],
)
def test_lstm_rejects_bad_input(x, error, match):
    with pytest.raises(error, match=match):
        LSTM(3, 4)(x)


@pytest.mark.parametrize(
    ("state", "error", "match"),
    [
        ((torch.randn(2, 5), torch.randn(2, 4)), ValueError, r"h0 must have shape \(batch=2, hidden=4\)"),
        ((torch.randn(2, 4), torch.randn(3, 4)), ValueError, r"C0 must have shape \(batch=2, hidden=4\)"),
        ((torch.randn(2, 4), torch.full((2, 4), float("inf"))), ValueError, "C0 must contain only finite"),
        ((torch.randn(2, 4),), TypeError, r"a pair \(h0, C0\) or None; got a tuple"),
        (torch.randn(2, 4), TypeError, r"a pair \(h0, C0\) or None; got a Tensor"),
        ((torch.randn(2, 4), torch.randn(2, 4).double()), TypeError, "C0 and the input must share a dtype"),
    ],
)
def test_lstm_rejects_a_bad_state(state, error, match):
    with pytest.raises(error, match=match):
        LSTM(3, 4)(torch.randn(2, 5, 3), state)


@pytest.mark.parametrize(
    ("x_t", "state", "error", "match"),
    [
        (torch.randn(2, 5, 3), None, ValueError, r"x_t must have 2 dimensions \(batch, features=3\)"),
        (torch.randn(2, 3).int(), None, TypeError, "x_t must be a floating-point tensor"),
        (torch.full((2, 3), float("nan")), None, ValueError, "x_t must contain only finite values"),
        (torch.randn(2, 3), (torch.randn(2, 6), torch.randn(2, 4)), ValueError, r"h_prev .* hidden=4"),
        (torch.randn(2, 3), (torch.randn(2, 4), torch.randn(2, 4, 1)), ValueError, "C_prev must have 2 dim"),
    ],
)
def test_cell_rejects_bad_input(x_t, state, error, match):
    with pytest.raises(error, match=match):
        LSTMCell(3, 4)(x_t, state)


@pytest.mark.parametrize(
    ("ours", "theirs", "error", "match"),
    [
        (LSTM(3, 4), nn.LSTM(3, 5), ValueError, r"sizes differ: ours .* \(3, 4\), theirs \(3, 5\)"),
        (LSTMCell(3, 4), nn.LSTMCell(2, 4), ValueError, r"sizes differ"),
        (
            LSTM(3, 4),
            nn.LSTM(3, 4, num_layers=2),
            ValueError,
            r"= \(1, True, False, 0\); got \(2, True,",
        ),
        (LSTM(3, 4), nn.LSTM(3, 4, bidirectional=True), ValueError, "got \\(1, True, True, 0\\)"),
        (LSTM(3, 4), nn.LSTM(3, 4, proj_size=2), ValueError, "got \\(1, True, False, 2\\)"),
        (LSTM(3, 4), nn.LSTM(3, 4, bias=False), ValueError, "got \\(1, False, False, 0\\)"),
        (LSTMCell(3, 4), nn.LSTMCell(3, 4, bias=False), ValueError, "bias=True"),
        (LSTM(3, 4), nn.GRU(3, 4), TypeError, "expected a torch.nn.LSTMCell or torch.nn.LSTM; got GRU"),
        (nn.LSTM(3, 4), nn.LSTM(3, 4), TypeError, "ours must be a helpers.lstm.LSTMCell or LSTM; got LSTM"),
    ],
)
@pytest.mark.parametrize("copy", [copy_from_torch, copy_to_torch])
def test_copy_rejects_incompatible_modules(ours, theirs, error, match, copy):
    with pytest.raises(error, match=match):
        copy(ours, theirs)


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_bad_sizes_are_rejected(size):
    with pytest.raises(ValueError, match="must be a positive integer"):
        LSTM(size, 4)
    with pytest.raises(ValueError, match="must be a positive integer"):
        LSTMCell(3, size)

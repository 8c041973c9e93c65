"""The hand-rolled GRU against torch.nn.GRUCell and torch.nn.GRU (PyTorch as the oracle), and the paper's
placement of the reset gate against the four equations written line by line."""

import pytest
import torch
from torch import nn

from helpers.gru import GRU, GRUCell, copy_from_torch, copy_to_torch, gru_step
from helpers.measure import max_error

TOLERANCE = {torch.float32: 1e-6, torch.float64: 1e-12}
SHAPES = [(1, 1, 1, 1), (4, 7, 3, 8), (16, 25, 5, 32), (2, 60, 1, 51)]  # batch, time, n_in, n_h
PARAMS = (("W_x", "weight_ih"), ("W_h", "weight_hh"), ("b_x", "bias_ih"), ("b_h", "bias_hh"))


def leaves(*tensors):
    """Two independent copies of each tensor, both requiring grad: one for us, one for PyTorch."""
    return [t.clone().requires_grad_() for t in tensors], [t.clone().requires_grad_() for t in tensors]


def paper_step(x_t, h_prev, W_x, W_h, b_x, b_h):
    """Cho et al. (2014), one matrix per layer acting on [h_{t-1}, x_t]; the reset gate before the product."""
    W = torch.cat([W_h, W_x], dim=1)  # (3 n_h, n_h + n_in), layers r, z, h~
    W_r, W_z, W_n = W.chunk(3)
    b_r, b_z, b_n = (b_x + b_h).chunk(3)
    r_t = torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_r.T + b_r)
    z_t = torch.sigmoid(torch.cat([h_prev, x_t], dim=1) @ W_z.T + b_z)
    h_tilde = torch.tanh(torch.cat([r_t * h_prev, x_t], dim=1) @ W_n.T + b_n)
    return z_t * h_prev + (1 - z_t) * h_tilde


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cell_matches_nn_grucell(dtype, shape, seed):
    batch, _, n_in, n_h = shape
    torch.manual_seed(seed)
    theirs = nn.GRUCell(n_in, n_h).to(dtype)
    ours = copy_from_torch(GRUCell(n_in, n_h).to(dtype), theirs)
    (x1, h1), (x2, h2) = leaves(torch.randn(batch, n_in, dtype=dtype), torch.randn(batch, n_h, dtype=dtype))
    h_ours, h_theirs = ours(x1, h1), theirs(x2, h2)
    tol = TOLERANCE[dtype]
    assert max_error(h_ours, h_theirs) <= tol
    weight = torch.randn_like(h_ours)
    (h_ours * weight).sum().backward()
    (h_theirs * weight).sum().backward()
    assert max_error(x1.grad, x2.grad) <= tol and max_error(h1.grad, h2.grad) <= tol
    for our_name, their_name in PARAMS:
        assert max_error(getattr(ours, our_name).grad, getattr(theirs, their_name).grad) <= tol


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("given_state", [False, True])
def test_gru_matches_nn_gru(dtype, shape, seed, given_state):
    batch, time, n_in, n_h = shape
    torch.manual_seed(seed)
    theirs = nn.GRU(n_in, n_h, batch_first=True).to(dtype)
    ours = copy_from_torch(GRU(n_in, n_h).to(dtype), theirs)
    (x1, h1), (x2, h2) = leaves(torch.randn(batch, time, n_in, dtype=dtype), torch.randn(batch, n_h, dtype=dtype))
    if given_state:
        (h_ours, hT_ours), (h_theirs, hT_theirs) = ours(x1, h1), theirs(x2, h2.unsqueeze(0))
    else:
        (h_ours, hT_ours), (h_theirs, hT_theirs) = ours(x1), theirs(x2)
    tol = TOLERANCE[dtype]
    assert h_ours.shape == (batch, time, n_h)
    assert max_error(h_ours, h_theirs) <= tol and max_error(hT_ours, hT_theirs[0]) <= tol
    weight = torch.randn_like(h_ours)
    (h_ours * weight).sum().backward()
    (h_theirs * weight).sum().backward()
    assert max_error(x1.grad, x2.grad) <= tol
    if given_state:
        assert max_error(h1.grad, h2.grad) <= tol
    for our_name, their_name in PARAMS:
        assert max_error(getattr(ours.cell, our_name).grad, getattr(theirs, f"{their_name}_l0").grad) <= tol


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_papers_gru_is_the_four_equations(seed):
    torch.manual_seed(seed)
    cell = GRUCell(3, 5, reset_after=False).double()
    x_t, h_prev = torch.randn(4, 3, dtype=torch.float64), torch.randn(4, 5, dtype=torch.float64)
    want = paper_step(x_t, h_prev, cell.W_x, cell.W_h, cell.b_x, cell.b_h)
    assert max_error(cell(x_t, h_prev), want) <= 1e-12
    layer = GRU(3, 5, reset_after=False).double()
    layer.cell.load_state_dict(cell.state_dict())
    x = torch.randn(4, 6, 3, dtype=torch.float64)
    h = torch.zeros(4, 5, dtype=torch.float64)
    for x_t in x.unbind(1):
        h = paper_step(x_t, h, cell.W_x, cell.W_h, cell.b_x, cell.b_h)
    assert max_error(layer(x)[1], h) <= 1e-12


def test_the_two_placements_differ():
    """Same weights, another function: the comparisons above would catch a swap of the placements."""
    torch.manual_seed(3)
    after = GRU(3, 5).double()
    before = GRU(3, 5, reset_after=False).double()
    before.load_state_dict(after.state_dict())
    x = torch.randn(2, 8, 3, dtype=torch.float64)
    assert max_error(after(x)[0], before(x)[0]) > 1e-3


def test_a_wrong_gate_order_is_caught():
    torch.manual_seed(4)
    theirs = nn.GRU(3, 6, batch_first=True).double()
    ours = copy_from_torch(GRU(3, 6).double(), theirs)
    with torch.no_grad():
        for name in ("W_x", "W_h", "b_x", "b_h"):
            p = getattr(ours.cell, name)
            r_rows, z_rows = p[:6].clone(), p[6:12].clone()
            p[:6], p[6:12] = z_rows, r_rows
    x = torch.randn(2, 5, 3, dtype=torch.float64)
    assert max_error(ours(x)[0], theirs(x)[0]) > 1e-3


def test_gates_are_returned_and_consistent():
    torch.manual_seed(5)
    gru = GRU(2, 3).double()
    x = torch.randn(2, 7, 2, dtype=torch.float64)
    h_all, h_T, gates = gru(x, return_gates=True)
    assert gates.r_t.shape == gates.z_t.shape == gates.h_tilde_t.shape == (2, 7, 3)
    h_prev = torch.cat([torch.zeros(2, 1, 3, dtype=torch.float64), h_all[:, :-1]], dim=1)
    rebuilt = gates.z_t * h_prev + (1 - gates.z_t) * gates.h_tilde_t  # h_t = z ⊙ h_{t-1} + (1 - z) ⊙ h~
    assert max_error(rebuilt, h_all) <= 1e-12
    assert torch.equal(h_T, h_all[:, -1])
    h_t, step_gates = gru_step(x[:, 0], torch.zeros(2, 3, dtype=torch.float64), *gru.cell.parameters())
    assert max_error(h_t, h_all[:, 0]) <= 1e-12 and max_error(step_gates.r_t, gates.r_t[:, 0]) <= 1e-12


@pytest.mark.parametrize("reset_after", [True, False])
def test_gradcheck(reset_after):
    torch.manual_seed(6)
    gru = GRU(2, 3, reset_after=reset_after).double()
    x = torch.randn(2, 4, 2, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    params = {name: p.detach().clone().requires_grad_() for name, p in gru.named_parameters()}

    def f(x, h0, *values):
        return torch.func.functional_call(gru, dict(zip(params, values, strict=True)), (x, h0))[0]

    assert torch.autograd.gradcheck(f, (x, h0, *params.values()))


@pytest.mark.parametrize("module", ["cell", "gru"])
def test_copy_to_torch_round_trip(module):
    torch.manual_seed(7)
    if module == "cell":
        ours = GRUCell(3, 6).double()
        theirs = copy_to_torch(ours, nn.GRUCell(3, 6).double())
        x_t, h = torch.randn(2, 3, dtype=torch.float64), torch.randn(2, 6, dtype=torch.float64)
        assert max_error(ours(x_t, h), theirs(x_t, h)) <= 1e-12
    else:
        ours = GRU(3, 6).double()
        theirs = copy_to_torch(ours, nn.GRU(3, 6, batch_first=True).double())
        x = torch.randn(2, 9, 3, dtype=torch.float64)
        assert max_error(ours(x)[0], theirs(x)[0]) <= 1e-12


def test_bad_input_is_refused_with_its_name():
    gru = GRU(3, 4)
    with pytest.raises(ValueError, match="x"):
        gru(torch.randn(2, 5, 2))
    with pytest.raises(ValueError, match="h0"):
        gru(torch.randn(2, 5, 3), torch.zeros(3, 4))
    with pytest.raises(TypeError, match="reset_after"):
        GRU(3, 4, reset_after="after")
    with pytest.raises(ValueError, match="reset_after=False"):
        copy_from_torch(GRU(3, 4, reset_after=False), nn.GRU(3, 4, batch_first=True))
    with pytest.raises(ValueError, match="sizes differ"):
        copy_from_torch(GRU(3, 4), nn.GRU(3, 5, batch_first=True))
    with pytest.raises(ValueError, match="num_layers"):
        copy_from_torch(GRU(3, 4), nn.GRU(3, 4, num_layers=2))
    with pytest.raises(TypeError, match="GRUCell or torch.nn.GRU"):
        copy_from_torch(GRU(3, 4), nn.LSTM(3, 4))

"""The hand-rolled RNN against torch.nn.RNN, PyTorch as the oracle: outputs and gradients."""

import pytest
import torch
from torch import nn

from helpers.measure import max_error
from helpers.rnn import RNN, RNNCell, copy_from_torch, copy_to_torch, rnn_step
from helpers.tasks import SequenceClassifier

TOLERANCE = {torch.float32: 1e-6, torch.float64: 1e-12}
SHAPES = [(1, 1, 1, 1), (4, 7, 3, 8), (16, 25, 5, 32), (2, 60, 1, 51)]  # batch, time, n_in, n_h


def pair(n_in, n_h, dtype, seed):
    torch.manual_seed(seed)
    theirs = nn.RNN(n_in, n_h, batch_first=True).to(dtype)
    ours = copy_from_torch(RNN(n_in, n_h).to(dtype), theirs)
    return ours, theirs


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_outputs_and_gradients_match_torch(dtype, shape, seed):
    batch, time, n_in, n_h = shape
    ours, theirs = pair(n_in, n_h, dtype, seed)
    x = torch.randn(batch, time, n_in, dtype=dtype)
    h0 = torch.randn(batch, n_h, dtype=dtype)
    x_ours, x_theirs = x.clone().requires_grad_(), x.clone().requires_grad_()
    h_ours, hT_ours = ours(x_ours, h0)
    h_theirs, hT_theirs = theirs(x_theirs, h0.unsqueeze(0))
    tol = TOLERANCE[dtype]
    assert max_error(h_ours, h_theirs) <= tol
    assert max_error(hT_ours, hT_theirs[0]) <= tol
    weights = torch.randn_like(h_ours)  # a loss that weighs every output differently
    (h_ours * weights).sum().backward()
    (h_theirs * weights).sum().backward()
    assert max_error(x_ours.grad, x_theirs.grad) <= tol
    assert max_error(ours.cell.W_xh.grad, theirs.weight_ih_l0.grad) <= tol
    assert max_error(ours.cell.W_hh.grad, theirs.weight_hh_l0.grad) <= tol
    assert max_error(ours.cell.b.grad, theirs.bias_ih_l0.grad) <= tol
    assert max_error(ours.cell.b.grad, theirs.bias_hh_l0.grad) <= tol


def test_copy_to_torch_round_trip():
    torch.manual_seed(3)
    ours = RNN(3, 6).double()
    theirs = copy_to_torch(ours, nn.RNN(3, 6, batch_first=True).double())
    x = torch.randn(2, 9, 3, dtype=torch.float64)
    assert (ours(x)[0] - theirs(x)[0]).abs().max() <= 1e-12


def test_a_wrong_copy_is_caught():
    """The comparison has teeth: a transposed-role copy (W_xh and W_hh swapped biases) is detected."""
    torch.manual_seed(4)
    theirs = nn.RNN(5, 5, batch_first=True).double()
    ours = copy_from_torch(RNN(5, 5).double(), theirs)
    with torch.no_grad():
        ours.cell.W_xh.copy_(theirs.weight_hh_l0)
        ours.cell.W_hh.copy_(theirs.weight_ih_l0)
    x = torch.randn(2, 4, 5, dtype=torch.float64)
    assert (ours(x)[0] - theirs(x)[0]).abs().max() > 1e-3


def test_step_is_the_equation():
    torch.manual_seed(5)
    x_t, h_prev = torch.randn(3, 2), torch.randn(3, 4)
    W_xh, W_hh, b = torch.randn(4, 2), torch.randn(4, 4), torch.randn(4)
    by_hand = torch.tanh(torch.einsum("hi,bi->bh", W_xh, x_t) + torch.einsum("hk,bk->bh", W_hh, h_prev) + b)
    assert torch.allclose(rnn_step(x_t, h_prev, W_xh, W_hh, b), by_hand, atol=1e-6)


def test_initialisation_range_matches_torch():
    torch.manual_seed(6)
    cell = RNNCell(10, 25)
    for p in cell.parameters():
        assert p.abs().max() <= 1 / 25**0.5


def test_classifier_shapes():
    model = SequenceClassifier(RNN(4, 8), 3)
    assert model(torch.randn(5, 6, 4)).shape == (5, 3)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu():
    ours, theirs = pair(3, 8, torch.float32, 0)
    x = torch.randn(4, 10, 3)
    cpu = ours(x)[0]
    gpu = ours.cuda()(x.cuda())[0].cpu()
    assert (cpu - gpu).abs().max() <= 1e-5


@pytest.mark.parametrize(
    ("x", "error", "match"),
    [
        (
            torch.randn(4, 3),
            ValueError,
            r"3 dimensions \(batch, time, features=3\); got a torch.float32 tensor of shape \(4, 3\)",
        ),
        (torch.randn(4, 5, 2), ValueError, r"features axis \(dim 2\) should be 3"),
        (torch.randint(0, 3, (4, 5, 3)), TypeError, r"floating-point tensor .* got a torch.int64 tensor"),
        (torch.full((2, 5, 3), float("nan")), ValueError, "only finite values; got 30 NaN"),
        (torch.randn(0, 5, 3), ValueError, "must not be empty"),
        ([[1.0, 2.0, 3.0]], TypeError, "must be a torch.Tensor .* got a list"),
        (torch.randn(2, 5, 3, dtype=torch.float64), TypeError, "x and the RNN's weights must share a dtype"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(x, error, match):
    with pytest.raises(error, match=match):
        RNN(3, 4)(x)


def test_bad_initial_state_is_rejected():
    with pytest.raises(ValueError, match=r"h0 must have shape \(batch=2, hidden=4\)"):
        RNN(3, 4)(torch.randn(2, 5, 3), torch.randn(3, 4))


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_bad_sizes_are_rejected(size):
    with pytest.raises(ValueError, match="must be a positive integer"):
        RNN(size, 4)


def test_copy_rejects_incompatible_modules():
    with pytest.raises(ValueError, match="expected nn.RNN"):
        copy_from_torch(RNN(3, 4), nn.RNN(3, 5))
    with pytest.raises(ValueError, match="expected nn.RNN"):
        copy_from_torch(RNN(3, 4), nn.RNN(3, 4, num_layers=2))
    with pytest.raises(TypeError, match="expected a torch.nn.RNN; got LSTM"):
        copy_from_torch(RNN(3, 4), nn.LSTM(3, 4))


def test_max_error_scales_large_values_only():
    a = torch.tensor([0.5, 100.0])
    assert max_error(a + torch.tensor([1e-3, 0.0]), a) == pytest.approx(1e-5, rel=1e-3)
    assert max_error(torch.tensor([0.2]), torch.tensor([0.1])) == pytest.approx(0.1)
    with pytest.raises(ValueError, match=r"shapes differ: ours \(2,\), reference \(3,\)"):
        max_error(torch.zeros(2), torch.zeros(3))

"""The delayed-recall task and the gradient-by-lag measurement."""

import pytest
import torch

from helpers.gradients import gradient_by_lag
from helpers.recall import accuracy, make_recall_batch, train_recall
from helpers.rnn import RNN, RNNClassifier


def gen(seed=0):
    return torch.Generator().manual_seed(seed)


def test_answer_is_the_symbol_lag_steps_before_the_last():
    x, y = make_recall_batch(50, 10, 3, 5, gen())
    assert x.shape == (50, 10, 5) and y.shape == (50,)
    assert torch.equal(x.argmax(dim=2)[:, 10 - 1 - 3], y)
    assert torch.equal(x.sum(dim=2), torch.ones(50, 10))  # one-hot


def test_batches_are_reproducible_from_the_generator():
    a = make_recall_batch(4, 6, 1, 3, gen(7))
    b = make_recall_batch(4, 6, 1, 3, gen(7))
    assert all(torch.equal(p, q) for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize("lag", [-1, 10, 2.0, True])
def test_bad_lag_is_rejected(lag):
    with pytest.raises(ValueError, match=r"lag must be an integer in \[0, seq_len - 1\] = \[0, 9\]"):
        make_recall_batch(4, 10, lag, 3, gen())


def test_training_learns_a_short_lag():
    torch.manual_seed(0)
    model = RNNClassifier(4, 16, 4)
    losses = train_recall(model, 1, seq_len=8, n_symbols=4, steps=150, seed=0)
    x, y = make_recall_batch(500, 8, 1, 4, gen(1))
    assert losses[-1] < losses[0] / 3
    assert accuracy(model, x, y) > 0.95


def test_accuracy_checks_its_labels():
    model = RNNClassifier(4, 8, 4)
    with pytest.raises(ValueError, match=r"y must have shape \(batch=3\)"):
        accuracy(model, torch.randn(3, 5, 4), torch.zeros(4, dtype=torch.long))


def test_gradient_by_lag_matches_autograd_jacobian():
    torch.manual_seed(1)
    rnn = RNN(2, 3).double()
    x = torch.randn(2, 5, 2, dtype=torch.float64)
    norms = gradient_by_lag(lambda x: rnn(x)[0], x)
    for lag in range(5):
        t = 4 - lag
        per_sequence = []
        for i in range(2):
            jac = torch.autograd.functional.jacobian(lambda xi: rnn(xi.unsqueeze(0))[0][0, -1], x[i])
            per_sequence.append(jac[:, t, :].norm())
        assert norms[lag] == pytest.approx(torch.stack(per_sequence).mean().item(), rel=1e-10)


def test_gradient_by_lag_checks_the_model_output():
    with pytest.raises(ValueError, match=r"hidden_states\(x\) must have 3 dimensions"):
        gradient_by_lag(lambda x: x.sum(dim=2), torch.randn(2, 4, 3))

"""The measurements: max_error, and the gradient-by-lag profile of vanishing gradients."""

import pytest
import torch

from helpers.measure import gradient_by_lag, max_error
from helpers.rnn import RNN


def test_max_error_is_absolute_below_1_and_relative_above():
    small = torch.tensor([0.5, -0.25], dtype=torch.float64)
    assert max_error(small + torch.tensor([1e-3, 0.0], dtype=torch.float64), small) == pytest.approx(1e-3)
    large = torch.tensor([0.5, -200.0], dtype=torch.float64)
    assert max_error(large + torch.tensor([0.0, 2.0], dtype=torch.float64), large) == pytest.approx(2.0 / 200)
    with pytest.raises(ValueError, match="shapes differ"):
        max_error(torch.zeros(2), torch.zeros(3))
    with pytest.raises(TypeError, match="must share a dtype"):
        max_error(torch.zeros(2), torch.zeros(2, dtype=torch.float64))


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

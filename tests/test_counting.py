"""The counting language aⁿbⁿ: the batch, the end detector, its loss and how far a model counts."""

import pytest
import torch
from torch import nn

from helpers.counting import EndDetector, accepted, anbn_batch, counts_up_to, end_loss


def test_the_batch_spells_the_strings():
    x, ends, scored = anbn_batch([1, 3])
    assert x.shape == (2, 6, 2) and ends.shape == scored.shape == (2, 6)
    assert x[1].argmax(dim=1).tolist() == [0, 0, 0, 1, 1, 1]  # a a a b b b
    assert x[0, 2:].abs().sum() == 0  # padding after "ab"
    assert scored[1].tolist() == [False, False, False, True, True, True]
    assert ends[1].tolist() == [0, 0, 0, 0, 0, 1] and ends[0].tolist() == [0, 1, 0, 0, 0, 0]


class Oracle(nn.Module):
    """An exact counter written by hand: the logit says "end" when the b's have caught up with the a's."""

    hidden_size = 1

    def forward(self, x):
        count = torch.cumsum(x[..., 0] - x[..., 1], dim=1)  # a's minus b's so far
        is_b = x[..., 1] > 0
        logits = torch.where(is_b & (count == 0), 1.0, -1.0)
        return logits


def test_accepted_and_counts_up_to_read_the_logits():
    oracle = Oracle()
    oracle.register_parameter("dummy", nn.Parameter(torch.zeros(1)))  # a model has parameters
    assert bool(accepted(oracle, list(range(1, 30))).all())
    assert counts_up_to(oracle, 40) == 40

    class StopsAt7(Oracle):
        def forward(self, x):
            logits = super().forward(x)
            return torch.where((x[..., 1] > 0).sum(dim=1, keepdim=True) > 7, -logits.abs(), logits)

    stops = StopsAt7()
    stops.register_parameter("dummy", nn.Parameter(torch.zeros(1)))
    assert counts_up_to(stops, 20) == 7
    assert accepted(stops, [7, 8]).tolist() == [True, False]


def test_end_detector_and_loss():
    torch.manual_seed(0)
    model = EndDetector(nn.LSTM(2, 3, batch_first=True))
    batch = anbn_batch([2, 4])
    logits = model(batch.x)
    assert logits.shape == (2, 8)
    loss = end_loss(model, *batch)
    want = nn.functional.binary_cross_entropy_with_logits(logits[batch.scored], batch.ends[batch.scored])
    assert torch.allclose(loss, want)


def test_bad_input_is_refused_with_its_name():
    with pytest.raises(ValueError, match="ns"):
        anbn_batch([])
    with pytest.raises(ValueError, match="every n of ns"):
        anbn_batch([2, 0])
    with pytest.raises(ValueError, match="recurrent"):
        EndDetector(nn.LSTM(3, 2, batch_first=True))
    with pytest.raises(ValueError, match="n_max"):
        counts_up_to(EndDetector(nn.LSTM(2, 2, batch_first=True)), 0)

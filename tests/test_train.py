"""The generic fit loop: it learns, it is reproducible, it stops on NaN, it checks its input."""

import math

import pytest
import torch
from torch import nn

from helpers.train import fit


def mse(model, x, y):
    return torch.mean((model(x) - y) ** 2)


def line_data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 3, generator=g)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    return x, y


def test_fit_reduces_the_loss():
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    history = fit(model, mse, line_data(), steps=200, batch_size=16, lr=0.05, progress=False)
    assert len(history) == 200
    assert history[-1] < 1e-3 * history[0]


def test_fit_is_deterministic_under_a_seed():
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = nn.Linear(3, 1)
        runs.append(fit(model, mse, line_data(), steps=20, batch_size=8, seed=5, progress=False))
    assert runs[0] == runs[1]
    torch.manual_seed(0)
    other = fit(nn.Linear(3, 1), mse, line_data(), steps=20, batch_size=8, seed=6, progress=False)
    assert other != runs[0]


def test_fit_with_lbfgs_and_cosine_schedule():
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    opt = torch.optim.LBFGS(model.parameters(), lr=1, line_search_fn="strong_wolfe")
    history = fit(model, mse, line_data(), steps=3, optimizer=opt, progress=False)
    assert history[-1] < 1e-8
    model = nn.Linear(3, 1)
    adam = torch.optim.Adam(model.parameters(), lr=1.0)
    lrs = []
    fit(
        model,
        mse,
        line_data(),
        steps=4,
        optimizer=adam,
        schedule="cosine",
        progress=False,
        callback=lambda step, m, loss: lrs.append(adam.param_groups[0]["lr"]),
    )
    # the callback runs after the scheduler has stepped: lr_k = (1 + cos(pi k / steps)) / 2
    assert lrs == pytest.approx([0.5 * (1 + math.cos(math.pi * k / 4)) for k in range(1, 5)])


def test_fit_callback_and_nan_stop():
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    seen = []

    def exploding(model, x, y):
        loss = mse(model, x, y)
        return loss * (float("nan") if len(seen) >= 3 else 1.0)

    history = fit(
        model, exploding, line_data(), steps=50, progress=False, callback=lambda step, m, loss: seen.append(step)
    )
    assert seen == [1, 2, 3, 4] and len(history) == 4 and math.isnan(history[-1])


def test_fit_rejects_bad_input():
    model = nn.Linear(3, 1)
    x, y = line_data()
    with pytest.raises(ValueError, match="steps"):
        fit(model, mse, (x, y), steps=0, progress=False)
    with pytest.raises(ValueError, match="first axis"):
        fit(model, mse, (x, y[:10]), steps=1, progress=False)
    with pytest.raises(ValueError, match="finite"):
        fit(model, mse, (x.clone().fill_(float("nan")), y), steps=1, progress=False)
    with pytest.raises(ValueError, match="empty"):
        fit(model, mse, (x[:0], y[:0]), steps=1, progress=False)
    with pytest.raises(ValueError, match="schedule"):
        fit(model, mse, (x, y), steps=1, schedule="linear", progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        fit(model, mse, (x, y), steps=1, batch_size=0, progress=False)
    with pytest.raises(ValueError, match="non-empty"):
        fit(model, mse, (), steps=1, progress=False)
    with pytest.raises(TypeError, match="Tensor"):
        fit(model, mse, ([1.0], y), steps=1, progress=False)


def test_fit_on_fresh_batches_from_a_function():
    """data() makes a new batch at every step: each step trains on the batch it returns, in order."""
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    x, y = line_data()
    made = []

    def next_batch():
        k = len(made) % 4
        made.append(k)
        return x[10 * k : 10 * k + 10], y[10 * k : 10 * k + 10]

    seen = []
    history = fit(model, mse, next_batch, steps=60, lr=5e-2, progress=False,
                  callback=lambda step, m, loss: seen.append(loss))
    assert len(made) == 60 and len(history) == 60 and history == seen
    assert sum(history[-4:]) < 0.1 * sum(history[:4])
    with pytest.raises(ValueError, match="batch_size is for data given as tensors"):
        fit(model, mse, next_batch, steps=1, batch_size=4, progress=False)
    with pytest.raises(TypeError, match=r"data\(\)\[0\] must be a torch.Tensor"):
        fit(model, mse, lambda: ([1.0], y), steps=1, progress=False)

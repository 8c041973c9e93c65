"""Mackey-Glass and the noisy two-sine signal: they obey their equations, are reproducible, check input."""

import math

import pytest
import torch

from helpers.series import mackey_glass, two_sines


def test_mackey_glass_obeys_the_delay_equation():
    dt = 0.1
    x = mackey_glass(3000, dt=dt, sample_every=dt, discard=100.0, dtype=torch.float64)
    d = round(17 / dt)
    t = torch.arange(d + 1, 2999)
    dxdt = (x[t + 1] - x[t - 1]) / (2 * dt)  # central difference
    x_tau = x[t - d]
    rhs = 0.2 * x_tau / (1 + x_tau**10) - 0.1 * x[t]
    assert (dxdt - rhs).abs().max() < 1e-3
    # and a wrong delay does not fit
    wrong = 0.2 * x[t - d + 20] / (1 + x[t - d + 20] ** 10) - 0.1 * x[t]
    assert (dxdt - wrong).abs().max() > 1e-2


def test_mackey_glass_is_deterministic_and_chaotic_range():
    x = mackey_glass(2000)
    assert x.shape == (2000,) and x.dtype == torch.float32
    assert torch.equal(x, mackey_glass(2000))
    assert 0.85 < x.mean() < 1.0 and 0.2 < x.std() < 0.26  # the τ=17 attractor's usual range
    assert x.min() > 0.3 and x.max() < 1.45
    # a smaller step agrees over the first 50 time units (chaos separates them later)
    coarse = mackey_glass(50, discard=0.0, dtype=torch.float64)
    fine = mackey_glass(50, dt=0.02, discard=0.0, dtype=torch.float64)
    assert (fine - coarse).abs().max() < 1e-4


def test_mackey_glass_bad_input():
    with pytest.raises(ValueError, match="n_samples"):
        mackey_glass(0)
    with pytest.raises(ValueError, match="whole numbers"):
        mackey_glass(10, dt=0.3)
    with pytest.raises(ValueError, match="tau"):
        mackey_glass(10, tau=-1)
    with pytest.raises(ValueError, match="discard"):
        mackey_glass(10, discard=-1)


def test_two_sines():
    x = two_sines(500, noise=0.0, seed=3, dtype=torch.float64)
    assert torch.equal(x, two_sines(500, noise=0.0, seed=3, dtype=torch.float64))
    assert not torch.equal(x, two_sines(500, noise=0.0, seed=4, dtype=torch.float64))
    t = torch.arange(500, dtype=torch.float64)
    second = x - torch.sin(2 * math.pi * t / 23)
    assert second.abs().max() == pytest.approx(0.5, abs=0.01)  # a_2 = 0.5
    noisy = two_sines(5000, noise=0.1, seed=3, dtype=torch.float64)
    clean = two_sines(5000, noise=0.0, seed=3, dtype=torch.float64)
    assert (noisy - clean).std() == pytest.approx(0.1, rel=0.05)
    with pytest.raises(ValueError, match="noise"):
        two_sines(10, noise=-1, seed=0)
    with pytest.raises(ValueError, match="periods"):
        two_sines(10, periods=(0.0, 3.0), seed=0)

"""helpers.setup makes runs reproducible and prints nothing."""

import random

import numpy as np
import torch

import helpers


def test_setup_seeds_everything_and_fixes_threads(capsys):
    device, _ = helpers.setup(seed=3)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    helpers.setup(seed=3)
    second = (random.random(), np.random.rand(), torch.rand(1).item())
    assert first == second
    assert torch.get_num_threads() == 1
    assert device.type in ("cpu", "cuda")
    assert capsys.readouterr().out == ""


def test_setup_returns_device_and_seed_and_reads_the_seed_from_the_environment(monkeypatch):
    monkeypatch.delenv(helpers.session.SEED_VARIABLE, raising=False)
    assert helpers.setup().seed == helpers.session.DEFAULT_SEED
    monkeypatch.setenv(helpers.session.SEED_VARIABLE, "7")
    device, seed = helpers.setup()
    assert seed == 7
    first = torch.rand(1).item()
    helpers.setup(seed=7)
    assert torch.rand(1).item() == first
    assert helpers.setup(seed=2).seed == 2  # an explicit seed wins over the environment


def test_a_bad_seed_is_refused_naming_where_it_came_from(monkeypatch):
    import pytest

    monkeypatch.setenv(helpers.session.SEED_VARIABLE, "seven")
    with pytest.raises(ValueError, match="LSTM_TUTORIAL_SEED.*'seven'"):
        helpers.setup()
    monkeypatch.delenv(helpers.session.SEED_VARIABLE)
    for bad in (-1, 1.5, "3", True):
        with pytest.raises(ValueError, match="seed must be"):
            helpers.setup(seed=bad)

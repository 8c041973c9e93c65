"""helpers.setup makes runs reproducible and prints nothing."""

import random

import numpy as np
import torch

import helpers


def test_setup_seeds_everything_and_fixes_threads(capsys):
    device = helpers.setup(seed=3)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    helpers.setup(seed=3)
    second = (random.random(), np.random.rand(), torch.rand(1).item())
    assert first == second
    assert torch.get_num_threads() == 1
    assert device.type in ("cpu", "cuda")
    assert capsys.readouterr().out == ""

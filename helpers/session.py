"""One call at the top of every notebook makes its outputs reproducible."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from helpers.style import apply_style

DEFAULT_SEED = 0
# One thread: on a shared 2-core machine (a laptop, Colab, CI) torch's default of two threads ran the
# same training 10-25x slower whenever a neighbour was busy, and the thread count changes the last
# digits of results. tools/bench_threads.py measures this again.
DEFAULT_THREADS = 1


def seed_everything(seed: int = DEFAULT_SEED) -> None:
    """Seed Python's ``random``, numpy and torch (CPU and every CUDA device)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device() -> torch.device:
    """CUDA when present, else the CPU. ``CUDA_VISIBLE_DEVICES=`` forces the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def setup(seed: int = DEFAULT_SEED, threads: int = DEFAULT_THREADS) -> torch.device:
    """Seed everything, fix the thread count, print precision and plot style; return the device.

    Prints nothing, so the first cell of a notebook has no output.
    """
    seed_everything(seed)
    torch.set_num_threads(threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    np.set_printoptions(precision=4, suppress=True)
    torch.set_printoptions(precision=4, sci_mode=False)
    apply_style()
    return pick_device()

"""One call at the top of every notebook makes its outputs reproducible."""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np
import torch

from helpers.style import apply_style
from helpers.validate import InputTypeError, check_positive_int, check_seed, describe

DEFAULT_SEED = 0
# A teacher can give each student another run, and the story check (tools/story.py) runs every
# notebook under several seeds, by setting this variable before the kernel starts.
SEED_VARIABLE = "LSTM_TUTORIAL_SEED"
# One thread: on a shared 2-core machine (a laptop, Colab, CI) torch's default of two threads ran the
# same training 10-25x slower whenever a neighbour was busy, and the thread count changes the last
# digits of results. studies/bench_threads.py measures this again.
DEFAULT_THREADS = 1


class Session(NamedTuple):
    """What :func:`setup` chose: the device to compute on and the seed every random draw starts from."""

    device: torch.device
    seed: int


def seed_everything(seed: int = DEFAULT_SEED) -> None:
    """Seed Python's ``random``, numpy and torch (CPU and every CUDA device). seed: an int, 0 or more."""
    check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def pick_device() -> torch.device:
    """CUDA when present, else the CPU. ``CUDA_VISIBLE_DEVICES=`` forces the CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def seed_from_environment(environ: dict[str, str] | None = None) -> int:
    """The seed named by ``LSTM_TUTORIAL_SEED``, or ``DEFAULT_SEED`` when it is not set."""
    if environ is not None and not isinstance(environ, Mapping):
        raise InputTypeError(f"environ must be a dict of environment variables or None; got {describe(environ)}")
    value = (os.environ if environ is None else environ).get(SEED_VARIABLE, "").strip()
    if not value:
        return DEFAULT_SEED
    try:
        seed = int(value)
    except ValueError:
        raise ValueError(f"{SEED_VARIABLE} must be a whole number such as 0 or 7; got {value!r}") from None
    if seed < 0:
        raise ValueError(f"{SEED_VARIABLE} must be 0 or more; got {seed}")
    return seed


def setup(seed: int | None = None, threads: int = DEFAULT_THREADS) -> Session:
    """Seed everything, fix the thread count, print precision and plot style; return device and seed.

    ``seed=None`` takes ``LSTM_TUTORIAL_SEED`` from the environment, or 0. Prints nothing, so the first
    cell of a notebook has no output. Use it as ``device, SEED = helpers.setup()``.
    """
    if seed is None:
        seed = seed_from_environment()
    else:
        check_seed(seed)
    check_positive_int(threads, "threads")
    seed_everything(seed)
    torch.set_num_threads(threads)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    np.set_printoptions(precision=4, suppress=True)
    torch.set_printoptions(precision=4, sci_mode=False)
    apply_style()
    return Session(pick_device(), seed)

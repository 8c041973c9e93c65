"""Sine waves with random phase: the data of the classic time-sequence-prediction task.

Each wave is ``x_t = sin((t + s) / T)`` for ``t = 0, 1, ..., length - 1``, with a whole-number shift
``s`` drawn uniformly from ``[-4T, 4T)`` for every wave; with ``T = 20`` one period lasts
``2 pi T ≈ 125.7`` steps. The random numbers come from a seeded ``torch.Generator``, never from the
global random state, so the same seed gives the same waves in every notebook and test.
"""

from __future__ import annotations

import torch

from helpers.validate import check_positive_int

PERIOD_SCALE = 20.0  # T in x_t = sin((t + s) / T)


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator:
    if seed is not None and generator is not None:
        raise ValueError("pass either seed or generator, not both")
    if generator is not None:
        if not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator; got a {type(generator).__name__}")
        return generator
    if seed is None:
        raise ValueError("pass a seed (an int) or a torch.Generator, so the waves are reproducible")
    return torch.Generator().manual_seed(seed)


def random_shifts(
    n_waves: int,
    T: float = PERIOD_SCALE,
    *,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Whole-number shifts s, uniform in [-4T, 4T): (n_waves,) int64."""
    check_positive_int(n_waves, "n_waves")
    if not T > 0:
        raise ValueError(f"T must be positive; got {T!r}")
    g = _generator(seed, generator)
    low, high = int(-4 * T), int(4 * T)
    return torch.randint(low, high, (n_waves,), generator=g)


def sine_waves(
    shifts: torch.Tensor,
    length: int,
    T: float = PERIOD_SCALE,
    *,
    start: int = 0,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """x_t = sin((t + s) / T) for t = start, ..., start + length - 1 and each shift s.

    shifts: (n_waves,) -> waves: (n_waves, length). Computed in float64, then cast to ``dtype``.
    """
    if not isinstance(shifts, torch.Tensor) or shifts.dim() != 1 or shifts.numel() == 0:
        raise ValueError(f"shifts must be a non-empty 1-d tensor (n_waves,); got {shifts!r}")
    check_positive_int(length, "length")
    t = torch.arange(start, start + length, dtype=torch.float64)
    s = shifts.to(torch.float64)[:, None]
    return torch.sin((t[None, :] + s) / T).to(dtype)


def classic_sine_data(
    seed: int = 2,
    n_train: int = 97,
    n_test: int = 3,
    length: int = 1000,
    horizon: int = 1000,
    T: float = PERIOD_SCALE,
    dtype: torch.dtype = torch.float32,
) -> dict[str, torch.Tensor]:
    """The classic set-up: ``n_train + n_test`` waves of ``length`` steps, each with its own shift.

    Returns a dict of tensors:
      ``train``: (n_train, length) waves to learn from;
      ``test``: (n_test, length) waves given to the model as context;
      ``test_future``: (n_test, horizon) the exact continuation of each test wave, steps
      ``length, ..., length + horizon - 1``, to score a free-running forecast against;
      ``shifts``: (n_train + n_test,) the shifts s, the test waves' last.
    """
    check_positive_int(n_train, "n_train")
    check_positive_int(n_test, "n_test")
    check_positive_int(horizon, "horizon")
    shifts = random_shifts(n_train + n_test, T, seed=seed)
    waves = sine_waves(shifts, length + horizon, T, dtype=dtype)
    return {
        "train": waves[:n_train, :length].contiguous(),
        "test": waves[n_train:, :length].contiguous(),
        "test_future": waves[n_train:, length:].contiguous(),
        "shifts": shifts,
    }

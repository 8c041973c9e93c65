"""The series the notebooks forecast: sine waves, harder test signals, and a real record.

* **Sine waves with random phase** (notebook 05, the classic time-sequence-prediction task): each wave
  is ``x_t = sin((t + s) / T)`` for ``t = 0, 1, ..., length - 1``, with a whole-number shift ``s``
  drawn uniformly from ``[-4T, 4T)`` for every wave; with ``T = 20`` one period lasts
  ``2 pi T ≈ 125.7`` steps. The random numbers come from a seeded ``torch.Generator``, never from the
  global random state, so the same seed gives the same waves in every notebook and test.
* **Mackey-Glass** (M. C. Mackey and L. Glass, "Oscillation and chaos in physiological control
  systems", Science 197:287-289, 1977), a delay differential equation,

      dx/dt = β x(t - τ) / (1 + x(t - τ)^n) - γ x(t),

  chaotic for β = 0.2, γ = 0.1, n = 10 and τ = 17, the setting used as a forecasting benchmark since
  the 1980s. We integrate it ourselves with fourth-order Runge-Kutta, in numpy. And a noisy sum of two
  sines.
* **Atmospheric CO2 at Mauna Loa**, weekly and monthly (notebook 06). The files live in
  ``helpers/data/`` (found from this module's location, never the current directory);
  ``helpers/data/README.md`` gives their source, citation, licence and what loading changes. Nothing is
  downloaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from helpers import validate

PERIOD_SCALE = 20.0  # T in x_t = sin((t + s) / T)


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator:
    if seed is not None and generator is not None:
        raise ValueError("pass either seed or generator, not both")
    if generator is not None:
        return validate.check_generator(generator)
    if seed is None:
        raise ValueError("pass a seed (an int) or a torch.Generator, so the waves are reproducible")
    return torch.Generator().manual_seed(validate.check_seed(seed))


def random_shifts(
    n_waves: int,
    T: float = PERIOD_SCALE,
    *,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> torch.Tensor:
    """Whole-number shifts s, uniform in [-4T, 4T): (n_waves,) int64. n_waves: a positive int; T: a positive
    finite number; either a seed (an int >= 0) or a torch.Generator."""
    validate.check_positive_int(n_waves, "n_waves")
    validate.check_positive(T, "T")
    g = _generator(seed, generator)
    low, high = int(-4 * T), max(int(4 * T), 1)  # T < 1/4: 0 is the one whole number in [-4T, 4T)
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
    shifts: finite numbers (ints or floats); length: a positive int; T: a positive finite number; start: an int.
    """
    validate.check_tensor(shifts, "shifts", ("n_waves",), floating=False)
    validate.check_positive_int(length, "length"), validate.check_positive(T, "T")
    validate.check_int(start, "start"), validate.check_dtype(dtype)
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
    Sizes are positive ints, T a positive finite number, seed an int >= 0, dtype a floating torch.dtype.
    """
    validate.check_seed(seed), validate.check_positive(T, "T"), validate.check_dtype(dtype)
    for name, value in (("n_train", n_train), ("n_test", n_test), ("length", length), ("horizon", horizon)):
        validate.check_positive_int(value, name)
    shifts = random_shifts(n_train + n_test, T, seed=seed)
    waves = sine_waves(shifts, length + horizon, T, dtype=dtype)
    return {
        "train": waves[:n_train, :length].contiguous(),
        "test": waves[n_train:, :length].contiguous(),
        "test_future": waves[n_train:, length:].contiguous(),
        "shifts": shifts,
    }


# ---------------------------------------------------------------------------------------------
# Harder test signals.


def mackey_glass(
    n_samples: int,
    tau: float = 17.0,
    beta: float = 0.2,
    gamma: float = 0.1,
    n: float = 10.0,
    dt: float = 0.1,
    sample_every: float = 1.0,
    x0: float = 1.2,
    discard: float = 500.0,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """``n_samples`` values of x(t), one every ``sample_every`` time units: (n_samples,).

    The history x(t) = x0 for t ≤ 0 starts the delay equation; RK4 steps of ``dt`` follow (τ/dt and
    sample_every/dt must be whole numbers), and the first ``discard`` time units, the transient,
    are dropped. Deterministic: the same arguments give the same series. tau, dt, sample_every: positive
    finite numbers; beta, gamma, n, x0: finite numbers; discard: a finite number >= 0.
    """
    validate.check_positive_int(n_samples, "n_samples")
    for name, value in (("tau", tau), ("dt", dt), ("sample_every", sample_every)):
        validate.check_positive(value, name)
    for name, value in (("beta", beta), ("gamma", gamma), ("n", n), ("x0", x0), ("discard", discard)):
        validate.check_number(value, name)
    validate.check_dtype(dtype)
    delay, every = tau / dt, sample_every / dt
    if abs(delay - round(delay)) > 1e-9 or abs(every - round(every)) > 1e-9:
        raise ValueError(f"tau/dt and sample_every/dt must be whole numbers; got {delay:g} and {every:g}")
    if discard < 0:
        raise ValueError(f"discard must be at least 0; got {discard!r}")
    d, every = round(delay), round(every)
    skip = round(discard / dt)
    total = skip + (n_samples - 1) * every + 1

    def f(x: float, x_tau: float) -> float:  # dx/dt = β x_τ / (1 + x_τ^n) - γ x
        return beta * x_tau / (1.0 + x_tau**n) - gamma * x

    x = np.empty(d + total)
    x[: d + 1] = x0  # x(t) = x0 for -τ ≤ t ≤ 0
    for i in range(d, d + total - 1):
        lag, lag_next = x[i - d], x[i - d + 1]
        lag_mid = 0.5 * (lag + lag_next)  # x(t + dt/2 - τ), linearly interpolated
        k1 = f(x[i], lag)
        k2 = f(x[i] + 0.5 * dt * k1, lag_mid)
        k3 = f(x[i] + 0.5 * dt * k2, lag_mid)
        k4 = f(x[i] + dt * k3, lag_next)
        x[i + 1] = x[i] + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    samples = x[d + skip :: every][:n_samples]
    return torch.from_numpy(samples).to(dtype)


def two_sines(
    n_samples: int,
    periods: tuple[float, float] = (23.0, 9.0),
    amplitudes: tuple[float, float] = (1.0, 0.5),
    noise: float = 0.1,
    *,
    seed: int,
    dtype: torch.dtype = torch.float32,
) -> torch.Tensor:
    """x_t = a_1 sin(2π t / P_1) + a_2 sin(2π t / P_2 + φ) + σ ε_t, ε_t ~ N(0, 1): (n_samples,).

    The phase φ and the noise ε come from a ``torch.Generator`` seeded with ``seed`` (an int >= 0).
    periods: two positive finite numbers; amplitudes: two finite numbers; noise: a finite number >= 0.
    """
    validate.check_positive_int(n_samples, "n_samples")
    validate.check_number(noise, "noise", low=0), validate.check_seed(seed), validate.check_dtype(dtype)
    for name, pair in (("periods", periods), ("amplitudes", amplitudes)):
        check = validate.check_positive if name == "periods" else validate.check_number
        if len(validate.check_items(pair, name, check)) != 2:
            raise ValueError(f"{name} must be two numbers, one per sine; got {len(pair)}")
    g = torch.Generator().manual_seed(seed)
    phi = 2 * math.pi * float(torch.rand((), generator=g, dtype=torch.float64))
    t = torch.arange(n_samples, dtype=torch.float64)
    (a1, a2), (P1, P2) = amplitudes, periods
    x = a1 * torch.sin(2 * math.pi * t / P1) + a2 * torch.sin(2 * math.pi * t / P2 + phi)
    eps = torch.randn(n_samples, generator=g, dtype=torch.float64)
    return (x + noise * eps).to(dtype)


# ---------------------------------------------------------------------------------------------
# Real series shipped with the package.


DATA_DIR = Path(__file__).parent / "data"
CO2_WEEKLY_CSV = DATA_DIR / "co2_mauna_loa_weekly.csv"


@dataclass(frozen=True)
class WeeklySeries:
    """Evenly spaced weekly values: ``dates[i]`` is the date of ``values[i]``; NaN marks a missing week."""

    dates: tuple[dt.date, ...]
    values: torch.Tensor  # (weeks,) float64


@dataclass(frozen=True)
class MonthlySeries:
    """One value per calendar month, from ``start`` = (year, month) on, with no month missing.

    values: (months,) float64. ``filled[i]`` says that month i contains at least one interpolated week.
    """

    start: tuple[int, int]
    values: torch.Tensor  # (months,)
    filled: torch.Tensor  # (months,) bool
    unit: str = "ppm"

    def __len__(self) -> int:
        return self.values.shape[0]

    def year_month(self, i: int) -> tuple[int, int]:
        """(year, month) of month ``i`` (an int); negative i counts from the end, as in a list."""
        n = len(self)
        if not -n <= validate.check_int(i, "i") < n:
            raise validate.InputIndexError(f"i, the month index, must be in [-{n}, {n}); got {i}")
        k = self.start[0] * 12 + self.start[1] - 1 + (i % n)
        return k // 12, k % 12 + 1

    def label(self, i: int) -> str:
        """'YYYY-MM' of month ``i``."""
        year, month = self.year_month(i)
        return f"{year}-{month:02d}"

    def index(self, year: int, month: int) -> int:
        """The position of (year, month) in the series (both ints); ValueError outside it."""
        validate.check_int(year, "year"), validate.check_int(month, "month")
        i = year * 12 + month - 1 - (self.start[0] * 12 + self.start[1] - 1)
        if not 1 <= month <= 12 or not 0 <= i < len(self):
            raise ValueError(
                f"{year}-{month:02d} is not in the series, which runs from {self.label(0)} to {self.label(-1)}"
            )
        return i

    @property
    def years(self) -> torch.Tensor:
        """Decimal year of the middle of each month, (months,) float64: 1958-03 -> 1958 + 2.5/12."""
        k = torch.arange(len(self), dtype=torch.float64) + self.start[1] - 1 + 0.5
        return self.start[0] + k / 12


def read_weekly_csv(path: Path) -> WeeklySeries:
    """Read a CSV with columns ``date`` (YYYYMMDD) and a value (empty when missing), one row per week.

    path: a ``pathlib.Path`` (or a str)."""
    path = Path(validate.check_instance(path, "path", str | Path, "a pathlib.Path or a str"))
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2 or len(rows[0]) != 2:
        raise ValueError(f"{path.name}: expected a header 'date,value' and at least one row")
    dates = tuple(dt.datetime.strptime(r[0], "%Y%m%d").date() for r in rows[1:])
    values = torch.tensor([float(r[1]) if r[1].strip() else float("nan") for r in rows[1:]], dtype=torch.float64)
    steps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    if steps - {7}:
        raise ValueError(f"{path.name}: rows must be exactly one week apart; found gaps of {sorted(steps)} days")
    return WeeklySeries(dates, values)


def co2_weekly() -> WeeklySeries:
    """The weekly Mauna Loa CO2 record as shipped: 2284 weeks, 1958-03-29 to 2001-12-29, ppm, NaN if missing."""
    return read_weekly_csv(CO2_WEEKLY_CSV)


def interpolate_gaps(values: torch.Tensor) -> torch.Tensor:
    """Fill NaNs in an evenly spaced series by linear interpolation between the nearest known neighbours.

    values: (time,) -> (time,), a new tensor. The first and last values must be known (there is
    nothing to interpolate from outside the series).
    """
    validate.check_tensor(values, "values", ("time",), allow_nan=True)
    known = ~torch.isnan(values)
    if bool(torch.isinf(values).any()):
        raise ValueError("values must be finite or NaN (missing); got infinite entries")
    if not (bool(known[0]) and bool(known[-1])):
        raise ValueError("the first and last values must be known to interpolate the gaps between them")
    t = torch.arange(values.shape[0], dtype=torch.float64)
    t_known, v_known = t[known], values[known].to(torch.float64)
    right = torch.searchsorted(t_known, t).clamp(1, t_known.shape[0] - 1)  # first known index >= t
    left = right - 1
    w = (t - t_known[left]) / (t_known[right] - t_known[left])
    filled = v_known[left] + w * (v_known[right] - v_known[left])
    return torch.where(known, values.to(torch.float64), filled).to(values.dtype)


def monthly_means(weekly: WeeklySeries) -> MonthlySeries:
    """Fill missing weeks by interpolation, then average the weeks of each calendar month.

    Every month between the first and the last week must contain at least one week, which holds
    for any weekly series. weekly: a :class:`WeeklySeries`.
    """
    validate.check_instance(weekly, "weekly", WeeklySeries, "a WeeklySeries, such as co2_weekly()")
    values = interpolate_gaps(weekly.values)
    missing = torch.isnan(weekly.values)
    start = (weekly.dates[0].year, weekly.dates[0].month)
    month_of = torch.tensor([(d.year - start[0]) * 12 + d.month - start[1] for d in weekly.dates])
    n_months = int(month_of[-1]) + 1
    counts = torch.bincount(month_of, minlength=n_months)
    sums = torch.zeros(n_months, dtype=values.dtype).index_add_(0, month_of, values)
    filled = torch.bincount(month_of, weights=missing.to(torch.float64), minlength=n_months) > 0
    return MonthlySeries(start, sums / counts, filled)


def co2_monthly() -> MonthlySeries:
    """Monthly mean CO2 at Mauna Loa, ppm: 526 months, 1958-03 to 2001-12 (see helpers/data/README.md)."""
    return monthly_means(co2_weekly())

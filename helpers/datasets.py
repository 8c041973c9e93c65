"""Real series shipped with the package: atmospheric CO2 at Mauna Loa, weekly and monthly.

The files live in ``helpers/data/`` (found from this module's location, never the current directory);
``helpers/data/README.md`` gives their source, citation, licence and what loading changes. Nothing is
downloaded.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import torch

from helpers.validate import check_tensor

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
        """(year, month) of month ``i``; negative i counts from the end, as in a list."""
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"month index must be in [-{n}, {n}); got {i}")
        k = self.start[0] * 12 + self.start[1] - 1 + (i % n)
        return k // 12, k % 12 + 1

    def label(self, i: int) -> str:
        """'YYYY-MM' of month ``i``."""
        year, month = self.year_month(i)
        return f"{year}-{month:02d}"

    def index(self, year: int, month: int) -> int:
        """The position of (year, month) in the series; ValueError outside it."""
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
    """Read a CSV with columns ``date`` (YYYYMMDD) and a value (empty when missing), one row per week."""
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
    check_tensor(values, "values", ("time",), allow_nan=True)
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
    for any weekly series.
    """
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

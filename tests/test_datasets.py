"""The CO2 data shipped with helpers: found from the package, read as shipped, resampled as documented."""

import datetime as dt
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
import torch

import helpers
from helpers.series import (
    CO2_WEEKLY_CSV,
    DATA_DIR,
    MonthlySeries,
    WeeklySeries,
    co2_monthly,
    co2_weekly,
    interpolate_gaps,
    monthly_means,
    read_weekly_csv,
)
from tools.notebooks import ROOT


def test_data_is_found_from_the_package_not_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert DATA_DIR == Path(helpers.__file__).parent / "data"
    assert len(co2_weekly().dates) == 2284


def test_package_data_rule_ships_the_csv_and_its_readme():
    rules = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["helpers"]
    for path in (CO2_WEEKLY_CSV, DATA_DIR / "README.md"):
        assert path.is_file()
        assert any(fnmatch(path.relative_to(DATA_DIR.parent).as_posix(), rule) for rule in rules), path.name


def test_weekly_record_is_the_file_as_shipped():
    weekly = co2_weekly()
    assert weekly.dates[0] == dt.date(1958, 3, 29) and weekly.dates[-1] == dt.date(2001, 12, 29)
    assert weekly.values.dtype == torch.float64 and weekly.values.shape == (2284,)
    assert weekly.values[0].item() == 316.1 and weekly.values[-1].item() == 371.5
    assert int(torch.isnan(weekly.values).sum()) == 59
    observed = weekly.values[~torch.isnan(weekly.values)]
    assert 310 < observed.min().item() and observed.max().item() < 375


def test_monthly_series_covers_every_month_without_gaps():
    co2 = co2_monthly()
    assert len(co2) == 526 and co2.start == (1958, 3)
    assert co2.label(0) == "1958-03" and co2.label(-1) == "2001-12" and co2.label(10) == "1959-01"
    assert bool(torch.isfinite(co2.values).all())
    assert co2.index(1996, 1) == 454 and co2.year_month(454) == (1996, 1)
    assert co2.years[0].item() == pytest.approx(1958 + 2.5 / 12)
    assert int(co2.filled.sum()) == 30  # months holding at least one of the 59 interpolated weeks


def test_a_month_is_the_mean_of_its_weeks():
    co2 = co2_monthly()
    # January 1959: weeks of the 3rd, 10th, 17th, 24th and 31st, all observed
    assert co2.values[co2.index(1959, 1)].item() == pytest.approx((315.2 + 315.5 + 315.6 + 315.8 + 315.4) / 5)
    assert not co2.filled[co2.index(1959, 1)]
    # March 1958 holds one week only
    assert co2.values[0].item() == pytest.approx(316.1)


def test_a_month_with_no_observation_is_interpolated_from_its_neighbours():
    co2 = co2_monthly()
    june = co2.index(1958, 6)  # observed: 24 May 317.9, then 5 missing weeks, then 5 July 315.8
    step = (315.8 - 317.9) / 6  # linear in time over the 6 weekly steps
    weeks_in_june = [317.9 + k * step for k in (2, 3, 4, 5)]  # 7, 14, 21, 28 June
    assert co2.values[june].item() == pytest.approx(sum(weeks_in_june) / 4)
    assert co2.filled[june]


def test_interpolate_gaps_is_linear_and_leaves_known_values_alone():
    x = torch.tensor([1.0, float("nan"), float("nan"), 4.0, 5.0, float("nan"), 9.0], dtype=torch.float64)
    torch.testing.assert_close(interpolate_gaps(x), torch.tensor([1.0, 2, 3, 4, 5, 7, 9], dtype=torch.float64))
    assert torch.isnan(x[1])  # the input is not modified
    known = torch.arange(5.0)
    assert torch.equal(interpolate_gaps(known), known)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        (torch.tensor([float("nan"), 1.0, 2.0]), "first and last values must be known"),
        (torch.tensor([1.0, 2.0, float("nan")]), "first and last values must be known"),
        (torch.tensor([1.0, float("inf"), 2.0]), "finite or NaN"),
        (torch.zeros(0), "must not be empty"),
        (torch.zeros(3, 2), "must have 1 dimensions"),
    ],
)
def test_interpolate_gaps_rejects_bad_input(values, match):
    with pytest.raises(ValueError, match=match):
        interpolate_gaps(values)


def test_monthly_means_of_a_synthetic_weekly_series():
    dates = tuple(dt.date(2001, 1, 6) + dt.timedelta(weeks=k) for k in range(9))  # Saturdays, Jan 6 .. Mar 3
    values = torch.tensor([1.0, 2, float("nan"), 4, 5, 6, 7, 8, 9], dtype=torch.float64)
    monthly = monthly_means(WeeklySeries(dates, values))
    assert isinstance(monthly, MonthlySeries) and monthly.start == (2001, 1)
    # January: 6, 13, 20, 27 -> 1, 2, (3), 4; February: 3, 10, 17, 24 -> 5..8; March: 3 -> 9
    torch.testing.assert_close(monthly.values, torch.tensor([2.5, 6.5, 9.0], dtype=torch.float64))
    assert monthly.filled.tolist() == [True, False, False]


def test_read_weekly_csv_rejects_irregular_dates_and_bad_headers(tmp_path):
    bad_dates = tmp_path / "gap.csv"
    bad_dates.write_text("date,co2\n20010106,1.0\n20010120,2.0\n")
    with pytest.raises(ValueError, match="one week apart"):
        read_weekly_csv(bad_dates)
    no_rows = tmp_path / "empty.csv"
    no_rows.write_text("date,co2\n")
    with pytest.raises(ValueError, match="at least one row"):
        read_weekly_csv(no_rows)


def test_month_lookups_reject_dates_outside_the_series():
    co2 = co2_monthly()
    with pytest.raises(ValueError, match="runs from 1958-03 to 2001-12"):
        co2.index(1958, 2)
    with pytest.raises(ValueError, match="not in the series"):
        co2.index(2002, 1)
    with pytest.raises(ValueError, match="not in the series"):
        co2.index(1990, 13)
    with pytest.raises(IndexError, match="month index"):
        co2.label(526)

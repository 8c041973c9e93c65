"""What notebook 06 (forecasting CO2 at Mauna Loa) says, as checks on its own variables. Run: make story."""

import torch

from stories.story import Story

story = Story(__file__)

FITTED = ("linear AR", "LSTM direct", "LSTM free-running")
LSTMS = ("LSTM direct", "LSTM free-running")


def mean_mae(nb, name):
    return nb.mae[name].mean().item()


def growth(nb, span):
    """12 times the mean monthly change over a span, in ppm per year (as the notebook prints it)."""
    return 12 * nb.d[max(span.start - 1, 0) : span.stop - 1].mean().item()


@story.claim("§2", "A rise of about 55 ppm in 44 years")
def rise_of_55(nb):
    rise, years = (nb.x[-1] - nb.x[0]).item(), nb.years[-1] - nb.years[0]
    return 50 <= rise <= 60 and 43 <= years <= 45, f"{rise:.1f} ppm in {years:.1f} years"


@story.claim("§3", "In training units, the test years lie beyond every training value")
def test_beyond_training(nb):
    train_max = nb.z_levels[nb.split.train.slice].max().item()
    test_min = nb.z_levels[nb.split.test.slice].min().item()
    return test_min > train_max, f"test z from {test_min:.2f}, training z up to {train_max:.2f}"


@story.claim("§5", "DirectForecaster and fit give the same weights as the class Direct and the loop train")
def helpers_equal_the_code(nb):
    same = all(torch.equal(a, b) for a, b in zip(nb.same.parameters(), nb.on_levels.parameters(), strict=True))
    return same, f"identical weights: {same}"


@story.claim("§3", "On levels, the training loss is small, yet the forecasts are far too low, near the highest "
             "training level")
def levels_stay_low(nb):
    low_by = (nb.future.mean() - nb.level_forecast.mean()).item()
    from_max = (nb.level_forecast.mean() - nb.x[nb.split.train.slice].max()).item()
    ok = nb.final_loss < 0.1 and low_by > 5 and abs(from_max) < 3
    return ok, f"loss {nb.final_loss:.3f}; {low_by:.1f} ppm too low; {from_max:+.1f} ppm from the training maximum"


@story.claim("§7", "On levels the LSTM missed by about 10 ppm (8-13), several times (3 or more) worse than persistence")
def levels_miss_by_10(nb):
    miss = nb.mae_levels.mean().item()
    ratio = miss / mean_mae(nb, "persistence")
    return 8 <= miss <= 13 and ratio >= 3, f"MAE {miss:.1f} ppm, {ratio:.1f} x persistence"


@story.claim("§4", "The test years' monthly changes stay inside the range of the training years'")
def changes_in_range(nb):
    train = nb.d[nb.split.train.start : nb.split.train.stop - 1]
    test = nb.d[nb.split.test.start - 1 :]
    ok = train.min() <= test.min() and test.max() <= train.max()
    return bool(ok), (f"test {test.min():+.2f} to {test.max():+.2f}, training {train.min():+.2f} to "
                      f"{train.max():+.2f} ppm/month")


@story.claim("§5", "Short AR orders (p < 12) do worse on validation than every order from p = 12 on")
def short_orders_worse(nb):
    short = min(v for p, v in nb.valid_mae.items() if p < 12)
    long = max(v for p, v in nb.valid_mae.items() if p >= 12)
    return short > long, f"best p < 12: {short:.3f} ppm, worst p >= 12: {long:.3f} ppm"


@story.claim("§7", "On differences the LSTMs miss by about half a ppm (0.4-0.6)")
def lstms_half_a_ppm(nb):
    values = [mean_mae(nb, name) for name in LSTMS]
    return all(0.4 <= v <= 0.6 for v in values), "direct/free: " + "/".join(f"{v:.3f}" for v in values)


@story.claim("§7, Exercise 2", "Seasonal naive did worse than on its training years: test MASE above 1 at every "
             "horizon")
def seasonal_naive_above_1(nb):
    worst = nb.mase["seasonal naive"].min().item()
    return worst > 1, f"lowest MASE over k: {worst:.2f}"


@story.claim("§7", "Persistence beats seasonal naive only at k = 1 and 11, and ties at 12")
def persistence_beats_at_1_and_11(nb):
    p, s = nb.mae["persistence"], nb.mae["seasonal naive"]
    better = [k + 1 for k in range(len(p)) if p[k] < s[k] and k + 1 != 12]
    tie = abs((p[-1] - s[-1]).item()) < 1e-4
    return better == [1, 11] and tie, f"persistence ahead at k = {better}; |difference| at 12: {abs(p[-1] - s[-1]):.1e}"


@story.claim("§7", "The AR is best on validation")
def ar_best_on_validation(nb):
    valid = {name: v.item() for name, v in nb.valid_mean.items()}
    best = min(valid, key=valid.get)
    return best == "linear AR", ", ".join(f"{n} {v:.3f}" for n, v in valid.items() if n in FITTED)


@story.claim("§7", "The LSTM ensembles are ahead on the test span, by a few hundredths of a ppm (0.01-0.09)")
def lstms_ahead_on_test(nb):
    gaps = [mean_mae(nb, "linear AR") - mean_mae(nb, name) for name in LSTMS]
    return all(0.01 <= g <= 0.09 for g in gaps), "AR minus direct/free: " + "/".join(f"{g:+.3f}" for g in gaps)


@story.claim("§5, §7", "The AR chosen on validation has about two dozen coefficients (p from 20 to 24)")
def ar_order(nb):
    return 20 <= nb.best_p <= 24, f"p = {nb.best_p}"


@story.claim("§7", "The training years grew by about 1.1 ppm per year (12 mu), the test years by about 1.7")
def growth_rates(nb):
    train, test = growth(nb, nb.split.train), growth(nb, nb.split.test)
    twelve_mu = 12 * nb.differencer.scaler.mean.item()
    ok = 1.05 <= twelve_mu <= 1.2 and abs(train - twelve_mu) < 0.01 and 1.6 <= test <= 1.8
    return ok, f"12 mu {twelve_mu:.2f}, training {train:.2f}, test {test:.2f} ppm per year"


@story.claim("§7, Exercise 3", "Every forecast falls behind: mean error at k = 12 below 0 for every method")
def every_forecast_behind(nb):
    return all(b < 0 for b in nb.bias.values()), ", ".join(f"{n} {b:+.2f}" for n, b in nb.bias.items())


@story.claim("§7", "The error grows with the horizon (MAE at k = 12 above k = 1 for the AR and both LSTMs)")
def error_grows(nb):
    pairs = {name: (nb.mae[name][0].item(), nb.mae[name][-1].item()) for name in FITTED}
    return all(b > a for a, b in pairs.values()), ", ".join(f"{n} {a:.2f}->{b:.2f}" for n, (a, b) in pairs.items())


@story.claim("§7", "Much of the error at k = 12 is a bias (|mean error| at least 30% of the MAE) for the AR and LSTMs")
def much_is_bias(nb):
    shares = {name: abs(nb.bias[name]) / nb.mae[name][-1].item() for name in FITTED}
    return min(shares.values()) >= 0.3, ", ".join(f"{n} {v:.0%}" for n, v in shares.items())


@story.claim("Summary", "The AR and both LSTMs reach a similar MAE of about half a ppm, a third of seasonal "
             "naive's (0.25-0.4 of it)")
def a_third_of_seasonal_naive(nb):
    values = {name: mean_mae(nb, name) for name in FITTED}
    ratios = [v / mean_mae(nb, "seasonal naive") for v in values.values()]
    ok = all(0.4 <= v <= 0.6 for v in values.values()) and all(0.25 <= r <= 0.4 for r in ratios)
    return ok, ", ".join(f"{n} {v:.2f}" for n, v in values.items()) + f"; ratios {min(ratios):.2f}-{max(ratios):.2f}"


@story.claim("Exercise 3", "Refitting on 1958-1995 leaves the lag: the mean error at k = 12 changes by less than "
             "half (the solution's prediction b comes true)")
def refit_keeps_the_lag(nb):
    from helpers.exercises.nb06 import refit_outcome

    outcome = refit_outcome((nb.before, nb.after))
    return outcome == "b", f"before {nb.before:+.2f}, after {nb.after:+.2f} ppm: ({outcome})"


@story.claim("Going further", "The ensemble's MAE is never above its members' average")
def ensemble_beats_average_member(nb):
    measured, ok = [], True
    for name, runs in (("LSTM direct", nb.direct_runs(nb.past)), ("LSTM free-running", nb.free_runs(nb.past))):
        members = torch.stack([(run - nb.future).abs().mean() for run in runs]).mean().item()
        ensemble = mean_mae(nb, name)
        ok &= ensemble <= members + 1e-6
        measured.append(f"{name} {ensemble:.3f} <= {members:.3f}")
    return ok, "; ".join(measured)


@story.claim("Going further", "The seeds' band holds a small fraction of the true values (under 30%); the band "
             "calibrated on validation comes much closer to 90% (75% or more)")
def bands(nb):
    seeds = nb.inside.item()
    calibrated = (nb.test_errors <= nb.q90).float().mean().item()
    ok = seeds < 0.3 and calibrated >= 0.75 and abs(calibrated - 0.9) < abs(seeds - 0.9)
    return ok, f"seeds' band {seeds:.0%}, calibrated band {calibrated:.0%}"

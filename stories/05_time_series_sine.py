"""What notebook 05 (time sequence prediction on sine waves) says, as checks on its own variables.

Run: make story, or .venv/bin/python tools/story.py --notebooks 05.
"""

import torch

from helpers.exercises.nb05 import race_outcome
from stories.story import Story

story = Story(__file__)

PERSISTENCE = 0.792  # the persistence score the text quotes (the data are fixed; no training involved)


@story.claim("§2", "Persistence scores 0.792 over 1000 free steps; AR(2) is exact (below 1e-12)")
def baselines(nb):
    pers, ar2 = (float(nb.baseline_curves[k].mean()) for k in ("persistence", "AR(2), exact"))
    return f"{pers:.3g}" == "0.792" and ar2 < 1e-12, f"persistence {pers:.4g}, AR(2) {ar2:.1e}"


@story.claim("§3", "The Forecaster written out gives the same outputs as helpers.forecast.Forecaster")
def class_equals_helper(nb):
    return bool(nb.same_as_helper), f"torch.equal: {nb.same_as_helper}"


@story.claim("§3", "The one-step loss on the batch falls at every L-BFGS step")
def one_step_loss_falls(nb):
    losses = nb.batch_losses
    ok = all(b < a for a, b in zip(losses, losses[1:], strict=False))
    return ok, " > ".join(f"{v:.2g}" for v in losses)


@story.claim("§4, ex. 3", "The one-step loss on the test waves is tiny (below 1e-4)")
def one_step_loss_tiny(nb):
    return nb.L1_one_step < 1e-4, f"{nb.L1_one_step:.2g}"


@story.claim("ex. 3", "Not overfitted: the one-step loss on the test waves is no larger than on the training batch")
def not_overfitted(nb):
    return nb.L1_one_step <= nb.batch_losses[-1], f"test {nb.L1_one_step:.2g}, batch {nb.batch_losses[-1]:.2g}"


@story.claim("§4", "The free run's error passes 0.05 between about ten and a few hundred steps ahead (10-500)")
def one_step_model_drifts(nb):
    return nb.lost_at is not None and 10 <= nb.lost_at <= 500, f"first k with MSE(k) > 0.05: {nb.lost_at}"


@story.claim("§4", "Its mean over 1000 steps lies between a twentieth of persistence's and about the same (<= 1.2)")
def one_step_mean_range(nb):
    mean = float(nb.curves["LSTM, one-step loss"].mean())
    return PERSISTENCE / 20 <= mean <= 1.2, f"mean MSE {mean:.2g}"


@story.claim("§5, Summary", "After closed-loop training the forecast stays on the waves: MSE(k) < 0.05 at every k")
def closed_loop_stays(nb):
    worst = float(nb.curves["LSTM, closed loop"].max())
    return worst < 0.05, f"largest MSE(k) {worst:.2g}"


@story.claim("§5", "Its mean free-run error is at least ten times smaller than after one-step training")
def closed_loop_tenfold(nb):
    ratio = float(nb.curves["LSTM, one-step loss"].mean() / nb.curves["LSTM, closed loop"].mean())
    return ratio >= 10, f"ratio {ratio:.0f}"


@story.claim("§5", "The one-step loss moved by less than a factor of ten")
def one_step_loss_moved_little(nb):
    ratio = nb.L1_one_step / nb.L1_closed
    return 0.1 < ratio < 10, f"{nb.L1_one_step:.2g} -> {nb.L1_closed:.2g} (x{1 / ratio:.2g})"


@story.claim("§3, §5", "The losses written by hand equal the helpers' one_step_loss and closed_loop_loss")
def losses_by_hand(nb):
    with torch.no_grad():
        w = nb.train[:4, :200]
        y_hat, _ = nb.model(w[:, :-1])
        one = torch.equal(torch.mean((y_hat - w[:, 1:]) ** 2), nb.one_step_loss(nb.model, w))
        w = nb.train[:4, :70]
        free = torch.allclose(nb.free_loss_by_hand(nb.model, w, 20), nb.closed_loop_loss(nb.model, w, 20), atol=1e-7)
    return one and free, f"one-step equal: {one}, closed loop equal: {free}"


@story.claim("§5", "train_in_stages and fit_free_run give the same weights (float64, max |Δ| <= 1e-6)")
def loop_equals_helper(nb):
    return nb.delta <= 1e-6, f"max |Δ| {nb.delta:.0e}"


@story.claim("ex. 2", "Trained the same time on the one-step loss, the rival runs free worse, by more than 2x (b)")
def race_is_b(nb):
    outcome = race_outcome((nb.rival, nb.model))
    return outcome == "b", f"outcome ({outcome})"


@story.claim("§7", "AR(64) wins at one step; the LSTM is ahead at 10 and 50 steps, from about ten steps on")
def mackey_glass_verdict(nb):
    ar, lstm = nb.mg_curves[f"AR({nb.mg_p})"], nb.mg_curves["LSTM"]
    ok = ar[0] < lstm[0] and lstm[9] < ar[9] and lstm[49] < ar[49] and nb.first <= 15
    return ok, f"NMSE(1) AR {ar[0]:.2g} LSTM {lstm[0]:.2g}; ahead from k = {nb.first}"


@story.claim("§7, §9", "At 50 steps the LSTM's error is at least twice lower than AR(64)'s")
def mackey_glass_twice(nb):
    ar, lstm = nb.mg_curves[f"AR({nb.mg_p})"], nb.mg_curves["LSTM"]
    ratio = float(ar[49] / lstm[49])
    return ratio >= 2, f"AR / LSTM at k = 50: {ratio:.2g}"


@story.claim("§8, §9", "Two sines in noise: AR(64) is ahead on average and at most horizons")
def two_sines_verdict(nb):
    ar, lstm = nb.ts_curves[f"AR({nb.ts_p})"], nb.ts_curves["LSTM"]
    ahead = int((ar < lstm).sum())
    measured = f"means AR {ar.mean():.3g} LSTM {lstm.mean():.3g}; AR ahead at {ahead}/50"
    return bool(ar.mean() < lstm.mean()) and ahead > 25, measured


@story.claim("§8", "Both sit near the noise floor (mean NMSE within 2x of it)")
def two_sines_near_floor(nb):
    worst = max(float(c.mean()) for name, c in nb.ts_curves.items() if name != "persistence")
    return worst < 2 * nb.noise_floor, f"worst mean {worst:.3g}, floor {nb.noise_floor:.3g}"

"""What notebook 01 (the vanilla RNN) says, as checks on its own variables. Run: make story."""

import math

import torch

from stories.story import Story

story = Story(__file__)

LN4 = math.log(4)  # the cross-entropy of guessing among four symbols


def ratio(g, lag: int) -> float:
    """The gradient norm from ``lag`` steps back relative to the one from the last step."""
    return float(g[lag] / g[0])


@story.claim("§1", "A feed-forward layer gives the same output for two pasts that end alike")
def feed_forward_blind(nb):
    same = torch.equal(nb.layer(nb.x_a)[0, -1], nb.layer(nb.x_b)[0, -1])
    return same, f"identical: {same}"


@story.claim("§3", "Our RNN equals nn.RNN in outputs and gradients (<= 1e-6 float32, <= 1e-12 float64)")
def equal_to_pytorch(nb):
    errors = {str(d).removeprefix("torch."): nb.compare_with_torch(d) for d in (torch.float32, torch.float64)}
    ok = max(errors["float32"]) <= 1e-6 and max(errors["float64"]) <= 1e-12
    return ok, ", ".join(f"{d} {max(e):.0e}" for d, e in errors.items())


@story.claim("§4", "The loss starts near ln 4 (within 0.1) and falls close to 0 (last 50 steps under 0.15)")
def loop_learns_lag_5(nb):
    first, last = nb.losses[0], sum(nb.losses[-50:]) / 50
    return abs(first - LN4) < 0.1 and last < 0.15, f"first {first:.3f}, last 50 {last:.3f}"


@story.claim("§4, Summary", "fit gives the same losses as the loop written out (max |Δ| <= 1e-6)")
def fit_equals_the_loop(nb):
    delta = max(abs(a - b) for a, b in zip(nb.losses, nb.losses_fit, strict=True))
    return delta <= 1e-6, f"max |Δ| {delta:.0e} over {len(nb.losses)} steps"


@story.claim("§4", "SequenceClassifier computes the same logits as RecallNet, on the same weights")
def helper_class_equals_ours(nb):
    with torch.no_grad():
        same = torch.equal(nb.helper_model(nb.x_probe), nb.model(nb.x_probe))
    return same, f"identical: {same}"


@story.claim("§4, Summary", "Near perfect for short lags (1, 3, 5: at least 95%)")
def short_lags_near_perfect(nb):
    worst = min(nb.test_acc[lag] for lag in (1, 3, 5))
    return worst >= 0.95, f"worst of lags 1-5: {worst:.2f}"


@story.claim(
    "§4, Summary",
    "Falls to chance (25%), or near it, by a lag of about a dozen steps (12: under 45%; 16, 20: under 30%)",
)
def chance_by_a_dozen(nb):
    far = [nb.test_acc[lag] for lag in (12, 16, 20)]
    return far[0] < 0.45 and max(far[1:]) < 0.3, "lags 12/16/20: " + "/".join(f"{a:.2f}" for a in far)


@story.claim("Going further", "The hand-made Jacobian product equals autograd's")
def jacobian_by_hand(nb):
    ok = torch.allclose(nb.dhT_dht, nb.autograd_J, atol=1e-6)
    return ok, f"allclose: {ok}"


@story.claim("§5", "Untrained: the gradient from 12 steps back is less than a hundredth (at least 100 times weaker)")
def under_a_hundredth(nb):
    r = ratio(nb.grads["lag-12 model, untrained"], 12)
    return r < 0.01, f"g[12]/g[0] = {r:.1e}"


@story.claim("§5", "Untrained: from 30 steps back, five to eight orders of magnitude smaller")
def five_to_eight_orders(nb):
    orders = -math.log10(ratio(nb.grads["lag-12 model, untrained"], 30))
    return 5 <= orders <= 8, f"{orders:.1f} orders of magnitude"


@story.claim("§5", "Trained at lag 5: the gradient peaks at 5, decays slower, yet still falls (g[30] < g[5] / 10)")
def lag_5_profile(nb):
    trained, fresh = nb.grads["model trained at lag 5"], nb.grads["lag-12 model, untrained"]
    peak = int(torch.as_tensor(trained).argmax())
    slower = ratio(trained, 12) > ratio(fresh, 12)
    falls = float(trained[30]) < float(trained[5]) / 10
    measured = f"peak at {peak}, g[12]/g[0] {ratio(trained, 12):.2g}, g[30]/g[5] {float(trained[30] / trained[5]):.1e}"
    return peak == 5 and slower and falls, measured


@story.claim("§5, Summary", "At lag 12 the loss stays near ln 4 throughout (every 50-step mean within 0.1 of it)")
def lag_12_stuck(nb):
    h = nb.histories[12]
    means = [sum(h[k : k + 50]) / 50 for k in range(0, len(h) - 49, 10)]
    worst = max(abs(m - LN4) for m in means)
    return worst < 0.1, f"largest distance of a 50-step mean from ln 4: {worst:.3f}"


@story.claim("§6", "From the lag-9 weights the gradient from 12 steps back is tens to hundreds of times larger")
def lag_9_reaches_back(nb):
    gain = ratio(nb.g_start, 12) / ratio(nb.g_fresh, 12)
    return 10 <= gain <= 1000, f"{gain:.0f} times"


@story.claim(
    "§6, Summary",
    "From the lag-9 weights the network learns lag 12: about half to four in five right (45-85%), above fresh",
)
def lag_12_from_lag_9(nb):
    acc = nb.acc_12_from_9
    return 0.45 <= acc <= 0.85 and acc > nb.test_acc[12], f"{acc:.2f} from lag 9, {nb.test_acc[12]:.2f} fresh"

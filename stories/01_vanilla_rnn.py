"""What notebook 01 (the vanilla RNN) says, as checks on its own variables. Run: make story."""

import math

import torch

from stories.story import Story

story = Story(__file__)


@story.claim("§1", "A feed-forward layer gives the same output for two pasts that end alike")
def feed_forward_blind(nb):
    same = torch.equal(nb.layer(nb.x_a)[0, -1], nb.layer(nb.x_b)[0, -1])
    return same, f"identical: {same}"


@story.claim("§3", "Our RNN equals nn.RNN in outputs and gradients (<= 1e-6 float32, <= 1e-12 float64)")
def equal_to_pytorch(nb):
    errors = {str(d).removeprefix("torch."): nb.compare_with_torch(d) for d in (torch.float32, torch.float64)}
    ok = max(errors["float32"]) <= 1e-6 and max(errors["float64"]) <= 1e-12
    return ok, ", ".join(f"{d} {max(e):.0e}" for d, e in errors.items())


@story.claim("§4", "Near perfect for short lags (1, 3, 5: at least 95%)")
def short_lags_near_perfect(nb):
    worst = min(nb.test_acc[lag] for lag in (1, 3, 5))
    return worst >= 0.95, f"worst of lags 1-5: {worst:.2f}"


@story.claim("§4, Summary", "Falls to chance (25%) by a lag of about a dozen steps (lags 12-20 under 35%)")
def chance_by_a_dozen(nb):
    far = [nb.test_acc[lag] for lag in (12, 16, 20)]
    return max(far) < 0.35, "lags 12/16/20: " + "/".join(f"{a:.2f}" for a in far)


@story.claim("§5", "The hand-made Jacobian product equals autograd's")
def jacobian_by_hand(nb):
    ok = torch.allclose(nb.dhT_dht, nb.autograd_J, atol=1e-6)
    return ok, f"allclose: {ok}"


@story.claim("§5", "Untrained: the gradient from 30 steps back is about a million times smaller than from the last")
def million_times_smaller(nb):
    g = nb.grads["untrained RNN"]
    orders = math.log10(g[0] / g[30])
    return 5 <= orders <= 7, f"{orders:.1f} orders of magnitude"

"""What notebook 03 (the gates of a trained LSTM at work) says, as checks on its own variables. Run: make story.

The ranges quoted in the notebook's text (§5, Going further) are the ones these checks accept; they were read off
the runs of the story check and of the previous seed screens (15 seeds on the reference, scalar and
mixed paths), with room to spare only where the text says "about".
"""

import torch

from stories.story import Story

story = Story(__file__)

GUESSING = float(torch.log(torch.tensor(4.0)))


def windows(history):
    """The training losses averaged over windows of 20 steps, as the notebook's plot draws them."""
    return torch.tensor(history).reshape(-1, 20).mean(dim=1)


def phase_means(nb):
    """{phase: (f_t, i_t, o_t)} mean over the 500 recorded sequences, as the notebook prints them."""
    return {label: [float(nb.many[name][where].mean()) for name in ("f_t", "i_t", "o_t")]
            for label, where in nb.phases.items()}


def saturation(nb, recording):
    """{gate: (fraction below 0.1, fraction above 0.9)} of a recording."""
    return {name: (float(low), float(high)) for name, (low, high) in nb.saturation_table(recording).items()}


@story.claim("§2", "Parameters: about the same for both networks (within 2%)")
def same_size(nb):
    counts = {kind: sum(p.numel() for p in nb.models[kind, nb.SEEDS[0]].parameters()) for kind in nb.sizes}
    a, b = counts["lstm"], counts["rnn"]
    return abs(a - b) <= 0.02 * max(a, b), f"LSTM {a}, RNN {b}"


@story.claim("§2", "train_memory runs the written-out loop: the same losses")
def loop_equals_helper(nb):
    same = nb.by_hand == nb.by_helper
    return same and len(nb.by_hand) == 25, f"{len(nb.by_hand)} losses, identical: {same}"


@story.claim("§2", "The LSTM's loss stays near guessing for about 100 steps (windows to step 80 above 1.2)")
def lstm_starts_at_guessing(nb):
    first = min(float(windows(nb.losses["lstm", s])[:4].min()) for s in nb.SEEDS)
    return first > 1.2, f"lowest window up to step 80: {first:.2f}"


@story.claim("§2", "... then falls below 1.0 by step 200 in every seed")
def lstm_learns_by_200(nb):
    steps = []
    for s in nb.SEEDS:
        below = (windows(nb.losses["lstm", s]) < 1.0).nonzero()
        steps.append(20 * (int(below[0]) + 1) if len(below) else None)
    ok = all(step is not None and step <= 200 for step in steps)
    return ok, "first window below 1.0 ends at step " + "/".join(str(step) for step in steps)


@story.claim("§2", "The longer sequences of the second stage hardly disturb it (windows after step 400 below 0.5)")
def second_stage_harmless(nb):
    worst = max(float(windows(nb.losses["lstm", s])[20:].max()) for s in nb.SEEDS)
    return worst < 0.5, f"highest window after step 400: {worst:.2f}"


@story.claim("§2", "The RNN's loss never leaves ln 4 (every window above 1.3)")
def rnn_stays_at_guessing(nb):
    lowest = min(float(windows(nb.losses["rnn", s]).min()) for s in nb.SEEDS)
    return lowest > 1.3, f"lowest RNN window: {lowest:.3f} (ln 4 = {GUESSING:.3f})"


@story.claim("§3, Summary", "Averaged over its three seeds the LSTM scores more than 90% at every delay, 200 included")
def lstm_mean_above_90(nb):
    runs = torch.tensor([nb.acc["lstm", s] for s in nb.SEEDS])  # (seed, delay)
    mean = runs.mean(dim=0)
    measured = "mean at delays 10/40/100/200: " + "/".join(f"{a:.3f}" for a in mean)
    return bool((mean > 0.9).all()), f"{measured}; worst seed's worst delay {float(runs.min()):.3f}"


@story.claim("§3", "Its best seed scores 99% or more at every delay")
def lstm_best_seed(nb):
    best = max(min(nb.acc["lstm", s]) for s in nb.SEEDS)
    return best >= 0.99, f"best seed's worst delay: {best:.3f}"


@story.claim("§3, Summary", "The RNN stays at chance at every delay (every seed under 30%)")
def rnn_at_chance(nb):
    worst = max(max(nb.acc["rnn", s]) for s in nb.SEEDS)
    return worst < 0.30, f"highest RNN accuracy: {worst:.3f}"


@story.claim("§4", "The recorded h_t equals nn.LSTM's to 1e-5")
def trace_equals_torch(nb):
    error = float(nb.max_error(nb.many.h_t, nb.h_torch.detach()))
    return error < 1e-5, f"max |Δ| {error:.1e}"


@story.claim("§5, Summary", "At the mark f_t falls and i_t rises (from before the mark); after it f_t is above before")
def phases_in_order(nb):
    m = phase_means(nb)
    f_b, i_b, _ = m["before the mark"]
    f_at, i_at, _ = m["at the mark"]
    f_after = m["after the mark"][0]
    ok = f_at < f_b and i_at > i_b and f_after > f_b
    return ok, f"f before/at/after {f_b:.2f}/{f_at:.2f}/{f_after:.2f}, i before/at {i_b:.2f}/{i_at:.2f}"


@story.claim("§5", "Ranges: at the mark f_t 0.1-0.35, i_t 0.6-0.85; after it f_t 0.65-0.8, i_t near 0.5 (0.4-0.65)")
def phase_ranges(nb):
    m = phase_means(nb)
    f_at, i_at, _ = m["at the mark"]
    f_after, i_after, _ = m["after the mark"]
    ok = 0.1 <= f_at <= 0.35 and 0.6 <= i_at <= 0.85 and 0.65 <= f_after <= 0.8 and 0.4 <= i_after <= 0.65
    return ok, f"at: f {f_at:.2f}, i {i_at:.2f}; after: f {f_after:.2f}, i {i_after:.2f}"


@story.claim("§5", "The recording obeys C_t = f_t ⊙ C_prev + i_t ⊙ C~_t and h_t = o_t ⊙ tanh(C_t)")
def equations_hold(nb):
    cell = torch.isclose(nb.f_t * nb.C_prev + nb.i_t * nb.C_tilde_t, nb.C_t).item()
    out = torch.isclose(nb.o_t * torch.tanh(nb.C_t), nb.h_t).item()
    return cell and out, f"C_t: {cell}, h_t: {out}"


@story.claim("§6, Summary", "The answer explains a good share of C_T in almost every unit (all but 2 at eta² >= 0.4)")
def eta_squared_spread(nb):
    score = nb.score
    weak = int((score < 0.4).sum())
    return weak <= 2, f"eta² from {float(score.min()):.2f} to {float(score.max()):.2f}, {weak} under 0.4"


@story.claim("§6, Summary", "No unit alone names the answer as often as all sixteen together")
def distributed_code(nb):
    best, together = float(nb.alone.max()), float(nb.together)
    median = float(nb.alone.median())
    return best < together, f"best unit alone {best:.2f}, median {median:.2f}, together {together:.2f}"


@story.claim("§6, Summary", "None of the three best units holds still: input gates above 0.1 on average after the mark")
def best_units_rewrite(nb):
    after = nb.phases["after the mark"]
    i_after = [float(nb.many.i_t[..., u][after].mean()) for u in nb.order[:3]]
    return min(i_after) > 0.1, "i_t after the mark: " + "/".join(f"{v:.2f}" for v in i_after)


@story.claim("Going further", "Before training no gate is ever below 0.1 or above 0.9")
def untrained_never_saturated(nb):
    table = saturation(nb, nb.before)
    worst = max(max(pair) for pair in table.values())
    return worst == 0.0, f"largest fraction: {worst:.4f}"


@story.claim("Going further", "After: f_t above 0.9 15-35% of the time, o_t above 0.9 20-50%, i_t below 0.1 2-20%")
def trained_saturation_ranges(nb):
    table = saturation(nb, nb.many)
    f_high, o_high, i_low = table["f_t"][1], table["o_t"][1], table["i_t"][0]
    ok = 0.15 <= f_high <= 0.35 and 0.2 <= o_high <= 0.5 and 0.02 <= i_low <= 0.2
    return ok, f"f_t > 0.9: {100 * f_high:.1f}%, o_t > 0.9: {100 * o_high:.1f}%, i_t < 0.1: {100 * i_low:.1f}%"


@story.claim("Going further", "Most values of f_t and i_t still lie in between")
def mostly_in_between(nb):
    table = saturation(nb, nb.many)
    middle = {name: 1 - sum(table[name]) for name in ("f_t", "i_t")}
    ok = all(v > 0.5 for v in middle.values())
    return ok, ", ".join(f"{name} in between {100 * v:.0f}%" for name, v in middle.items())

"""What notebook 07 (LSTM variants and the GRU) says, as checks on its own variables. Run: make story."""

from stories.story import Story

story = Story(__file__)

GATED = ["gru", "lstm", "peepholes", "coupled", "no_forget_gate", "no_output_gate", "no_output_activation"]


@story.claim("§2", "PyTorch's candidate (reset gate after the product) differs from the paper's on the same weights")
def placements_differ(nb):
    gap = nb.max_error(nb.h_tilde_pytorch, nb.h_tilde_t)
    return gap > 1e-3, f"largest difference {gap:.2g}"


@story.claim("§2, Summary", "Our GRUCell and GRU equal nn.GRUCell and nn.GRU (<= 1e-6 float32, <= 1e-12 float64)")
def gru_equal(nb):
    worst = {str(d).removeprefix("torch."): max(e.values()) for d, e in nb.gru_errors.items()}
    return worst["float32"] <= 1e-6 and worst["float64"] <= 1e-12, ", ".join(f"{d} {e:.0e}" for d, e in worst.items())


@story.claim("§3", "LSTMVariant 'lstm' and 'peepholes' (peepholes at 0) equal nn.LSTM (<= 1e-6)")
def variants_equal_lstm(nb):
    return max(nb.variant_errors.values()) <= 1e-6, ", ".join(f"{k} {v:.0e}" for k, v in nb.variant_errors.items())


@story.claim("§4", "Every cell has about the LSTM's parameter count (within 10%)")
def params_matched(nb):
    counts = {k: nb.n_parameters(k, n) for k, n in nb.HIDDEN.items()}
    worst = max(abs(c - nb.target) / nb.target for c in counts.values())
    return worst <= 0.10, f"target {nb.target}, worst {100 * worst:.0f}% off"


@story.claim("§4, Summary", "The vanilla RNN stays at chance (under 35% at every delay)")
def rnn_at_chance(nb):
    best = max(nb.race["rnn"])
    return best < 0.35, f"best delay {best:.2f}"


@story.claim("§4, Summary", "Every gated cell answers at least 85% right at delay 10, inside its training range")
def gated_learn(nb):
    lowest = min(nb.race[k][0] for k in GATED)
    return lowest >= 0.85, f"lowest {lowest:.2f}"


@story.claim("§4", "... most of them all (at least 4 of the 7 gated cells at 99% or more at delay 10)")
def most_perfect(nb):
    n = sum(nb.race[k][0] >= 0.99 for k in GATED)
    return n >= 4, f"{n} of 7"


@story.claim("§6", "Both counters are right on every training string (n = 1..10)")
def counters_learned(nb):
    ok = {name: bool(r[:10].all()) for name, r in nb.right.items()}
    return all(ok.values()), str(ok)


@story.claim("§6, Summary", "The GRU stops one or two beyond its training strings (right up to 11 or 12)")
def gru_stops(nb):
    n = nb.counted_to["GRU"]
    return 11 <= n <= 12, f"GRU right up to {n}"


@story.claim("§6, Summary", "The LSTM counts further than the GRU")
def lstm_further(nb):
    return nb.counted_to["LSTM"] > nb.counted_to["GRU"], str(nb.counted_to)


@story.claim("§6", "One LSTM unit moves by almost the same amount at every a (spread under 10% of its step)")
def steady_steps(nb):
    on_a = nb.step[:29]
    spread = (on_a[4:].std() / on_a.mean().abs()).item()
    return spread < 0.1, f"unit {nb.unit_C}, relative spread {spread:.3f}"


@story.claim("§6", "... and back by about as much at every b: opposite signs, sizes within a few percent (under 10%)")
def steps_differ(nb):
    a, b = nb.step[:29].mean().item(), nb.step[30:].mean().item()
    gap = abs(a + b) / abs(a)
    return a * b < 0 and gap < 0.1, f"a {a:+.3f}, b {b:+.3f}, gap {100 * gap:.1f}%"


@story.claim("§6", "The count goes far outside a gate's or a tanh's range (|C| above 5 after 30 a's)")
def count_is_large(nb):
    top = nb.C[29, nb.unit_C].abs().item()
    return top > 5, f"|C| after 30 a's: {top:.1f}"


@story.claim("§6", "The GRU's steps shrink: on a's 25-29 under a tenth of its largest on the first 5 a's")
def gru_saturates(nb):
    ratio = (nb.gru_late / nb.gru_early).item()
    return ratio < 0.1, f"early {nb.gru_early:.3f}, late {nb.gru_late:.5f}, ratio {ratio:.4f}"


@story.claim("Going further", "gradcheck passes for both placements of the reset gate")
def gradcheck_passes(nb):
    return all(nb.gradchecks.values()), str(nb.gradchecks)


@story.claim("Going further", "The coupled variant written by hand equals LSTMVariant('coupled') (<= 1e-6)")
def coupled_by_hand(nb):
    return nb.coupled_error <= 1e-6, f"{nb.coupled_error:.0e}"

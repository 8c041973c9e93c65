"""What notebook 07 (LSTM variants and the GRU) says, as checks on its own variables. Run: make story."""

import json
import statistics
from pathlib import Path

from stories.story import Story

story = Story(__file__)
ROOT = Path(__file__).resolve().parents[1]
STUDY = ROOT / "studies" / "results" / "study_variants.json"  # §5 quotes it: the same in every run

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


def _study():
    return json.loads(STUDY.read_text())["result"]


def _forecast(kind, horizon):
    return [r["nmse"][horizon - 1] for r in _study()["runs"]["forecast"] if r["kind"] == kind]


def _notebook_text(start):
    cells = json.loads((ROOT / "notebooks" / "07_lstm_variants.ipynb").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if "".join(c["source"]).startswith(start))


@story.claim("§5", "The table is the committed result of studies/study_variants.py (medians and ranges)")
def table_is_the_study(nb):
    text, wrong = _notebook_text("## 5."), []
    for kind in ["rnn", *GATED, "lstm_bias0"]:
        row = _study()["table"][kind]
        cells = [f"{m:.2f} ({lo:.2f}–{hi:.2f})" for m, lo, hi in row["memory"][1:]]
        cells += [f"{m:.3f} ({lo:.3f}–{hi:.3f})" for m, lo, hi in row["forecast"]]
        wrong += [kind] if not all(cell in text for cell in cells) else []
    return not wrong, f"rows that differ from the study: {wrong}" if wrong else "every row matches"


@story.claim("§5,Summary", "At 50 steps each forecast of no forget gate, coupled, GRU, RNN is worse than any LSTM run")
def free_writers_worse(nb):
    lstm_worst = max(_forecast("lstm", 50))
    best = {k: min(_forecast(k, 50)) for k in ("no_forget_gate", "coupled", "gru", "rnn")}
    return min(best.values()) > lstm_worst, f"LSTM worst {lstm_worst:.3f}; their best " + ", ".join(
        f"{k} {v:.3f}" for k, v in best.items())


@story.claim("§5, Summary", "Peepholes, no output tanh: forecast medians within 2x of the LSTM's (10, 50 steps)")
def little_change(nb):
    ratios = {(k, h): statistics.median(_forecast(k, h)) / statistics.median(_forecast("lstm", h))
              for k in ("peepholes", "no_output_activation") for h in (10, 50)}
    return all(0.5 <= r <= 2 for r in ratios.values()), ", ".join(f"{k} {h}: {r:.2f}" for (k, h), r in ratios.items())


@story.claim("§5", "Without an output gate the forecast's median was the best of all (10 and 50 steps)")
def no_output_gate_best(nb):
    best = {h: min(GATED + ["rnn"], key=lambda k: statistics.median(_forecast(k, h))) for h in (10, 50)}
    return all(k == "no_output_gate" for k in best.values()), f"best median: {best}"


@story.claim("§5", "Memory at delay 100: the ranges of the seven gated cells overlap")
def memory_ranges_overlap(nb):
    ranges = {k: _study()["table"][k]["memory"][2][1:] for k in GATED}
    highest_low, lowest_high = max(lo for lo, _ in ranges.values()), min(hi for _, hi in ranges.values())
    return highest_low < lowest_high, f"highest low {highest_low:.2f} < lowest high {lowest_high:.2f}"


@story.claim("§5", "The LSTM (forget bias 1) beat the GRU in every forecast run (10 and 50 steps)")
def lstm_beats_gru(nb):
    ok = all(max(_forecast("lstm", h)) < min(_forecast("gru", h)) for h in (10, 50))
    return ok, ", ".join(f"{h}: LSTM worst {max(_forecast('lstm', h)):.3f}, GRU best {min(_forecast('gru', h)):.3f}"
                         for h in (10, 50))


@story.claim("§6", "In the study the GRU stopped at 11 or 12 in every run; the LSTM range is the one quoted")
def study_counting(nb):
    counting = _study()["counting"]
    _, low, high = counting["gru"]
    quoted = "in the study from n = {1} to {2}".format(*counting["lstm"])
    said = quoted in _notebook_text("Both learned their training strings")
    return 11 <= low <= high <= 12 and said, f"GRU {low} to {high}; LSTM {quoted}: quoted {said}"


@story.claim("§6", "Both counters are right on every training string (n = 1..10)")
def counters_learned(nb):
    ok = {name: bool(r[:10].all()) for name, r in nb.right.items()}
    return all(ok.values()), str(ok)


@story.claim("§6, Summary", "The GRU stops just beyond its training strings (right up to 11 or 12)")
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
    top = nb.C_lstm[29, nb.unit_C].abs().item()
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

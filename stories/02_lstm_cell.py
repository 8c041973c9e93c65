"""What notebook 02 (the LSTM cell) says, as checks on its own variables. Run: make story."""

import json
import math
from pathlib import Path

import torch

from stories.story import Story

story = Story(__file__)

DEFAULT, BIAS_1, BIAS_3, RNN = "LSTM, default init", "LSTM, forget bias +1", "LSTM, forget bias +3", "vanilla RNN"
BENCH = Path(__file__).resolve().parents[1] / "studies" / "results" / "bench_lstm.json"


def per_step(g: torch.Tensor) -> float:
    """The notebook's per-step factor: geometric mean of the shrinkage over lags 20 to 80."""
    return float((g[80] / g[20]) ** (1 / 60))


@story.claim("§2", "A gate of 0.9975 (z = +6) lets v through almost unchanged (within 1%)")
def open_gate_passes(nb):
    ok = torch.allclose(nb.g * nb.v, nb.v, rtol=0.01, atol=0)
    return ok, f"gate {float(nb.g[0]):.4f}"


@story.claim("§3", "Every entry of f_t lies between 0 and 1")
def forget_gate_in_range(nb):
    low, high = float(nb.f_t.min()), float(nb.f_t.max())
    return 0 < low and high < 1, f"{low:.3f} to {high:.3f}"


@story.claim("§6", "The tanh keeps every entry of h_t between -1 and 1")
def hidden_state_in_range(nb):
    biggest = float(nb.h_t.abs().max())
    return biggest < 1, f"max |h_t| {biggest:.3f}"


@story.claim("§7", "The plain step equals steps 1-4 (printed True)")
def plain_equals_steps(nb):
    same = torch.equal(nb.h_plain, nb.h_t) and torch.equal(nb.C_plain, nb.C_t)
    return same, f"equal: {same}"


@story.claim("§7", "Fused and plain give the same numbers up to rounding (max |Δ| <= 1e-6)")
def fused_equals_plain(nb):
    return nb.fused_error <= 1e-6, f"{nb.fused_error:.0e}"


@story.claim("§7", "LSTMCell equals the plain step (max |Δ| <= 1e-6), and trace's f_t is step 1's")
def cell_equals_plain(nb):
    same_gate = torch.allclose(nb.gates.f_t[:, 0], nb.f_t)
    return nb.cell_error <= 1e-6 and same_gate, f"{nb.cell_error:.0e}, f_t allclose: {same_gate}"


@story.claim("§8, Summary", "Our LSTM equals nn.LSTM, outputs and gradients (<= 1e-6 float32, <= 1e-12 float64)")
def equal_to_pytorch(nb):
    e32, e64 = nb.torch_errors[torch.float32], nb.torch_errors[torch.float64]
    return e32 <= 1e-6 and e64 <= 1e-12, f"float32 {e32:.0e}, float64 {e64:.0e}"


@story.claim("§9, Summary", "Default init: forget gates average about 0.5 (0.48 to 0.52)")
def default_gates_half(nb):
    f = float(nb.forget[DEFAULT])
    return abs(f - 0.5) <= 0.02, f"mean f_t {f:.3f}"


@story.claim("§9, Summary", "Untrained LSTM vanishes about as fast as the RNN: about 0.6 per step for both (0.5-0.7)")
def default_as_fast_as_rnn(nb):
    lstm, rnn = per_step(nb.grads[DEFAULT]), per_step(nb.grads[RNN])
    return 0.5 <= min(lstm, rnn) and max(lstm, rnn) <= 0.7, f"LSTM {lstm:.3f}, RNN {rnn:.3f}"


@story.claim("§9", "Both below 1e-10 by lag 50")
def both_below_by_lag_50(nb):
    worst = max(float(nb.grads[DEFAULT][50]), float(nb.grads[RNN][50]))
    return worst < 1e-10, f"larger of the two at lag 50: {worst:.1e}"


@story.claim("§9", "Forget bias +1: gates about 0.73 (0.70-0.76), about 0.85 per step (0.80-0.90), still exponential")
def bias_one(nb):
    f, step = float(nb.forget[BIAS_1]), per_step(nb.grads[BIAS_1])
    decays = float(nb.grads[BIAS_1][99] / nb.grads[BIAS_1][0]) < 1e-4
    return 0.70 <= f <= 0.76 and 0.80 <= step <= 0.90 and decays, f"mean f_t {f:.3f}, per step {step:.3f}"


@story.claim("§9, Summary", "Bias +3: gates average 0.95 (0.94-0.96); beyond a few lags the gradient hardly shrinks")
def bias_three_levels_off(nb):
    f, step = float(nb.forget[BIAS_3]), per_step(nb.grads[BIAS_3])
    return 0.94 <= f <= 0.96 and step >= 0.97, f"mean f_t {f:.3f}, per step {step:.3f}"


@story.claim("§9", "The per-step factors are not the mean forget gates (each exceeds its mean f_t by over 0.03)")
def per_step_is_not_mean_gate(nb):
    gaps = {name: per_step(nb.grads[name]) - float(nb.forget[name]) for name in (DEFAULT, BIAS_1, BIAS_3)}
    return min(gaps.values()) > 0.03, "per step - mean f_t: " + "/".join(f"{gap:.2f}" for gap in gaps.values())


@story.claim("§9", "One unit at sigma(3): half its memory in about 14 steps, 0.95^89 about 0.01")
def single_unit_arithmetic(nb):
    keep = 1 / (1 + math.exp(-3))
    half_life, left = math.log(0.5) / math.log(keep), keep**89
    return 13.5 <= half_life <= 14.5 and 0.005 <= left <= 0.02, f"{half_life:.1f} steps, {left:.3f} after 89"


@story.claim("§9", "From lag 10 to lag 99 the +3 gradient changes by less than a factor of 5")
def bias_three_lag_10_to_99(nb):
    g = nb.grads[BIAS_3]
    ratio = float(g[99] / g[10])
    return 1 / 5 < ratio < 5, f"g[99] / g[10] = {ratio:.2f}"


@story.claim("Exercises", "Ex. 1: bias +6 gives f_t about 0.997; ex. 2: its gradient is larger at lag 99 than 10")
def bias_six_grows(nb):
    f, ratio = float(nb.f_six), float(nb.g_six[99] / nb.g_six[10])
    return abs(f - 0.997) <= 0.001 and ratio > 1, f"mean f_t {f:.4f}, g[99] / g[10] = {ratio:.2f}"


@story.claim("Going further", "gradcheck passes")
def gradcheck_passes(nb):
    return nb.ok is True, f"gradcheck: {nb.ok}"


@story.claim("Going further", "Bench (studies/results/bench_lstm.json): the table's ratios, our LSTM within 10% of "
             "the cell loop, our cell loop 19-60% more, nn.LSTM over 20x faster alone, 10-25% faster in batches")
def bench_as_quoted(nb):
    shapes = json.loads(BENCH.read_text())["result"]["shapes"]
    ratios = [s["ratio_to_reference"] for s in shapes]
    quoted = [(0.94, 0.88), (0.94, 0.77), (1.05, 0.03)]  # the table: our LSTM, nn.LSTM
    table = all(round(r["helpers LSTM"], 2) == ours and round(r["nn.LSTM"], 2) == theirs
                for r, (ours, theirs) in zip(ratios, quoted, strict=True))
    ours_close = all(abs(r["helpers LSTM"] - 1) <= 0.1 for r in ratios)
    cell_loop = [r["helpers cell loop"] - 1 for r in ratios]
    alone, batches = ratios[2]["nn.LSTM"], [1 - r["nn.LSTM"] for r in ratios[:2]]
    ok = (table and ours_close and round(min(cell_loop), 2) == 0.19 and round(max(cell_loop), 2) == 0.60
          and alone < 1 / 20 and all(0.10 <= b <= 0.25 for b in batches))
    loop = f"+{min(cell_loop):.2f} to +{max(cell_loop):.2f}"
    return ok, f"ours {[r['helpers LSTM'] for r in ratios]}, cell loop {loop}, nn.LSTM {[r['nn.LSTM'] for r in ratios]}"

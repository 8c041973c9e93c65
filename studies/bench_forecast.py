"""The classic time-sequence-prediction recipe against ours, on the classic data, in one run.

Classic: two stacked LSTM cells of 51 units in float64, trained on the one-step loss of 97 sine waves
of 1000 steps with L-BFGS (lr 0.8, no line search, up to 20 iterations per step) for 15 steps, as in the
PyTorch examples repository (pytorch/examples, time_sequence_prediction); we rewrote it with our
helpers. Ours: one LSTM layer of 48 units in float32, trained only in closed loop, by a curriculum of
free runs of 10, 40, 150 and 500 steps after 20 steps of context (helpers.forecast.fit_free_run),
each stage a few L-BFGS steps with a line search on 32 or 64 random windows; on 5 seeds.

Both are scored the same way: each of the 3 test waves is given as 1000 steps of context, the model
runs free for the next 1000 steps, and the MSE against the true continuation is reported. Timings
cover training only, wall clock and CPU time of this process, one torch thread. "final loss" is
the training loss at the start of the last L-BFGS step; the classic run is flagged as diverged at
the first step whose loss is above 10 times the lowest loss before it (or not finite).

Usage: .venv/bin/python studies/bench_forecast.py [--classic-steps 15] [--seeds 5] [--skip-classic] [--no-save]
One run on a quiet 2-core machine took about 7 minutes (classic 319 s, ours 11-15 s per seed);
run it in the background, e.g. ``nohup .venv/bin/python studies/bench_forecast.py > /dev/null &``.
It writes studies/results/bench_forecast.json and .md.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import torch

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.forecast import Forecaster, Stage, fit_free_run, forecast, one_step_loss  # noqa: E402
from helpers.series import classic_sine_data  # noqa: E402
from helpers.train import fit  # noqa: E402
from studies.results import Study, add_arguments  # noqa: E402

# Our recipe: closed loop from the start, free runs of growing length (context, horizon, steps, windows).
OUR_HIDDEN = 48
OUR_STAGES = [
    Stage(context=20, horizon=10, steps=4, windows=64),  # read 20 true steps, run free for 10
    Stage(context=20, horizon=40, steps=3, windows=64),
    Stage(context=20, horizon=150, steps=3, windows=64),
    Stage(context=20, horizon=500, steps=2, windows=32),
]
GOAL_MSE = 1e-3
GOAL_RATIO = 25


def free_run_mse(model: torch.nn.Module, data: dict[str, torch.Tensor]) -> float:
    """Mean squared error of the 1000-step free run on the test waves, against the true continuation."""
    ref = next(model.parameters())
    context = data["test"][..., None].to(ref.dtype)
    future = data["test_future"][..., None].to(ref.dtype)
    return float(((forecast(model, context, future.shape[1]) - future) ** 2).mean())


class Clock:
    """Wall-clock and CPU seconds since creation."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def run_classic(data: dict[str, torch.Tensor], steps: int) -> dict[str, float]:
    torch.manual_seed(0)
    model = Forecaster(n_features=1, hidden_size=51, num_layers=2).double()
    train = data["train"][..., None].double()  # (97, 1000, 1)
    test = data["test"][..., None].double()
    optimizer = torch.optim.LBFGS(model.parameters(), lr=0.8)
    best, diverged_at = math.inf, None
    clock = Clock()

    def report(step: int, m: torch.nn.Module, loss: float) -> None:
        nonlocal best, diverged_at
        wall, cpu = clock.read()
        with torch.no_grad():
            test_loss = float(one_step_loss(m, test))
        flag = ""
        if diverged_at is None and (not math.isfinite(loss) or loss > 10 * best):
            diverged_at, flag = step, "  <- diverged (loss above 10x its best so far)"
        best = min(best, loss)
        print(
            f"  classic step {step:2d}: train loss {loss:.3g}, test loss {test_loss:.3g}, "
            f"{wall:.0f} s wall, {cpu:.0f} s CPU{flag}",
            flush=True,
        )

    history = fit(model, one_step_loss, train, steps=steps, optimizer=optimizer, progress=False, callback=report)
    wall, cpu = clock.read()
    return {
        "wall": wall,
        "cpu": cpu,
        "mse": free_run_mse(model, data),
        "last_loss": history[-1],
        "diverged_at": diverged_at if diverged_at is not None else 0,
    }


def run_ours(data: dict[str, torch.Tensor], seed: int) -> dict[str, float]:
    torch.manual_seed(seed)
    model = Forecaster(n_features=1, hidden_size=OUR_HIDDEN)
    clock = Clock()
    history = fit_free_run(model, data["train"][..., None], OUR_STAGES, seed=seed, progress=False)
    wall, cpu = clock.read()
    return {"wall": wall, "cpu": cpu, "mse": free_run_mse(model, data), "last_loss": history[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classic-steps", type=int, default=15, help="L-BFGS steps of the classic recipe")
    parser.add_argument("--seeds", type=int, default=5, help="seeds of our recipe")
    parser.add_argument("--skip-classic", action="store_true", help="run only ours")
    add_arguments(parser)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    with Study("bench_forecast", argv, seeds=list(range(args.seeds)), save=not args.no_save) as study:
        study.result = compare(args)
    return 0


def compare(args: argparse.Namespace) -> dict:
    data = classic_sine_data(seed=2)  # 97 train, 3 test waves of 1000 steps; the 1000 after each test wave
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, CPU")
    print("free-run MSE: 1000 steps after 1000 steps of context, mean over the 3 test waves\n")

    results = {}
    for seed in range(args.seeds):
        r = run_ours(data, seed)
        results[seed] = r
        print(
            f"  ours seed {seed}: free-run MSE {r['mse']:.3g}, final loss {r['last_loss']:.3g}, "
            f"{r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU",
            flush=True,
        )
    walls = [r["wall"] for r in results.values()]
    cpus = [r["cpu"] for r in results.values()]
    mses = [r["mse"] for r in results.values()]
    ok = sum(m <= GOAL_MSE for m in mses)
    print(
        f"ours: median {statistics.median(walls):.1f} s wall, {statistics.median(cpus):.1f} s CPU; "
        f"free-run MSE median {statistics.median(mses):.3g}, worst {max(mses):.3g}; "
        f"{ok}/{len(mses)} seeds at or below {GOAL_MSE:g}\n",
        flush=True,
    )
    record: dict = {"ours": {str(seed): r for seed, r in results.items()},
                    "ours_median": {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
                                    "mse": statistics.median(mses), "mse_worst": max(mses)},
                    "goal_mse": GOAL_MSE, "seeds_at_goal": ok}

    if args.skip_classic:
        return record
    c = run_classic(data, args.classic_steps)
    status = f"diverged at step {c['diverged_at']}" if c["diverged_at"] else "did not diverge"
    print(
        f"classic ({args.classic_steps} L-BFGS steps): free-run MSE {c['mse']:.3g}, final loss "
        f"{c['last_loss']:.3g}, {status}; {c['wall']:.0f} s wall, {c['cpu']:.0f} s CPU\n"
    )

    ratio_wall = c["wall"] / statistics.median(walls)
    ratio_cpu = c["cpu"] / statistics.median(cpus)
    print("| recipe | time (wall) | time (CPU) | free-run MSE |")
    print("|---|---|---|---|")
    print(f"| classic, {args.classic_steps} steps | {c['wall']:.0f} s | {c['cpu']:.0f} s | {c['mse']:.3g} |")
    print(
        f"| ours, median of {len(mses)} seeds | {statistics.median(walls):.1f} s | "
        f"{statistics.median(cpus):.1f} s | {statistics.median(mses):.3g} (worst {max(mses):.3g}) |"
    )
    met = min(ratio_wall, ratio_cpu) >= GOAL_RATIO and ok == len(mses)
    print(
        f"\nspeed-up, classic time / ours: {ratio_wall:.1f}x wall, {ratio_cpu:.1f}x CPU "
        f"(goal: at least {GOAL_RATIO}x, with every seed at or below {GOAL_MSE:g}: "
        f"{'met' if met else 'not met'})"
    )
    record.update(classic=c, classic_steps=args.classic_steps, speedup_wall=ratio_wall, speedup_cpu=ratio_cpu,
                  goal_ratio=GOAL_RATIO, goal_met=met)
    return record


if __name__ == "__main__":
    sys.exit(main())

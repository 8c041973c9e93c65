"""How fast notebook 03's explorer redraws, against a plain matplotlib plot rendered in the same run.

    .venv/bin/python studies/bench_timeline.py      # under a minute; writes studies/results/bench_timeline.*

Each move of the explorer's slider calls ``TimelineExplorer.png(seq, step)``: it redraws the cell diagram and
the cursors over a saved image of the heatmaps (blitting) and encodes a PNG. A new sequence re-renders the
whole figure once. The target is well under 0.3 s per slider move on a 2-core laptop. Times are medians of
several repetitions, on one thread; the ratios compare with rendering a simple line plot of the same size
to PNG in the same run, so that they mean the same on a fast or a busy machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers.diagrams import render_png  # noqa: E402
from helpers.gate_timeline import TimelineExplorer  # noqa: E402
from helpers.gates import trace  # noqa: E402
from helpers.lstm import LSTM  # noqa: E402
from helpers.style import apply_style  # noqa: E402
from helpers.tasks import describe_step, make_memory_batch  # noqa: E402
from studies.results import Study, add_arguments  # noqa: E402

REPEATS = 11


def median_time(fn: Callable[[int], object]) -> float:
    fn(0)  # warm caches
    times = []
    for k in range(1, REPEATS + 1):
        start = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    with Study("bench_timeline", argv, save=not args.no_save) as study:
        study.result = measure()
    return 0


def measure() -> dict:
    torch.set_num_threads(1)
    apply_style()
    torch.manual_seed(0)
    x, _, t_mark = make_memory_batch(4, 60, generator=torch.Generator().manual_seed(0))  # notebook 03's sizes
    recording = trace(LSTM(5, 8, forget_bias=1.0), x)
    explorer = TimelineExplorer(recording, 0, t_marks=t_mark, describe_input=describe_step)

    reference = Figure(figsize=(11.0, 4.6))
    ax = reference.add_subplot()
    grid = np.linspace(0, 10, 200)

    def plain_plot(k: int) -> None:
        ax.clear()
        ax.plot(grid, np.sin(grid + k / REPEATS))
        ax.set(title="reference", xlabel="x (units)", ylabel="sin x")
        render_png(reference)

    timings = {
        "reference: a line plot of the same size, to PNG": median_time(plain_plot),
        "explorer, slider move (blitted)": median_time(lambda k: explorer.png(0, k)),
        "explorer, slider move, full render": median_time(lambda k: render_png(explorer.figure(0, k))),
        "explorer, another sequence": median_time(lambda k: explorer.png(1 + k % 3, 5)),
    }
    base = next(iter(timings.values()))
    for name, seconds in timings.items():
        print(f"{name:50} {1000 * seconds:7.1f} ms  {seconds / base:5.2f} x reference")
    return {"repeats": REPEATS, "rows": [{"what": name, "ms": round(1000 * seconds, 2),
                                          "ratio_to_reference": round(seconds / base, 3)}
                                         for name, seconds in timings.items()]}


if __name__ == "__main__":
    sys.exit(main())

"""How fast the live LSTM cell redraws, against a plain matplotlib plot rendered in the same run.

    .venv/bin/python studies/bench_diagrams.py      # under a minute; writes studies/results/bench_diagrams.*

An explorer redraws the cell on every move of a slider: ``draw_lstm_cell(values, ax=...)`` then
``render_png(fig)`` for an ``ipywidgets.Image``. The target is under 0.2 s on a 2-core laptop.
Times are medians of several repetitions; ratios compare with rendering a simple line plot of the same
size to PNG, measured here, so that they mean the same on a fast or a busy machine.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from helpers.diagrams import draw_lstm_cell, render_png  # noqa: E402
from helpers.style import apply_style  # noqa: E402
from studies.results import Study, add_arguments  # noqa: E402

REPEATS = 15


def median_time(fn: Callable[[int], object]) -> float:
    fn(0)  # warm caches
    times = []
    for k in range(REPEATS):
        start = time.perf_counter()
        fn(k)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    with Study("bench_diagrams", argv, save=not args.no_save) as study:
        study.result = measure()
    return 0


def measure() -> dict:
    apply_style()
    values = {"f_t": 0.9, "i_t": 0.1, "C_tilde_t": -0.4, "o_t": 0.7, "C_prev": 1.2, "C_t": 1.04}
    fig = draw_lstm_cell(values=values)
    ax = fig.axes[0]

    ref_fig, ref_ax = plt.subplots(figsize=fig.get_size_inches())
    x = np.linspace(0, 10, 200)

    def reference(k: int) -> None:
        ref_ax.clear()
        ref_ax.plot(x, np.sin(x + k / REPEATS))
        ref_ax.set(title="reference", xlabel="x (units)", ylabel="sin x")
        render_png(ref_fig)

    def redraw(k: int) -> None:
        draw_lstm_cell(values=dict(values, f_t=k / REPEATS), ax=ax)

    def redraw_and_render(k: int) -> None:
        redraw(k)
        render_png(fig)

    def redraw_and_render_tight(k: int) -> None:  # what display(fig) costs in a notebook
        redraw(k)
        fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")

    ref = median_time(reference)
    print(f"reference: line plot to PNG      {ref * 1e3:7.1f} ms")
    rows = [{"what": "reference: line plot to PNG", "ms": round(ref * 1e3, 2), "ratio_to_reference": 1.0}]
    for name, fn in [
        ("redraw the cell", redraw),
        ("redraw + render_png", redraw_and_render),
        ("redraw + PNG, bbox tight", redraw_and_render_tight),
    ]:
        t = median_time(fn)
        print(f"{name:<32} {t * 1e3:7.1f} ms   {t / ref:5.2f} x reference")
        rows.append({"what": name, "ms": round(t * 1e3, 2), "ratio_to_reference": round(t / ref, 3)})
    plt.close("all")
    return {"repeats": REPEATS, "rows": rows}


if __name__ == "__main__":
    sys.exit(main())

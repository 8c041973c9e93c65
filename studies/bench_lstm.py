"""Speed of our hand-rolled LSTM against PyTorch's, forward + backward, float32, CPU, one thread.

Run from the repository root:

    .venv/bin/python studies/bench_lstm.py            # full run: one to two minutes
    .venv/bin/python studies/bench_lstm.py --quick    # 3 repetitions: under half a minute

It writes studies/results/bench_lstm.json and .md (``--no-save``: print only).

Four ways to run the same one-layer LSTM over a sequence, on the same weights:

* ``helpers LSTM``: :class:`helpers.lstm.LSTM`, our cell stepped through time in Python;
* ``helpers cell loop``: a Python loop calling :class:`helpers.lstm.LSTMCell` (with its input checks);
* ``nn.LSTMCell loop``: a Python loop calling ``torch.nn.LSTMCell``: the reference, ratio 1.00;
* ``nn.LSTM``: ``torch.nn.LSTM``, the whole sequence in C++.

Each timing is the median over repetitions of one forward pass and one backward pass of the sum of
all hidden states; the four ways take turns inside each repetition, so a busy neighbour slows them
alike. Ratios are time / time of the nn.LSTMCell loop measured in the same run (below 1 is faster).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.lstm import LSTM, LSTMCell, copy_from_torch  # noqa: E402
from studies.results import Study, add_arguments  # noqa: E402

SHAPES = [(97, 999, 1, 51), (64, 100, 32, 128), (1, 1000, 1, 64)]  # (batch, time, n_in, n_h)
REFERENCE = "nn.LSTMCell loop"


def cell_loop(cell: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Step any cell with the nn.LSTMCell calling convention through x: (batch, time, n_in)."""
    h = x.new_zeros(x.shape[0], cell.hidden_size)
    state = (h, h)
    hs = []
    for x_t in x.unbind(1):
        state = cell(x_t, state)
        hs.append(state[0])
    return torch.stack(hs, dim=1)


def runners(n_in: int, n_h: int) -> dict[str, Callable[[torch.Tensor], torch.Tensor]]:
    """The four ways on one set of weights, each mapping x (batch, time, n_in) to h_all (batch, time, n_h)."""
    reference = nn.LSTM(n_in, n_h, batch_first=True)
    torch_cell = nn.LSTMCell(n_in, n_h)
    ours = copy_from_torch(LSTM(n_in, n_h), reference)
    our_cell = copy_from_torch(LSTMCell(n_in, n_h), reference)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(torch_cell, name).copy_(getattr(reference, f"{name}_l0"))
    return {
        "helpers LSTM": lambda x: ours(x)[0],
        "helpers cell loop": lambda x: cell_loop(our_cell, x),
        REFERENCE: lambda x: cell_loop(torch_cell, x),
        "nn.LSTM": lambda x: reference(x)[0],
    }


def time_once(run: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> float:
    start = time.perf_counter()
    run(x).sum().backward()
    return time.perf_counter() - start


def bench(shape: tuple[int, int, int, int], repeats: int) -> dict[str, float]:
    """Median milliseconds of forward + backward for each way at one shape."""
    batch, steps, n_in, n_h = shape
    torch.manual_seed(0)
    ways = runners(n_in, n_h)
    x = torch.randn(batch, steps, n_in)
    for run in ways.values():  # warm-up: allocator, first-call dispatch
        time_once(run, x)
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeats):
        for name, run in ways.items():
            times[name].append(time_once(run, x))
    return {name: 1000 * statistics.median(ts) for name, ts in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 repetitions instead of 11")
    parser.add_argument("--repeats", type=int, default=None, help="repetitions per shape (median taken)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 11)
    torch.set_num_threads(1)
    with Study("bench_lstm", argv, save=not args.no_save) as study:
        print(f"torch {torch.__version__}, float32, CPU, 1 thread, median of {repeats} forward+backward passes")
        print("ms (ratio to the nn.LSTMCell loop)\n")
        names = ["helpers LSTM", "helpers cell loop", REFERENCE, "nn.LSTM"]
        header = f"{'batch, time, n_in -> n_h':<26}" + "".join(f"{n:>20}" for n in names)
        print(header)
        print("-" * len(header))
        worst = 0.0
        rows = []
        for shape in SHAPES:
            ms = bench(shape, repeats)
            ref = ms[REFERENCE]
            worst = max(worst, ms["helpers LSTM"] / ref)
            label = f"{shape[0]}, {shape[1]}, {shape[2]} -> {shape[3]}"
            print(f"{label:<26}" + "".join(f"{f'{ms[n]:.1f} ({ms[n] / ref:.2f}x)':>20}" for n in names))
            rows.append({"batch": shape[0], "time": shape[1], "n_in": shape[2], "n_h": shape[3],
                         "ms": {n: round(ms[n], 2) for n in names},
                         "ratio_to_reference": {n: round(ms[n] / ref, 3) for n in names}})
        print(f"\nhelpers LSTM, worst ratio to the nn.LSTMCell loop: {worst:.2f}x (goal: at most 1.20x)")
        study.result = {"reference": REFERENCE, "repeats": repeats, "shapes": rows,
                        "worst_ratio_helpers_lstm": round(worst, 3)}
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Why the notebooks use one torch thread: the same training, 1 and 2 threads, alone and beside a busy process.

    .venv/bin/python studies/bench_threads.py      # about 2 minutes; writes studies/results/bench_threads.*

Each configuration runs in a fresh process; the busy neighbour is a second process spinning on one core,
as a browser tab, another notebook or a CI job would. Times are medians of 3; ratios are against
1 thread alone, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studies.results import Study, add_arguments  # noqa: E402

WORKLOAD = """
import time, torch
torch.set_num_threads({threads})
torch.manual_seed(0)
model = torch.nn.LSTM(8, 64, batch_first=True)
opt = torch.optim.Adam(model.parameters())
x = torch.randn(32, 50, 8)
start = time.perf_counter()
for _ in range(30):
    loss = model(x)[0].square().mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print(time.perf_counter() - start)
"""

SPIN = "import time\nend = time.time() + 600\nwhile time.time() < end:\n    pass\n"


def timed(threads: int) -> float:
    out = subprocess.run([sys.executable, "-c", WORKLOAD.format(threads=threads)],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def median_of(threads: int, repeats: int = 3) -> float:
    return statistics.median(timed(threads) for _ in range(repeats))


def measure() -> dict[tuple[int, str], float]:
    results = {}
    for threads in (1, 2):
        results[(threads, "alone")] = median_of(threads)
        print(f"measured {threads} thread(s) alone: {results[(threads, 'alone')]:.2f} s", flush=True)
    spinner = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        time.sleep(0.5)
        for threads in (1, 2):
            results[(threads, "busy neighbour")] = median_of(threads)
            print(f"measured {threads} thread(s) beside a busy process: {results[(threads, 'busy neighbour')]:.2f} s",
                  flush=True)
    finally:
        spinner.kill()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args(argv)
    with Study("bench_threads", argv, save=not args.no_save) as study:
        results = measure()
        ref = results[(1, "alone")]
        print(f"{'threads':>7} {'machine':<16} {'seconds':>8} {'x (1 thread, alone)':>20}")
        for (threads, machine), seconds in results.items():
            print(f"{threads:>7} {machine:<16} {seconds:8.2f} {seconds / ref:20.2f}")
        study.result = {
            "workload": "30 Adam steps of nn.LSTM(8, 64) on a (32, 50, 8) batch, median of 3 fresh processes",
            "rows": [{"threads": threads, "machine": machine, "seconds": round(seconds, 3),
                      "ratio_to_1_thread_alone": round(seconds / ref, 3)}
                     for (threads, machine), seconds in results.items()],
        }
    return 0


if __name__ == "__main__":
    sys.exit(main())

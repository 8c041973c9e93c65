"""Why the notebooks use one torch thread: the same training, 1 and 2 threads, alone and beside a busy process.

    .venv/bin/python tools/bench_threads.py

Each configuration runs in a fresh process; the busy neighbour is a second process spinning on one core,
as a browser tab, another notebook or a CI job would. Times are medians of 3; ratios are against
1 thread alone, measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

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


def main() -> int:
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
    ref = results[(1, "alone")]
    print(f"{'threads':>7} {'machine':<16} {'seconds':>8} {'x (1 thread, alone)':>20}")
    for (threads, machine), seconds in results.items():
        print(f"{threads:>7} {machine:<16} {seconds:8.2f} {seconds / ref:20.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

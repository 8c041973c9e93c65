"""Time every notebook on a fresh kernel and print a table (nothing is written back).

    .venv/bin/python tools/bench_notebooks.py [notebooks/NN_*.ipynb ...]

Times depend on the machine and on what else it runs; the table also prints the time of a fixed
reference workload measured in the same run, so that numbers from different machines can be compared
as ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebooks import NOTEBOOK_DIR, Notebook, all_notebooks


def reference_seconds() -> float:
    """A fixed workload: 200 steps of a 32-unit nn.RNN on one thread (median of 3)."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    rnn = torch.nn.RNN(4, 32, batch_first=True)
    x = torch.randn(64, 40, 4)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(200):
            rnn(x)[0].sum().backward()
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def run(notebook: Notebook) -> float:
    node = nbformat.read(notebook.path, as_version=4)
    client = NotebookClient(node, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args(argv)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    chosen = [Notebook(p.resolve()) for p in args.paths] or all_notebooks(NOTEBOOK_DIR)
    ref = reference_seconds()
    print(f"reference workload: {ref:.2f} s on {os.cpu_count()} cores\n")
    print(f"{'notebook':<40} {'seconds':>8} {'x reference':>12}")
    for notebook in chosen:
        seconds = run(notebook)
        print(f"{notebook.path.name:<40} {seconds:8.1f} {seconds / ref:12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Notebook 07's races over seeds and numeric paths: which parts of a gated cell matter.

    .venv/bin/python studies/study_variants.py [--seeds 10] [--forecast-seeds 5] [--paths reference scalar]
                                               [--quick] [--no-save]

Three races, each run on every numeric path of ``--paths`` (``tools/numeric_path.py``) in a fresh process,
since a path must be chosen before torch starts, then gathered into one result:

* **memory**: notebook 07 §4's race on notebook 03's marked-value task: every cell of :data:`KINDS` with
  about the parameters of an LSTM of 8 units, 300 Adam steps on sequences of 21 steps, accuracy on 1000
  fresh sequences at delays 10, 40 and 100. Two extra cells: the LSTM at PyTorch's own forget bias
  (``lstm_bias0``) and the GRU of the paper (``gru_paper``, the reset gate before the product).
* **forecast**: notebook 05's Mackey-Glass recipe (150 Adam steps on the one-step loss, then free runs of
  10 and 30 steps with L-BFGS) for every cell with about the parameters of an LSTM of 32 units: the
  free-run NMSE at 1 to 50 steps ahead, from every fifth window of the test part.
* **counting**: notebook 07 §6: an LSTM (4 units, forget bias 3) and a GRU (5 units) trained on aⁿbⁿ for
  n = 1..10; the largest n up to which every string from 1 on is answered right (tested to 100).

The table the notebook prints (``result["table"]``) gives, per cell, the median and the range over all runs
(seeds x paths). About 45 minutes on one thread; ``--quick`` runs 2 seeds and 1 forecast seed. Each path
runs in a worker process that writes its runs to a file; ``--gather FILE ...`` builds the result from such
files without training (for workers run separately, for example one path at a time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from helpers.counting import EndDetector, anbn_batch, counts_up_to, end_loss  # noqa: E402
from helpers.forecast import Stage, fit_free_run, one_step_loss  # noqa: E402
from helpers.gru import GRU  # noqa: E402
from helpers.lstm import set_forget_bias  # noqa: E402
from helpers.metrics import windowed_mse  # noqa: E402
from helpers.rnn import RNN  # noqa: E402
from helpers.series import mackey_glass  # noqa: E402
from helpers.splits import chronological_split  # noqa: E402
from helpers.tasks import SequenceClassifier, accuracy, delay_test_batch, train_memory  # noqa: E402
from helpers.train import fit  # noqa: E402
from helpers.variants import VARIANTS, LSTMVariant, StepLSTM  # noqa: E402
from studies.results import Study, add_arguments  # noqa: E402
from tools import numeric_path  # noqa: E402

KINDS = ["rnn", "gru", *VARIANTS]  # the notebook's race
EXTRA = ["lstm_bias0", "gru_paper", "no_input_gate"]  # the study's three more (the last: exercise 2's cell)
DELAYS = [10, 40, 100]
HORIZONS = [10, 50]  # the forecast's columns in the table
N_IN, N_VALUES = 5, 4


def make_layer(kind: str, n_in: int, n_h: int) -> nn.Module:
    """A one-layer cell written from its equations; LSTM variants start with forget bias 1, as in the notebook."""
    if kind == "rnn":
        return RNN(n_in, n_h)
    if kind in ("gru", "gru_paper"):
        return GRU(n_in, n_h, reset_after=kind == "gru")
    if kind == "lstm_bias0":
        return LSTMVariant(n_in, n_h, "lstm")
    if kind == "no_input_gate":
        return StepLSTM(no_input_gate_step, n_in, n_h, layers=3, forget_layer=0, forget_bias=1.0)
    return LSTMVariant(n_in, n_h, kind, forget_bias=None if kind == "no_forget_gate" else 1.0)


def no_input_gate_step(x_t, h_prev, C_prev, W, b):
    """Notebook 07's exercise 2: the LSTM without an input gate (i_t = 1); W stacks the layers f, C̃, o."""
    z_f, z_C, z_o = (torch.cat([h_prev, x_t], dim=1) @ W.T + b).chunk(3, dim=1)
    C_t = torch.sigmoid(z_f) * C_prev + torch.tanh(z_C)
    return torch.sigmoid(z_o) * torch.tanh(C_t), C_t


def matched(kind: str, n_in: int, n_out: int, like: int) -> int:
    """The number of units whose parameter count (read-out included) is closest to an LSTM's with ``like`` units."""

    def count(k: str, n: int) -> int:
        return sum(p.numel() for p in make_layer(k, n_in, n).parameters()) + n * n_out + n_out

    target = count("lstm", like)
    return min(range(1, 4 * like), key=lambda n: abs(count(kind, n) - target))


def memory_run(kind: str, seed: int) -> list[float]:
    """Notebook 07 §4: one cell, one seed -> accuracy at :data:`DELAYS`."""
    torch.manual_seed(seed)
    model = SequenceClassifier(make_layer(kind, N_IN, matched(kind, N_IN, N_VALUES, 8)), N_VALUES)
    train_memory(model, seq_len=21, n_values=N_VALUES, steps=300, seed=seed)
    return [accuracy(model, *delay_test_batch(d, n_values=N_VALUES, seed=1000 + d)) for d in DELAYS]


class CellForecaster(nn.Module):
    """ŷ_t = W_hy h_t + b_y over any one-layer cell, with the call ``y, state = model(x, state)`` of
    :mod:`helpers.forecast`; x, y: (batch, time, 1)."""

    def __init__(self, layer: nn.Module) -> None:
        super().__init__()
        self.layer = layer
        self.head = nn.Linear(layer.hidden_size, 1)

    def forward(self, x: torch.Tensor, state=None):
        h_all, state = self.layer(x, state)
        return self.head(h_all), state


def mackey_glass_parts() -> tuple[torch.Tensor, torch.Tensor]:
    """Notebook 05's Mackey-Glass: 5000 samples, split 60/20/20 in time, standardised on the training part."""
    series = mackey_glass(5000)
    train, _, test = chronological_split(len(series), fractions=(0.6, 0.2, 0.2)).cut(series)
    mu, sd = train.mean(), train.std()
    return (train - mu) / sd, (test - mu) / sd


def forecast_run(kind: str, seed: int, parts: tuple[torch.Tensor, torch.Tensor]) -> list[float]:
    """Notebook 05's recipe for one cell and seed -> NMSE(k) for k = 1..50 on the test part."""
    from helpers.windows import sliding_windows

    train, test = parts
    torch.manual_seed(seed)
    model = CellForecaster(make_layer(kind, 1, matched(kind, 1, 1, 32)))
    windows = sliding_windows(train, 100, stride=10)
    fit(model, one_step_loss, windows, steps=150, batch_size=64, lr=1e-2, schedule="cosine", seed=seed,
        progress=False)
    stages = [Stage(context=30, horizon=10, steps=4, windows=64), Stage(context=30, horizon=30, steps=3, windows=64)]
    fit_free_run(model, train, stages, seed=seed, progress=False)
    return (windowed_mse(model, test, 64, 50, stride=5) / test.var()).tolist()


def counting_run(kind: str, seed: int) -> int:
    """Notebook 07 §6 -> the largest n such that every aᵐbᵐ, m = 1..n, is answered right (tested to 100)."""
    torch.manual_seed(seed)
    layer = set_forget_bias(nn.LSTM(2, 4, batch_first=True), 3.0) if kind == "lstm" else GRU(2, 5)
    model = EndDetector(layer)
    fit(model, end_loss, anbn_batch(list(range(1, 11))), steps=600, lr=0.02, progress=False)
    return counts_up_to(model, 100)


def worker(args: argparse.Namespace) -> None:
    """Run every race on this process's numeric path; write the runs to ``args.worker``."""
    torch.set_num_threads(1)
    path = args.path
    runs: dict[str, list] = {"memory": [], "forecast": [], "counting": []}
    print(f"[{path}] kernels {torch.backends.cpu.get_cpu_capability()}", flush=True)
    for kind in KINDS + EXTRA:
        for seed in range(args.seeds):
            start = time.process_time()
            acc = memory_run(kind, seed)
            runs["memory"].append({"kind": kind, "seed": seed, "path": path, "accuracy": acc})
            print(f"[{path}] memory {kind:21} seed {seed}: " + " ".join(f"{a:.3f}" for a in acc)
                  + f"  ({time.process_time() - start:.1f} s CPU)", flush=True)
    parts = mackey_glass_parts()
    for kind in KINDS + ["lstm_bias0"]:
        for seed in range(args.forecast_seeds):
            start = time.process_time()
            nmse = forecast_run(kind, seed, parts)
            runs["forecast"].append({"kind": kind, "seed": seed, "path": path, "nmse": nmse})
            print(f"[{path}] forecast {kind:21} seed {seed}: NMSE(10) {nmse[9]:.3g}, NMSE(50) {nmse[49]:.3g}"
                  f"  ({time.process_time() - start:.1f} s CPU)", flush=True)
    for kind in ("lstm", "gru"):
        for seed in range(args.seeds):
            n = counting_run(kind, seed)
            runs["counting"].append({"kind": kind, "seed": seed, "path": path, "counts_up_to": n})
            print(f"[{path}] counting {kind}: seed {seed}: right for every n up to {n}", flush=True)
    Path(args.worker).write_text(json.dumps(runs))


def spread(values: list[float]) -> list[float]:
    """[median, lowest, highest], rounded to 4 digits."""
    return [round(statistics.median(values), 4), round(min(values), 4), round(max(values), 4)]


def table(runs: dict[str, list]) -> dict[str, dict]:
    """Per cell: memory [median, low, high] at each delay, forecast at each of :data:`HORIZONS`, counting."""
    out: dict[str, dict] = {}
    for kind in KINDS + EXTRA:
        mem = [r["accuracy"] for r in runs["memory"] if r["kind"] == kind]
        fc = [r["nmse"] for r in runs["forecast"] if r["kind"] == kind]
        row = {"memory": [spread([a[k] for a in mem]) for k in range(len(DELAYS))]}
        if fc:
            row["forecast"] = [spread([f[h - 1] for f in fc]) for h in HORIZONS]
        out[kind] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 of the memory and counting races")
    parser.add_argument("--forecast-seeds", type=int, default=5, help="seeds 0..N-1 of the forecast race")
    parser.add_argument("--paths", nargs="+", default=["reference", "scalar"], choices=sorted(numeric_path.PATHS))
    parser.add_argument("--quick", action="store_true", help="2 seeds, 1 forecast seed")
    parser.add_argument("--gather", nargs="+", metavar="RUNS_JSON",
                        help="do not train: gather the runs that workers wrote (PATH.json each) into the result")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.forecast_seeds = 2, 1
    if args.worker:
        worker(args)
        return 0
    with Study("study_variants", argv, seeds=list(range(args.seeds)), save=not args.no_save) as study:
        runs: dict[str, list] = {"memory": [], "forecast": [], "counting": []}
        with tempfile.TemporaryDirectory() as tmp:
            files = [Path(f) for f in args.gather or []]
            for path in [] if args.gather else args.paths:
                files.append(Path(tmp) / f"{path}.json")
                command = [sys.executable, __file__, "--worker", str(files[-1]), "--path", path,
                           "--seeds", str(args.seeds), "--forecast-seeds", str(args.forecast_seeds)]
                subprocess.run(command, env=numeric_path.environment(path), check=True)
            for file in files:
                for race, found in json.loads(file.read_text()).items():
                    runs[race] += found
        if args.gather:  # what the workers ran, read from their runs
            args.paths = sorted({r["path"] for race in runs.values() for r in race})
            study.seeds = sorted({r["seed"] for r in runs["memory"]})
        study.result = {
            "paths": args.paths,
            "delays": DELAYS,
            "horizons": HORIZONS,
            "hidden": {"memory": {k: matched(k, N_IN, N_VALUES, 8) for k in KINDS + EXTRA},
                       "forecast": {k: matched(k, 1, 1, 32) for k in KINDS + ["lstm_bias0"]}},
            "table": table(runs),
            "counting": {kind: spread([r["counts_up_to"] for r in runs["counting"] if r["kind"] == kind])
                         for kind in ("lstm", "gru")},
            "runs": runs,
        }
        for kind, row in study.result["table"].items():
            print(f"{kind:21} memory " + "  ".join("{:.2f} [{:.2f}-{:.2f}]".format(*c) for c in row["memory"])
                  + ("   forecast " + "  ".join("{:.3f} [{:.3f}-{:.3f}]".format(*c) for c in row["forecast"])
                     if "forecast" in row else ""))
        print("counting, right for every n up to:", study.result["counting"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

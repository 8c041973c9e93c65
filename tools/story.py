"""The story check: run every notebook on several numeric paths and seeds, and check what it says.

    python tools/story.py                         # every notebook, the default runs (make story)
    python tools/story.py --notebooks 03 05       # some notebooks
    python tools/story.py --runs scalar:1         # some runs (path:seed)
    python tools/story.py --more-seeds 4          # the default runs plus reference runs of seeds 5..8

Each run executes a notebook top to bottom in a fresh kernel whose environment pins a numeric path
(``tools/numeric_path.py``) and a seed (``LSTM_TUTORIAL_SEED``), on the CPU with one thread and no
progress bars, then evaluates the notebook's claims (``stories/NN_topic.py``) on its variables in the
same kernel. Prints one table per notebook, claim x run, holds or fails with the values measured;
writes ``build/story/results.json`` and ``build/story/table.md``; exits 1 when any claim fails (or a
notebook fails to run) anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stories.story import Verdict, parse, story_path
from tools import numeric_path
from tools.notebooks import NOTEBOOK_DIR, ROOT, Notebook, all_notebooks

SEED_VARIABLE = "LSTM_TUTORIAL_SEED"  # read by helpers.session.setup()
# Three numeric paths (and the machine's own) at the default seed, and four further seeds spread over
# the paths, so that neither a path nor a seed is tested alone.
DEFAULT_RUNS = ("reference:0", "scalar:0", "mixed:0", "native:0", "scalar:1", "mixed:2", "reference:3", "reference:4")
CELL_TIMEOUT = 900
OUT_DIR = ROOT / "build" / "story"


@dataclass(frozen=True)
class Run:
    path: str
    seed: int

    @property
    def label(self) -> str:
        return f"{self.path}:{self.seed}"

    @staticmethod
    def parse(text: str) -> Run:
        path, _, seed = text.partition(":")
        if path not in numeric_path.PATHS or not seed.isdigit():
            raise argparse.ArgumentTypeError(
                f"a run is PATH:SEED with PATH one of {sorted(numeric_path.PATHS)} and SEED >= 0; got {text!r}")
        return Run(path, int(seed))


@dataclass
class Outcome:
    """One notebook on one run."""

    notebook: str
    run: str
    verdicts: list[Verdict] = field(default_factory=list)
    error: str = ""  # the notebook itself failed to run
    wall_s: float = 0.0
    kernel_cpu_s: float = 0.0
    capability: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and all(v.holds for v in self.verdicts)


def claims_cell(notebook: Notebook) -> str:
    """The cell appended to a run: the claims, evaluated on the notebook's own globals."""
    return (
        "import json as _json, resource as _resource, sys as _sys\n"
        f"_sys.path.insert(0, {str(ROOT)!r})\n"
        "import torch as _torch\n"
        "from stories.story import report as _report\n"
        "_usage = _resource.getrusage(_resource.RUSAGE_SELF)\n"
        "print('STORY-KERNEL:' + _json.dumps({'cpu': _usage.ru_utime + _usage.ru_stime, "
        "'capability': _torch.backends.cpu.get_cpu_capability()}))\n"
        f"print(_report({notebook.path.stem!r}, globals()))\n"
    )


def run_one(notebook_path: Path, run: Run) -> Outcome:
    """Execute one notebook on one run, in this process's kernel environment (set by the caller)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = Notebook(notebook_path)
    outcome = Outcome(notebook.path.name, run.label)
    node = nbformat.read(notebook.path, as_version=4)
    node.cells.append(nbformat.v4.new_code_cell(claims_cell(notebook)))
    client = NotebookClient(node, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        outcome.error = str(error).strip().splitlines()[-1][:300]
    outcome.wall_s = time.perf_counter() - start
    if outcome.error:
        return outcome
    text = "".join(o.get("text", "") for o in node.cells[-1].outputs if o.get("output_type") == "stream")
    for line in text.splitlines():
        if line.startswith("STORY-KERNEL:"):
            kernel = json.loads(line.removeprefix("STORY-KERNEL:"))
            outcome.kernel_cpu_s, outcome.capability = kernel["cpu"], kernel["capability"]
    try:
        outcome.verdicts = parse(text)
    except ValueError:
        outcome.error = f"the claims cell printed no verdicts: {text[-300:]!r}"
    return outcome


def run_in_child(notebook: Notebook, run: Run) -> Outcome:
    """Run one notebook in a child process whose environment pins the run's path and seed."""
    env = numeric_path.environment(run.path)
    env.update({SEED_VARIABLE: str(run.seed), "CUDA_VISIBLE_DEVICES": "", "TQDM_DISABLE": "1",
                "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "outcome.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(notebook.path), run.label, str(out)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            return Outcome(notebook.path.name, run.label, error=f"runner failed: {done.stderr.strip()[-300:]}")
        data = json.loads(out.read_text())
    data["verdicts"] = [Verdict(**v) for v in data["verdicts"]]
    return Outcome(**data)


def native_is_reference() -> bool:
    """On a CPU whose own best kernels are the reference's (an AVX2 x86-64), the native run repeats it."""
    native, reference = numeric_path.probe("native"), numeric_path.probe("reference")
    return native == reference and numeric_path.on_reference(reference["machine"], reference["capability"])


def mark(verdict: Verdict | None) -> str:
    if verdict is None:
        return "—"
    return ("✓ " if verdict.holds else "✗ ") + verdict.measured


def table_text(notebook: str, outcomes: list[Outcome]) -> str:
    """One notebook's claims, each followed by what every run measured."""
    lines = [f"{notebook}"]
    lines.append("  runs: " + ", ".join(
        f"{o.run} ({o.capability or '?'}, {o.kernel_cpu_s:.0f} s CPU, {o.wall_s:.0f} s wall)" for o in outcomes))
    for o in outcomes:
        if o.error:
            lines.append(f"  ✗ {o.run}: the notebook failed: {o.error}")
    keys = [(v.key, v.section, v.text) for v in next((o.verdicts for o in outcomes if o.verdicts), [])]
    for key, section, text in keys:
        found = {o.run: next((v for v in o.verdicts if v.key == key), None) for o in outcomes}
        ok = all(v is not None and v.holds for v in found.values())
        lines.append(f"  {'✓' if ok else '✗'} {section} {text}")
        for run, verdict in found.items():
            lines.append(f"      {run:<13} {mark(verdict)}")
    return "\n".join(lines)


def table_markdown(notebook: str, outcomes: list[Outcome]) -> str:
    """The same as a markdown table: claims as rows, runs as columns."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    head = "| claim | " + " | ".join(o.run for o in outcomes) + " |"
    rows = [f"### {notebook}", "", head, "|---|" + "---|" * len(outcomes)]
    rows.append("| CPU s (kernel) | " + " | ".join(f"{o.kernel_cpu_s:.0f}" for o in outcomes) + " |")
    keys = [(v.key, v.section, v.text) for v in next((o.verdicts for o in outcomes if o.verdicts), [])]
    for key, section, text in keys:
        cells = [mark(next((v for v in o.verdicts if v.key == key), None)) if not o.error else "✗ notebook failed"
                 for o in outcomes]
        rows.append(f"| {cell(section + ' ' + text)} | " + " | ".join(cell(c) for c in cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", nargs="*", default=[], help="numbers or names (default: all)")
    parser.add_argument("--runs", nargs="*", type=Run.parse, help=f"PATH:SEED (default: {' '.join(DEFAULT_RUNS)})")
    parser.add_argument("--more-seeds", type=int, default=0, help="add reference runs with seeds 5, 6, ...")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="runs at once (default: CPUs)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where results.json and table.md go")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:  # inside the child process: the environment is already the run's
        nb_path, label, out = args.child
        outcome = run_one(Path(nb_path), Run.parse(label))
        Path(out).write_text(json.dumps(asdict(outcome)))
        return 0

    notebooks = all_notebooks(NOTEBOOK_DIR)
    if args.notebooks:
        wanted = set(args.notebooks)
        notebooks = [nb for nb in notebooks if f"{nb.number:02d}" in wanted or nb.path.stem in wanted
                     or nb.path.name in wanted]
        if not notebooks:
            parser.error(f"no notebook matches {args.notebooks}")
    missing = [nb.path.name for nb in notebooks if not story_path(nb.path.name).is_file()]
    if missing:
        print("No story file for:", ", ".join(missing), "(stories/NN_topic.py)")
        return 1
    runs = list(args.runs) if args.runs else [Run.parse(r) for r in DEFAULT_RUNS]
    runs += [Run("reference", 5 + k) for k in range(args.more_seeds)]
    notes = []
    if any(r.path == "native" for r in runs) and native_is_reference():
        runs = [r for r in runs if not (r.path == "native" and Run("reference", r.seed) in runs)]
        notes.append("native: this CPU's own path is the reference path (AVX2), so its runs repeat the reference's")
    jobs = [(nb, run) for nb in notebooks for run in runs]
    print(f"story check: {len(notebooks)} notebooks x {len(runs)} runs ({', '.join(r.label for r in runs)}), "
          f"{args.jobs} at a time", flush=True)
    for note in notes:
        print(f"  note: {note}")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda job: run_in_child(*job), jobs))
    by_notebook: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_notebook.setdefault(outcome.notebook, []).append(outcome)
    texts = [table_text(name, found) for name, found in by_notebook.items()]
    print("\n\n".join(texts))
    failed = [o for o in outcomes if not o.ok]
    total = sum(len(o.verdicts) for o in outcomes)
    held = sum(v.holds for o in outcomes for v in o.verdicts)
    summary = (f"{held} of {total} claim checks hold; {len(failed)} of {len(outcomes)} notebook runs have a failure; "
               f"{time.perf_counter() - started:.0f} s")
    print("\n" + summary)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(
        {"runs": [r.label for r in runs], "notes": notes, "outcomes": [asdict(o) for o in outcomes]},
        indent=1, ensure_ascii=False))
    (args.out / "table.md").write_text(
        "\n\n".join([f"Story check: {summary}", *notes] + [table_markdown(n, f) for n, f in by_notebook.items()])
        + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

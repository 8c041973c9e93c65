"""Where a study's result goes: ``studies/results/NAME.json`` and a short ``NAME.md``, with what it ran on.

Every study and benchmark in ``studies/`` wraps its run in :class:`Study`::

    with Study("bench_threads", argv) as study:
        ...                      # print as usual; the printed text is kept for NAME.md
        study.result = {...}     # the numbers, for NAME.json

On a normal exit it writes both files (``--no-save``, from :func:`add_arguments`, writes nothing). The JSON
holds the study's name, the command that ran it, the seeds, the numbers and the environment: date, Python,
PyTorch and NumPy versions, the CPU and the numeric path it computed on (``tools/numeric_path.py``), torch's
thread count, the machine's load average when it started (timings on a shared machine depend on it), the
git commit. A reader, or a test, can hold a notebook's quoted number against it and see
what it was measured on. The ``.md`` is the same for a person: the environment and the printed output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "studies" / "results"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import numeric_path  # noqa: E402

# The keys every result file's "environment" holds (tests/test_studies.py checks them).
ENVIRONMENT_KEYS = (
    "date", "python", "torch", "numpy", "machine", "cpu", "cores", "torch_threads", "cpu_capability",
    "numeric_path", "numeric_path_variables", "git_commit",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The option every study shares: ``--no-save`` (try a run without touching the committed result)."""
    parser.add_argument("--no-save", action="store_true",
                        help="print only; do not rewrite studies/results/NAME.json and NAME.md")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def git_commit() -> str:
    """HEAD's commit, with ``+dirty`` when tracked files differ from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def environment() -> dict[str, Any]:
    """What this process computes on, now."""
    import numpy
    import torch

    machine = platform.machine()
    capability = torch.backends.cpu.get_cpu_capability()
    variables = {key: os.environ[key] for key in numeric_path.VARIABLES if key in os.environ}
    named = [name for name, wanted in numeric_path.PATHS.items() if wanted == variables]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "machine": machine,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "cpu_capability": capability,
        "numeric_path": named[0] if named else "custom",
        "numeric_path_variables": variables,
        "on_reference_path": numeric_path.on_reference(machine, capability),
        "git_commit": git_commit(),
    }


class _Tee(io.TextIOBase):
    """Write to the real stdout and keep a copy."""

    def __init__(self, stream: Any) -> None:
        self.stream, self.kept = stream, io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


class Study:
    """One run of a study: keeps what it prints, then writes ``NAME.json`` and ``NAME.md`` (see the module doc).

    ``name``: the study's script name without ``.py``; ``argv``: its arguments, recorded as the command;
    ``seeds``: the seeds it ran (recorded; set or extend ``study.seeds`` during the run); ``save``: False to
    write nothing; ``folder``: where to write (default ``studies/results``).
    """

    def __init__(self, name: str, argv: list[str] | None = None, *, seeds: list[int] | None = None,
                 save: bool = True, folder: Path = RESULTS) -> None:
        if not name or "/" in name or name.endswith(".py"):
            raise ValueError(f"name must be a study's script name without '.py'; got {name!r}")
        self.name, self.save, self.folder = name, save, Path(folder)
        self.argv = list(sys.argv[1:] if argv is None else argv)
        self.seeds: list[int] = list(seeds or [])
        self.result: dict[str, Any] = {}
        self.extra_commands: list[str] = []
        self._tee: _Tee | None = None

    @property
    def command(self) -> str:
        return shlex.join([".venv/bin/python", f"studies/{self.name}.py", *self.argv])

    def __enter__(self) -> Study:
        self._start = time.perf_counter()
        self._load = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
        self._tee = _Tee(sys.stdout)
        sys.stdout = self._tee
        return self

    def __exit__(self, kind, value, traceback) -> None:
        assert self._tee is not None
        sys.stdout = self._tee.stream
        if kind is None and self.save:
            paths = self.write(self._tee.kept.getvalue(), time.perf_counter() - self._start)
            print("wrote " + " and ".join(p.relative_to(ROOT).as_posix() if p.is_relative_to(ROOT) else str(p)
                                          for p in paths))

    def write(self, printed: str, seconds: float) -> tuple[Path, Path]:
        if not self.result:
            raise ValueError(f"{self.name}: set study.result to the numbers before the run ends")
        record = {
            "study": self.name,
            "command": self.command,
            "earlier_commands": self.extra_commands,
            "seeds": self.seeds,
            "seconds": round(seconds, 1),
            "environment": {**environment(), "load_average_at_start": getattr(self, "_load", None)},
            "result": self.result,
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        json_path, md_path = self.folder / f"{self.name}.json", self.folder / f"{self.name}.md"
        json_path.write_text(json.dumps(record, indent=1, sort_keys=False) + "\n")
        md_path.write_text(markdown(record, printed))
        return json_path, md_path


def markdown(record: dict[str, Any], printed: str) -> str:
    env = record["environment"]
    path = env["numeric_path"] + (f" {env['numeric_path_variables']}" if env["numeric_path_variables"] else "")
    lines = [
        f"# {record['study']}",
        "",
        f"Written by `studies/{record['study']}.py` through `studies/results.py`; the numbers are in "
        f"`{record['study']}.json`, what it printed is below.",
        "",
        f"- command: `{record['command']}`" + (f" (also: {', '.join(f'`{c}`' for c in record['earlier_commands'])})"
                                               if record["earlier_commands"] else ""),
        f"- date: {env['date']}; {record['seconds']:.0f} s",
        f"- seeds: {', '.join(map(str, record['seeds'])) if record['seeds'] else 'none (a timing)'}",
        f"- Python {env['python']}, torch {env['torch']}, NumPy {env['numpy']}",
        f"- CPU: {env['cpu']} ({env['machine']}, {env['cores']} cores), torch threads {env['torch_threads']}, "
        f"kernels {env['cpu_capability']}, numeric path {path}"
        + (f"; load average at start {env['load_average_at_start'][0]}" if env.get("load_average_at_start") else ""),
        f"- commit: {env['git_commit']}",
        "",
        "```text",
        printed.rstrip(),
        "```",
        "",
    ]
    return "\n".join(lines)

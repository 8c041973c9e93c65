"""Run the unit tests (not nbval) at both ends of the supported versions, each in its own fresh venv.

    python tools/version_matrix.py                 # both ends
    python tools/version_matrix.py oldest          # one end
    python tools/version_matrix.py --fresh         # rebuild the venvs (else reused while their spec holds)
    python tools/version_matrix.py -- -k lstm      # extra pytest arguments

The ends, from pyproject.toml's ranges and what can be had on this machine:

- oldest: every runtime dependency at the lower bound pyproject.toml states (numpy 1.26.0, matplotlib 3.8.0,
  ipywidgets 7.7.0, tqdm 4.66.0: read from the file, so they follow it), except torch: its lower bound 2.4
  exists on PyPI only as a multi-GB CUDA build, so the oldest torch here is the oldest CPU wheel on this
  machine's disk, 2.13.0.
- newest: the newest release of every runtime dependency, and torch 2.14.1, the newest wheel on this
  machine's disk. That wheel is a CUDA build: its NVIDIA libraries (about 2 GB) install from the same disk,
  triton (used only by torch.compile, which helpers does not use) is left out, so only the small CUDA runtime
  and bindings packages come from PyPI. It runs on the CPU.

Both use CPython 3.11, the only Python the torch wheels here are built for (3.12 and 3.13 are not tested).
The dev tools (pytest, nbformat, ruff, ...) are installed at their newest compatible versions. Tests that
compare repository files with what the lock environment writes (``DESELECT``) are left out: they check the
generated files, not the code's support of a version, and ``make test`` runs them. Venvs live in
build/versions/NAME.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "versions"
TORCH_OLDEST = "torch==2.13.0"  # /opt/wheels/torch-2.13.0+cpu-cp311-...whl (pip's find-links here)
TORCH_NEWEST_WHEEL = Path("/opt/pypi-more/files/torch-2.14.1-cp311-cp311-manylinux_2_28_x86_64.whl")
SKIP_FROM_TORCH = {"triton"}  # only torch.compile needs it; ~200 MB from PyPI
# The matrix tests code, not files: these compare repository files with what the lock environment writes
# (generated cells, the student edition, byte-exact figures, stored outputs) or drive a browser, and give the
# same answer on every version of the libraries; `make test` runs them.
DESELECT = [
    "tests/test_generated.py",
    "tests/test_student_edition.py",
    "tests/test_environment.py",
    "tests/test_notebooks.py",
    "tests/test_handouts.py",
    "tests/test_browser.py",
]
DESELECT_TESTS = [
    "tests/test_figures.py::test_imgs_are_up_to_date",
    "tests/test_figures.py::test_check_lists_a_changed_or_missing_file",
]


@dataclass(frozen=True)
class End:
    name: str
    requirements: tuple[str, ...]
    torch: str  # a requirement, or the path of a wheel installed without its triton dependency


def runtime_dependencies() -> list[Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return [Requirement(r) for r in data["project"]["dependencies"]]


def lower_bound(requirement: Requirement) -> str:
    """``numpy>=1.26,<3`` -> ``numpy==1.26.0``: the oldest release the range admits."""
    floors = [s.version for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    if not floors:
        raise ValueError(f"pyproject.toml gives {requirement} no lower bound")
    version = floors[0]
    version += ".0" * max(0, 3 - len(version.split(".")))
    return f"{requirement.name}=={version}"


def ends() -> dict[str, End]:
    deps = [r for r in runtime_dependencies() if r.name != "torch"]
    return {
        "oldest": End("oldest", tuple(lower_bound(r) for r in deps), TORCH_OLDEST),
        "newest": End("newest", tuple(f"{r.name}{r.specifier}" for r in deps), str(TORCH_NEWEST_WHEEL)),
    }


def quiet(command: list[str], **kwargs) -> None:
    """Run a command; show its output only when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"version_matrix: failed: {' '.join(command[:6])} ...")


def wheel_requirements(wheel: Path) -> list[str]:
    """The wheel's own dependencies for this platform, less ``SKIP_FROM_TORCH``."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    found = []
    for line in metadata.splitlines():
        if line.startswith("Requires-Dist:"):
            requirement = Requirement(line.split(":", 1)[1].strip())
            if requirement.name in SKIP_FROM_TORCH:
                continue
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                found.append(str(requirement).split(";")[0].strip())
    return found


def build(end: End, fresh: bool) -> Path:
    venv = BUILD / end.name
    spec = "\n".join([*end.requirements, end.torch]) + "\n"
    stamp = venv / "version-matrix-spec.txt"
    if not fresh and stamp.is_file() and stamp.read_text() == spec:
        return venv
    shutil.rmtree(venv, ignore_errors=True)
    python = shutil.which("python3.11")
    if python is None:
        raise SystemExit("version_matrix: python3.11 is needed (the torch wheels here are for CPython 3.11)")
    quiet([python, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if end.torch.endswith(".whl"):
        quiet([*pip, "--no-deps", end.torch])
        quiet([*pip, *wheel_requirements(Path(end.torch))])
        torch = []
    else:
        torch = [end.torch]
    quiet([*pip, *torch, *end.requirements, "-e", f"{ROOT}[dev]", "pyyaml"], cwd=ROOT)
    stamp.write_text(spec)
    return venv


def versions(venv: Path) -> str:
    code = (
        "import sys, torch, numpy, matplotlib, ipywidgets, tqdm; "
        "print(f'python {sys.version.split()[0]}, torch {torch.__version__}, numpy {numpy.__version__}, "
        "matplotlib {matplotlib.__version__}, ipywidgets {ipywidgets.__version__}, tqdm {tqdm.__version__}')"
    )
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True,
                          env=env, check=True).stdout.strip()


def run_tests(venv: Path, extra: list[str]) -> tuple[int, str]:
    command = [str(venv / "bin" / "python"), "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    command += [f"--ignore={path}" for path in DESELECT if (ROOT / path).exists()]
    command += [f"--deselect={test}" for test in DESELECT_TESTS]
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "MPLBACKEND": "Agg"}
    env.pop("PYTHONPATH", None)
    result = subprocess.run([*command, *extra], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    summary = next((line for line in reversed(lines) if re.search(r"\d+ (passed|failed|error)", line)), "")
    if result.returncode != 0:  # the failures, without the (long) warnings summary
        start = next((k for k, line in enumerate(lines) if "= FAILURES =" in line or "= ERRORS =" in line), 0)
        end = next((k for k, line in enumerate(lines) if "warnings summary" in line and k > start), len(lines))
        failed = [line for line in lines[end:] if line.startswith(("FAILED", "ERROR"))]
        print(*lines[start:end][:200], *failed, result.stderr[-2000:], sep="\n")
    return result.returncode, summary.strip("= ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="END", help="oldest and/or newest (default: both)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the venvs")
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    known = ends()
    unknown = set(args.names) - set(known)
    if unknown:
        parser.error(f"unknown end(s) {sorted(unknown)}; choose from {sorted(known)}")
    chosen = [end for name, end in known.items() if not args.names or name in args.names]
    failed = []
    rows = []
    for end in chosen:
        start = time.perf_counter()
        print(f"{end.name}: building venv ({', '.join(end.requirements)}, {Path(end.torch).name})", flush=True)
        venv = build(end, args.fresh)
        built = time.perf_counter() - start
        print(f"{end.name}: {versions(venv)}", flush=True)
        code, summary = run_tests(venv, extra)
        tested = time.perf_counter() - start - built
        rows.append(f"{end.name:<7} {summary}  (venv {built:.0f} s, tests {tested:.0f} s)")
        if code != 0:
            failed.append(end.name)
    print("\n" + "\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

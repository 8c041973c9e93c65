"""Run the unit tests (not nbval) at both ends of the supported versions, each in its own fresh venv.

    python tools/version_matrix.py                 # both ends
    python tools/version_matrix.py oldest          # one end
    python tools/version_matrix.py --fresh         # rebuild the venvs (else reused while their spec holds)
    python tools/version_matrix.py -- -k lstm      # extra pytest arguments

The ends, both read from pyproject.toml's ranges, so that they follow it:

- oldest: every runtime dependency at the lower bound pyproject.toml states, torch included (torch 2.4.0,
  numpy 1.26.0, matplotlib 3.8.0, ipywidgets 7.7.0, tqdm 4.66.0, ipython 7.34.0, pillow 10.0.0, cycler 0.11.0).
- newest: the newest release of every runtime dependency that pip may install here (torch: 2.14.1, the newest
  that this machine's pip constraint, /etc/xdg/pip, allows).

PyTorch's wheels on PyPI are CUDA builds; they run on the CPU. Each is downloaded (``pip download --no-deps``)
and installed without triton (used only by torch.compile, which helpers does not use, about 200 MB); its other
dependencies, the NVIDIA libraries (about 2-3 GB, unused on the CPU but loaded by ``import torch``), come from
PyPI or the pip cache. A torch wheel already on this machine (PIP_FIND_LINKS) is used as it is.

Both use CPython 3.11 (3.12 and 3.13 are not tested here). The dev tools (pytest, nbformat, ruff, ...) are
installed at their newest compatible versions. Tests that compare repository files with what the lock
environment writes (``DESELECT``) are left out: they check the generated files, not the code's support of a
version, and ``make test`` runs them. Venvs live in build/versions/NAME.
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
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "versions"
SKIP_FROM_TORCH = {"triton"}  # only torch.compile needs it; ~200 MB from PyPI
# The matrix tests code, not files: these compare repository files with what the lock environment writes
# (generated cells, the student edition, byte-exact figures, stored outputs) or drive a browser, and give the
# same answer on every version of the libraries; `make test` runs them.
DESELECT = [
    "tests/test_generated.py",
    "tests/test_reading_time.py",  # the notebooks' stated times
    "tests/test_sanitize.py",  # the stored outputs' difference lines
    "tests/test_story.py",  # runs every notebook, as test_notebooks.py does; `make story` is the story check
    "tests/test_student_edition.py",
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
    requirements: tuple[str, ...]  # every runtime dependency but torch
    torch: str  # a requirement for torch


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
    deps = runtime_dependencies()
    torch = next(r for r in deps if r.name == "torch")
    others = [r for r in deps if r.name != "torch"]
    return {
        "oldest": End("oldest", tuple(lower_bound(r) for r in others), lower_bound(torch)),
        "newest": End("newest", tuple(f"{r.name}{r.specifier}" for r in others), f"torch{torch.specifier}"),
    }


def quiet(command: list[str], **kwargs) -> None:
    """Run a command; show its output only when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"version_matrix: failed: {' '.join(command[:6])} ...")


# Run by the target venv's Python: torch's own dependencies for that Python and platform, one a line.
TORCH_DEPENDENCIES = """
import importlib.metadata as m
from pip._vendor.packaging.requirements import Requirement
for line in m.requires("torch") or []:
    r = Requirement(line)
    if r.marker is None or r.marker.evaluate({"extra": ""}):
        print(str(r).split(";")[0].strip().replace(" ", ""))
"""


def install_torch(python: Path, requirement: str, folder: Path) -> str:
    """Install into ``python``'s venv the torch wheel pip picks for ``requirement``, with its dependencies but
    not ``SKIP_FROM_TORCH``; return the installed version. ``folder`` holds the wheel meanwhile."""
    shutil.rmtree(folder, ignore_errors=True)
    pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
    quiet([*pip, "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(folder), requirement])
    wheels = sorted(folder.glob("torch-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one torch wheel for {requirement} in {folder}; got {wheels}")
    quiet([*pip, "install", "--quiet", "--no-deps", str(wheels[0])])
    found = subprocess.run([str(python), "-c", TORCH_DEPENDENCIES], capture_output=True, text=True, check=True)
    dependencies = [r for r in found.stdout.split() if Requirement(r).name not in SKIP_FROM_TORCH]
    if dependencies:
        quiet([*pip, "install", "--quiet", *dependencies])
    shutil.rmtree(folder, ignore_errors=True)
    return wheels[0].name.split("-")[1]


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
    install_torch(venv / "bin" / "python", end.torch, BUILD / f"wheels-{end.name}")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    quiet([*pip, *end.requirements, "-e", f"{ROOT}[dev]"], cwd=ROOT)  # torch is there: pip keeps it
    stamp.write_text(spec)
    return venv


def versions(venv: Path) -> str:
    """The installed version of Python and of every runtime dependency (from the distributions' metadata)."""
    names = [r.name for r in runtime_dependencies()]
    code = (
        "import sys, importlib.metadata as m; "
        f"print(', '.join([f'python {{sys.version.split()[0]}}'] + [f'{{n}} {{m.version(n)}}' for n in {names!r}]))"
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
        print(f"{end.name}: building venv ({', '.join(end.requirements)}, {end.torch})", flush=True)
        venv = build(end, args.fresh)
        built = time.perf_counter() - start
        print(f"{end.name}: {versions(venv)}", flush=True)
        code, summary = run_tests(venv, extra)
        tested = time.perf_counter() - start - built
        rows.append(f"{end.name:<7} {summary}  (venv {built:.0f} s, tests {tested:.0f} s)")
        print(f"{end.name}: {rows[-1].split(None, 1)[1]}", flush=True)
        if code != 0:
            failed.append(end.name)
    print("\n" + "\n".join(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every notebook as Google Colab would, and fail if any cell errs or warns.

    python tools/colab_sim.py                        # every notebook of the committed HEAD, full edition
    python tools/colab_sim.py --edition student      # the student edition
    python tools/colab_sim.py --worktree             # the working tree instead of HEAD (uncommitted work too)
    python tools/colab_sim.py notebooks/01_*.ipynb   # some notebooks
    python tools/colab_sim.py --fresh                # rebuild the simulated runtime's virtual environment

What it reproduces of Colab, for each notebook:

- a fresh runtime: a virtual environment (build/colab-sim/venv, reused while its requirements are unchanged)
  with Colab's versions where they can be had here (``COLAB`` below) and WITHOUT this series' helpers;
- ``google.colab`` imported into the kernel before the first cell (a stand-in, tools/colab_stub/), so that
  the set-up cell takes its Colab route;
- the kernel's working directory is ``/content`` and the set-up cell's ``git clone`` really runs: a ``git``
  shim first on the kernel's PATH checks that the call is the clone of this repository at its ref into
  ``/content/<name>`` and serves it from a local clone of HEAD (or a copy of the working tree);
- one fresh kernel per notebook, with ``/content/<name>`` removed before each, as on a new Colab VM.

After the last cell a probe cell checks that ``helpers`` was imported from the clone. Cells with an error or
any stderr output (a warning) fail the run; text outputs that differ from the stored ones are counted and
reported, not failed (other versions round differently). It needs root, or a writable /content.
Python and torch are Colab's own (3.13, torch 2.11.0; PyPI's torch wheel is a CUDA build, which runs on the CPU:
installed without triton, as ``make versions`` does). What it does not reproduce: Colab's own front end and
widget manager, and GitHub itself.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebooks import ROOT, Notebook, Project, all_notebooks, project
from tools.version_matrix import install_torch

# package: (Colab's CPU runtime, googlecolab/backend-info snapshot of 2026-08-19; what the simulation installs)
COLAB = {
    "python": ("3.13", "3.13"),
    "torch": ("2.11.0+cpu", "2.11.0"),  # PyPI's build of 2.11.0 (CUDA, run on the CPU); Colab's is the CPU build
    "numpy": ("2.1.3", "2.1.3"),
    "matplotlib": ("3.10.0", "3.10.0"),
    "ipywidgets": ("7.7.1", "7.7.1"),
    "ipython": ("7.34.0", "7.34.0"),
    "tqdm": ("4.67.1", "4.67.1"),
}
REQUIREMENTS = [f"{name}=={installed}" for name, (_, installed) in COLAB.items() if name not in ("python", "torch")]
TORCH = f"torch=={COLAB['torch'][1]}"  # installed first, by tools/version_matrix.install_torch
REQUIREMENTS += ["ipykernel>=6.17,<7"]  # a kernel that works with IPython 7.34
VENV = ROOT / "build" / "colab-sim" / "venv"
STUB = Path(__file__).resolve().parent / "colab_stub"
PROBE = """import json, sys
import google.colab, helpers
import IPython, ipywidgets, matplotlib, numpy, torch, tqdm
print(json.dumps({"helpers": helpers.__file__, "python": sys.version.split()[0], "torch": torch.__version__,
                  "numpy": numpy.__version__, "matplotlib": matplotlib.__version__,
                  "ipywidgets": ipywidgets.__version__, "ipython": IPython.__version__, "tqdm": tqdm.__version__}))"""
SHIM = '''#!{python}
"""colab-sim's stand-in for git: serves the set-up cell's clone from a local source, and nothing else."""
import json, pathlib, subprocess, sys

args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps(args) + "\\n")
options, positional, i = {{}}, [], 1
while i < len(args):
    if args[i] in ("--depth", "--branch", "-b"):
        options[args[i]] = args[i + 1]
        i += 2
    else:
        (options.__setitem__(args[i], True) if args[i].startswith("-") else positional.append(args[i]))
        i += 1
if args[:1] != ["clone"] or options.get("--branch") != {ref!r} or positional != {expected!r}:
    sys.exit("colab-sim git shim: expected `git clone --branch {ref} URL DEST` with URL, DEST = "
             + repr({expected!r}) + "; got git " + " ".join(args))
code = subprocess.call({command!r})
if code == 0:
    pathlib.Path({expected!r}[1], ".colab-sim").write_text("made by tools/colab_sim.py\\n")
sys.exit(code)
'''


@dataclass
class Result:
    notebook: str
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    changed_outputs: list[int] = field(default_factory=list)
    versions: dict = field(default_factory=dict)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=True, **kwargs)


def quiet(command: list[str]) -> None:
    """Run a command; show its output only when it fails."""
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        sys.exit(f"colab-sim: failed: {' '.join(command[:8])} ...")


def find_python(version: str) -> str:
    """A CPython ``version`` (like "3.13") that runs: on PATH, or one that pyenv installed."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += [str(p) for p in sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "import venv"], capture_output=True).returncode == 0:
            return candidate
    sys.exit(f"colab-sim: Python {version} is needed (Colab's); install it, e.g. with pyenv")


def build_venv(fresh: bool) -> Path:
    """The simulated runtime's virtual environment, (re)built when its requirements change."""
    stamp = VENV / "colab-sim-requirements.txt"
    wanted = "\n".join([f"python=={COLAB['python'][1]}", TORCH, *REQUIREMENTS]) + "\n"
    if not fresh and stamp.is_file() and stamp.read_text() == wanted:
        return VENV
    shutil.rmtree(VENV, ignore_errors=True)
    print(f"colab-sim: building {VENV.relative_to(ROOT)} with Python {COLAB['python'][1]},", TORCH,
          " ".join(REQUIREMENTS), flush=True)
    quiet([find_python(COLAB["python"][1]), "-m", "venv", str(VENV)])
    install_torch(VENV / "bin" / "python", TORCH, VENV.parent / "wheels")
    quiet([str(VENV / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", *REQUIREMENTS])
    stamp.write_text(wanted)
    return VENV


def kernel_env(shim_dir: Path, ipython_dir: Path) -> dict[str, str]:
    """What the kernel's environment changes: the git shim first on PATH, the stand-in google.colab importable."""
    return {
        "PATH": f"{shim_dir}:{VENV / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONPATH": str(STUB),
        "PYTHONNOUSERSITE": "1",
        "IPYTHONDIR": str(ipython_dir),
        "CUDA_VISIBLE_DEVICES": "",
        "VIRTUAL_ENV": str(VENV),
    }


def write_kernel(work: Path, env: dict[str, str]) -> None:
    """A kernelspec 'colab-sim' that starts the simulated runtime's Python, with google.colab imported first."""
    startup = Path(env["IPYTHONDIR"]) / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab  # as Colab does before the first cell\n")
    spec = work / "jupyter" / "kernels" / "colab-sim"
    spec.mkdir(parents=True)
    argv = [str(VENV / "bin" / "python"), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Colab (simulated)", "language": "python", "env": env}
    (spec / "kernel.json").write_text(json.dumps(kernel))


def write_shim(shim_dir: Path, proj: Project, source: str, log: Path) -> None:
    git = real_git()
    shim_dir.mkdir(parents=True)
    if source.startswith("copy:"):
        command = [sys.executable, str(Path(__file__).resolve()), "--copy-worktree", proj.clone_dir, "--git", git]
    else:
        command = [git, "clone", "--quiet", "--depth", "1", "--branch", proj.ref, source, proj.clone_dir]
    text = SHIM.format(python=sys.executable, expected=[proj.repository, proj.clone_dir], log=str(log),
                       ref=proj.ref, command=command)
    (shim_dir / "git").write_text(text)
    (shim_dir / "git").chmod(0o755)


def real_git() -> str:
    git = shutil.which("git")
    if git is None:
        sys.exit("colab-sim: git is needed")
    return git


def copy_worktree(destination: Path, git: str) -> None:
    """Copy the tracked and the untracked, not ignored, files of the working tree (what a push would hold)."""
    listed = run([git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                 capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def fresh_content(proj: Project) -> None:
    """Remove the previous notebook's clone, as a new Colab VM would not have it; refuse to touch anything else."""
    clone = Path(proj.clone_dir)
    if clone.exists():
        if not (clone / ".colab-sim").is_file():
            sys.exit(f"colab-sim: {clone} exists and was not made by colab-sim; move it away first")
        shutil.rmtree(clone)
    try:
        clone.parent.mkdir(exist_ok=True)
    except PermissionError:
        sys.exit(f"colab-sim: cannot create {clone.parent}; run as root (Colab's notebooks live there)")


def text_outputs(cell) -> list[str]:
    found = []
    for output in cell.get("outputs", []):
        if output.get("name") == "stdout":
            found.append(output["text"])
        elif "text/plain" in output.get("data", {}) and "application/vnd.jupyter.widget-view+json" not in output.data:
            found.append(output.data["text/plain"])
    return found


def execute(path: Path, proj: Project, log: Path) -> Result:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    result = Result(path.name)
    stored = nbformat.read(path, as_version=4)
    node = nbformat.read(path, as_version=4)
    node.cells.append(nbformat.v4.new_code_cell(PROBE))
    fresh_content(proj)
    calls_before = len(log.read_text().splitlines()) if log.exists() else 0
    client = NotebookClient(node, timeout=600, kernel_name="colab-sim", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": "/content"}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        result.problems.append(str(error).strip().splitlines()[-1][:300])
    result.seconds = time.perf_counter() - start
    calls = (log.read_text().splitlines() if log.exists() else [])[calls_before:]
    if len(calls) != 1:
        result.problems.append(f"the set-up cell called git {len(calls)} times instead of once (the Colab route)")
    for index, cell in enumerate(node.cells):
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                result.problems.append(f"cell {index} wrote to stderr: {output['text'].strip()[:300]!r}")
    probe = text_outputs(node.cells[-1])
    if probe:
        result.versions = json.loads(probe[-1])
        if not result.versions["helpers"].startswith(proj.clone_dir + "/"):
            result.problems.append(f"helpers came from {result.versions['helpers']}, not from the clone")
    elif not result.problems:
        result.problems.append("the probe cell printed nothing")
    for index, (old, new) in enumerate(zip(stored.cells, node.cells, strict=False)):
        if old.cell_type == "code" and old.outputs and "NBVAL_IGNORE_OUTPUT" not in old.source:
            if "".join(text_outputs(old)) != "".join(text_outputs(new)):  # a stream may arrive in pieces
                result.changed_outputs.append(index)
    return result


def sources(args: argparse.Namespace, work: Path, proj: Project) -> tuple[str, Path]:
    """Where the clone comes from, and the folder whose notebooks run (HEAD's, or the working tree's)."""
    if args.worktree:
        return "copy:worktree", ROOT
    head = work / "head"
    run([real_git(), "clone", "--quiet", "--depth", "1", "--branch", proj.ref, f"file://{ROOT}", str(head)])
    return f"file://{ROOT}", head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run, by name (default: all)")
    parser.add_argument("--edition", choices=("full", "student"), default="full")
    parser.add_argument("--worktree", action="store_true", help="clone the working tree instead of HEAD")
    parser.add_argument("--fresh", action="store_true", help="rebuild the virtual environment")
    parser.add_argument("--copy-worktree", help=argparse.SUPPRESS)  # used by the git shim
    parser.add_argument("--git", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.copy_worktree:
        copy_worktree(Path(args.copy_worktree), args.git)
        return 0
    started = time.perf_counter()
    proj = project()
    build_venv(args.fresh)
    with tempfile.TemporaryDirectory(prefix="colab-sim-") as tmp:
        work = Path(tmp)
        source, tree = sources(args, work, proj)
        env = kernel_env(work / "bin", work / "ipython")
        no_helpers = subprocess.run([str(VENV / "bin" / "python"), "-c", "import helpers"], cwd="/",
                                    env={**os.environ, **env}, capture_output=True, text=True)
        if "No module named 'helpers'" not in no_helpers.stderr:
            sys.exit("colab-sim: helpers must not be importable in the simulated runtime before the set-up cell")
        write_kernel(work, env)
        write_shim(work / "bin", proj, source, work / "git-calls.log")
        os.environ["JUPYTER_PATH"] = str(work / "jupyter")
        folder = tree / ("notebooks" if args.edition == "full" else "student")
        chosen = {p.name for p in args.paths}
        notebooks = [Notebook(folder / nb.path.name) for nb in all_notebooks(tree / "notebooks")]
        notebooks = [nb for nb in notebooks if not chosen or nb.path.name in chosen]
        if not notebooks:
            sys.exit("colab-sim: no notebooks chosen")
        results = []
        for nb in notebooks:
            result = execute(nb.path, proj, work / "git-calls.log")
            verdict = "ok" if not result.problems else "FAILED"
            changed = result.changed_outputs
            print(f"{args.edition}/{result.notebook}: {verdict} in {result.seconds:.1f} s; "
                  f"{len(changed)} cells print other text than stored {changed if changed else ''}", flush=True)
            for problem in result.problems:
                print(f"    {problem}")
            results.append(result)
        fresh_content(proj)
    versions = next((r.versions for r in results if r.versions), {})
    print("\nsimulated runtime vs Colab's CPU runtime:")
    for name, (colab, _) in COLAB.items():
        print(f"  {name:<11} {versions.get(name, '?'):<12} Colab: {colab}")
    print(f"source: {'working tree' if args.worktree else 'HEAD'}; edition: {args.edition}; "
          f"total {time.perf_counter() - started:.0f} s (building the environment included)")
    failed = [r.notebook for r in results if r.problems]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

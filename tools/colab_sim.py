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
- the kernel's working directory is ``/content`` and the set-up cell's ``%pip install git+<repository>@<ref>``
  really runs: pip clones with ``git``, and a ``git`` shim first on the kernel's PATH serves this
  repository's address from a local git repository whose branch <ref> holds HEAD (or the working tree),
  and refuses any other address; pip then builds and installs the package as it would on Colab;
- one fresh kernel per notebook, with the series' package uninstalled before each, as on a new Colab VM.

After the last cell a probe cell checks that ``helpers`` was imported from that regular (not editable)
install of the repository at its ref (pip's ``direct_url.json``), in the same kernel, with no restart, and
that Colab's own packages kept their versions. Cells with an error or any stderr output (a warning) fail
the run; text outputs that differ from the stored ones are counted and reported, not failed (other
versions round differently). It needs root, or a writable /content, and PyPI (pip fetches setuptools to
build the package, as on Colab).
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
import tomllib
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
PACKAGE = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]  # the distribution of helpers
VERSIONS = """import json, sys
import IPython, ipywidgets, matplotlib, numpy, torch, tqdm
versions = {"python": sys.version.split()[0], "torch": torch.__version__, "numpy": numpy.__version__,
            "matplotlib": matplotlib.__version__, "ipywidgets": ipywidgets.__version__,
            "ipython": IPython.__version__, "tqdm": tqdm.__version__}
"""
PROBE = VERSIONS + """import google.colab, helpers
from importlib.metadata import distribution
print(json.dumps({**versions, "helpers": helpers.__file__, "prefix": sys.prefix,
                  "direct_url": json.loads(distribution("PACKAGE").read_text("direct_url.json") or "{}")}))
""".replace("PACKAGE", PACKAGE)
SHIM = '''#!{python}
"""colab-sim's stand-in for git: lets pip clone this repository's address, served from a local repository.

Every call is logged. An argument that is the repository's address becomes the local source; a call that
names any other URL is refused (the set-up cell must fetch nothing else); the rest (pip's ``git version``,
``rev-parse``, ``checkout`` in its clone) runs as it is.
"""
import json, subprocess, sys

args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(json.dumps(args) + "\\n")
served = [{source!r} if a.rstrip("/").removesuffix(".git") == {repository!r} else a for a in args]
others = [a for a in served if "://" in a and a != {source!r}]
if others:
    sys.exit("colab-sim git shim: only {repository} may be fetched; got git " + " ".join(args))
sys.exit(subprocess.call([{git!r}, *served]))
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
    """The ``git`` that pip finds first: serves ``proj.repository`` from ``source`` (a local git URL)."""
    shim_dir.mkdir(parents=True)
    text = SHIM.format(python=sys.executable, repository=proj.repository, source=source, log=str(log), git=real_git())
    (shim_dir / "git").write_text(text)
    (shim_dir / "git").chmod(0o755)


def real_git() -> str:
    git = shutil.which("git")
    if git is None:
        sys.exit("colab-sim: git is needed")
    return git


def copy_worktree(destination: Path) -> None:
    """Copy the tracked and the untracked, not ignored, files of the working tree (what a push would hold)."""
    listed = run([real_git(), "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                 capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def local_repository(repo: Path, ref: str, worktree: bool) -> Path:
    """A git repository at ``repo`` whose branch ``ref`` holds HEAD (or the working tree): what GitHub serves."""
    git = real_git()
    if worktree:
        repo.mkdir(parents=True)
        copy_worktree(repo)
        run([git, "init", "--quiet", "--initial-branch", ref], cwd=repo)
        run([git, "add", "--all"], cwd=repo)
        run([git, "-c", "user.name=colab-sim", "-c", "user.email=colab-sim@example.org", "commit", "--quiet",
             "-m", "the working tree"], cwd=repo)
    else:
        head = run([git, "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        run([git, "clone", "--quiet", "--no-checkout", f"file://{ROOT}", str(repo)])
        run([git, "checkout", "--quiet", "-B", ref, head], cwd=repo)
    run([git, "config", "uploadpack.allowFilter", "true"], cwd=repo)  # pip clones with --filter=blob:none
    return repo


def fresh_runtime() -> None:
    """Uninstall the series' package from the simulated runtime: a new Colab VM does not have it."""
    quiet([str(VENV / "bin" / "python"), "-m", "pip", "uninstall", "--quiet", "--yes", PACKAGE])


def content_dir() -> Path:
    """Colab's working directory, /content."""
    content = Path("/content")
    try:
        content.mkdir(exist_ok=True)
    except PermissionError:
        sys.exit(f"colab-sim: cannot create {content}; run as root (Colab's notebooks live there)")
    return content


def text_outputs(cell) -> list[str]:
    found = []
    for output in cell.get("outputs", []):
        if output.get("name") == "stdout":
            found.append(output["text"])
        elif "text/plain" in output.get("data", {}) and "application/vnd.jupyter.widget-view+json" not in output.data:
            found.append(output.data["text/plain"])
    return found


def runtime_versions() -> dict[str, str]:
    """The versions of Colab's own packages in the simulated runtime, before any notebook runs."""
    done = run([str(VENV / "bin" / "python"), "-c", VERSIONS + "print(json.dumps(versions))"],
               capture_output=True, text=True, cwd="/")
    return json.loads(done.stdout)


def probe_problems(found: dict, proj: Project, before: dict[str, str]) -> list[str]:
    """What the probe cell found that Colab would not show: helpers from elsewhere, Colab's packages changed."""
    problems = []
    site = str(Path(found["prefix"]) / "lib") + "/"
    if not found["helpers"].startswith(site) or "/site-packages/" not in found["helpers"]:
        problems.append(f"helpers came from {found['helpers']}, not from the package pip installed under {site}")
    direct = found.get("direct_url", {})
    revision = direct.get("vcs_info", {}).get("requested_revision")
    if direct.get("url") != proj.repository or revision != proj.ref:
        problems.append(f"pip installed {direct.get('url')}@{revision}, not {proj.repository}@{proj.ref}")
    if direct.get("dir_info", {}).get("editable"):
        problems.append("helpers was installed editable: Colab could not import it without a restart")
    for name, version in before.items():
        if found.get(name) != version:
            problems.append(f"{name} is {found.get(name)} after the set-up cell, not the runtime's {version}")
    return problems


def execute(path: Path, proj: Project, log: Path, before: dict[str, str]) -> Result:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    result = Result(path.name)
    stored = nbformat.read(path, as_version=4)
    node = nbformat.read(path, as_version=4)
    node.cells.append(nbformat.v4.new_code_cell(PROBE))
    fresh_runtime()
    calls_before = len(log.read_text().splitlines()) if log.exists() else 0
    client = NotebookClient(node, timeout=600, kernel_name="colab-sim", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(content_dir())}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as error:
        result.problems.append(str(error).strip().splitlines()[-1][:300])
    result.seconds = time.perf_counter() - start
    calls = [json.loads(line) for line in (log.read_text().splitlines() if log.exists() else [])[calls_before:]]
    clones = [call for call in calls if call[:1] == ["clone"]]
    if len(clones) != 1 or proj.repository not in clones[0]:
        result.problems.append(f"the set-up cell made {len(clones)} git clones, not one of {proj.repository}: "
                               f"{clones}")
    for index, cell in enumerate(node.cells):
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                result.problems.append(f"cell {index} wrote to stderr: {output['text'].strip()[:300]!r}")
    probe = text_outputs(node.cells[-1])
    if probe:
        result.versions = json.loads(probe[-1])
        result.problems += probe_problems(result.versions, proj, before)
    elif not result.problems:
        result.problems.append("the probe cell printed nothing")
    for index, (old, new) in enumerate(zip(stored.cells, node.cells, strict=False)):
        if old.cell_type == "code" and old.outputs and "NBVAL_IGNORE_OUTPUT" not in old.source:
            if "".join(text_outputs(old)) != "".join(text_outputs(new)):  # a stream may arrive in pieces
                result.changed_outputs.append(index)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run, by name (default: all)")
    parser.add_argument("--edition", choices=("full", "student"), default="full")
    parser.add_argument("--worktree", action="store_true", help="serve the working tree instead of HEAD")
    parser.add_argument("--fresh", action="store_true", help="rebuild the virtual environment")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    proj = project()
    build_venv(args.fresh)
    fresh_runtime()
    before = runtime_versions()
    with tempfile.TemporaryDirectory(prefix="colab-sim-") as tmp:
        work = Path(tmp)
        repository = local_repository(work / "repository", proj.ref, args.worktree)
        tree = ROOT if args.worktree else repository
        env = kernel_env(work / "bin", work / "ipython")
        no_helpers = subprocess.run([str(VENV / "bin" / "python"), "-c", "import helpers"], cwd="/",
                                    env={**os.environ, **env}, capture_output=True, text=True)
        if "No module named 'helpers'" not in no_helpers.stderr:
            sys.exit("colab-sim: helpers must not be importable in the simulated runtime before the set-up cell")
        write_kernel(work, env)
        write_shim(work / "bin", proj, f"file://{repository}", work / "git-calls.log")
        os.environ["JUPYTER_PATH"] = str(work / "jupyter")
        folder = tree / ("notebooks" if args.edition == "full" else "student")
        chosen = {p.name for p in args.paths}
        notebooks = [Notebook(folder / nb.path.name) for nb in all_notebooks(tree / "notebooks")]
        notebooks = [nb for nb in notebooks if not chosen or nb.path.name in chosen]
        if not notebooks:
            sys.exit("colab-sim: no notebooks chosen")
        results = []
        for nb in notebooks:
            result = execute(nb.path, proj, work / "git-calls.log", before)
            verdict = "ok" if not result.problems else "FAILED"
            changed = result.changed_outputs
            print(f"{args.edition}/{result.notebook}: {verdict} in {result.seconds:.1f} s; "
                  f"{len(changed)} cells print other text than stored {changed if changed else ''}", flush=True)
            for problem in result.problems:
                print(f"    {problem}")
            results.append(result)
    fresh_runtime()
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

"""Pieces of tools/colab_sim.py that can be checked in a second: the git shim and the stand-in google.colab.

The simulation itself (`make colab-sim`) takes minutes and is not part of `make test`.
"""

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import colab_sim
from tools.nbtool import setup_source
from tools.notebooks import Project, project


@dataclass(frozen=True)
class TmpProject(Project):
    """The series' project, cloned into a temporary folder instead of /content."""

    target: str = ""

    @property
    def clone_dir(self) -> str:
        return self.target


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def shim(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    git("init", "--quiet", "--initial-branch", project().ref, cwd=source)
    (source / "marker.txt").write_text("the local source\n")
    git("add", "marker.txt", cwd=source)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "one", cwd=source)
    proj = TmpProject(project().repository, project().ref, str(tmp_path / "content" / "lstm-tutorial"))
    log = tmp_path / "git-calls.log"
    colab_sim.write_shim(tmp_path / "bin", proj, f"file://{source}", log)
    return tmp_path / "bin" / "git", proj, log


def setup_cell_git_args(proj):
    """The argument list the generated set-up cell passes to git."""
    tree = ast.parse(setup_source(project()))
    lists = [n for n in ast.walk(tree) if isinstance(n, ast.List) and n.elts]
    call = next(n for n in lists if ast.literal_eval(n.elts[0]) == "git")
    args = [ast.literal_eval(e) for e in call.elts][1:]
    return [proj.clone_dir if a == project().clone_dir else a for a in args]


def test_shim_serves_the_set_up_cells_clone_from_the_local_source(shim):
    path, proj, log = shim
    result = subprocess.run([str(path), *setup_cell_git_args(proj)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    clone = Path(proj.clone_dir)
    assert (clone / "marker.txt").read_text() == "the local source\n"
    assert (clone / ".colab-sim").is_file(), "the clone is marked, so the next run may remove it"
    assert [json.loads(line) for line in log.read_text().splitlines()] == [setup_cell_git_args(proj)]


@pytest.mark.parametrize("change", ["url", "ref", "dest", "command"])
def test_shim_refuses_any_other_git_call(shim, change):
    path, proj, _ = shim
    args = setup_cell_git_args(proj)
    if change == "url":
        args[args.index(proj.repository)] = "https://example.org/other.git"
    elif change == "ref":
        args[args.index("--branch") + 1] = "other-branch"
    elif change == "dest":
        args[-1] = "/tmp/elsewhere"
    else:
        args = ["status"]
    result = subprocess.run([str(path), *args], capture_output=True, text=True)
    assert result.returncode != 0
    assert "colab-sim git shim: expected" in result.stderr


def test_stand_in_google_colab_is_importable_from_the_stub_alone():
    code = "import google.colab, sys; print(google.colab.SIMULATED, 'google.colab' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(colab_sim.STUB)},
                            capture_output=True, text=True)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_requirements_follow_the_table_of_colab_versions():
    for name, (_, installed) in colab_sim.COLAB.items():
        if name not in ("python", "torch"):
            assert f"{name}=={installed}" in colab_sim.REQUIREMENTS
    assert colab_sim.TORCH == f"torch=={colab_sim.COLAB['torch'][1]}"


def test_the_simulation_runs_colabs_own_python_and_torch():
    for name in ("python", "torch"):
        colab, installed = colab_sim.COLAB[name]
        assert colab.split("+")[0] == installed, f"{name}: Colab has {colab}, the simulation installs {installed}"

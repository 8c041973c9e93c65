"""Pieces of tools/colab_sim.py that can be checked in seconds: the set-up cell's install line, the git shim,
the probe's verdicts and the stand-in google.colab.

The simulation itself (`make colab-sim`) takes minutes and is not part of `make test`.
"""

import json
import shlex
import subprocess
import sys

import pytest

from tools import colab_sim
from tools.nbtool import setup_source
from tools.notebooks import project


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def pip_line() -> list[str]:
    """The set-up cell's ``%pip install ...`` line, as a list of words."""
    (line,) = [ln.strip() for ln in setup_source(project()).splitlines() if ln.strip().startswith("%pip")]
    return shlex.split(line)


def test_the_set_up_cell_installs_the_repository_at_its_ref_and_nothing_else():
    words = pip_line()
    assert words[:2] == ["%pip", "install"]
    assert "--no-deps" in words, "installing dependencies could upgrade Colab's torch, numpy or ipywidgets"
    assert "-e" not in words and "--editable" not in words, "an editable install imports only after a restart"
    assert [w for w in words[2:] if not w.startswith("-")] == [project().pip_url]
    assert project().pip_url == f"git+{project().repository}@{project().ref}"


@pytest.fixture
def shim(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    git("init", "--quiet", "--initial-branch", project().ref, cwd=source)
    (source / "marker.txt").write_text("the local source\n")
    git("add", "marker.txt", cwd=source)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "one", cwd=source)
    log = tmp_path / "git-calls.log"
    colab_sim.write_shim(tmp_path / "bin", project(), f"file://{source}", log)
    return tmp_path / "bin" / "git", log


@pytest.mark.parametrize("suffix", ["", ".git"])
def test_shim_serves_a_clone_of_the_repository_from_the_local_source(shim, tmp_path, suffix):
    path, log = shim
    args = ["clone", "--filter=blob:none", "--quiet", project().repository + suffix, str(tmp_path / "clone")]
    result = subprocess.run([str(path), *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "clone" / "marker.txt").read_text() == "the local source\n"
    assert [json.loads(line) for line in log.read_text().splitlines()] == [args]
    version = subprocess.run([str(path), "version"], capture_output=True, text=True)  # pip asks this first
    assert version.returncode == 0 and version.stdout.startswith("git version")


def test_shim_refuses_any_other_address(shim, tmp_path):
    path, _ = shim
    result = subprocess.run([str(path), "clone", "https://example.org/other.git", str(tmp_path / "x")],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "colab-sim git shim: only https://github.com/" in result.stderr


def test_the_local_repository_holds_head_on_the_ref(tmp_path):
    repo = colab_sim.local_repository(tmp_path / "repo", project().ref, worktree=False)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=colab_sim.ROOT, capture_output=True, text=True)
    branch = subprocess.run(["git", "rev-parse", project().ref], cwd=repo, capture_output=True, text=True)
    assert branch.stdout == head.stdout and (repo / "pyproject.toml").is_file()


def probe(**changes):
    proj = project()
    before = {"python": "3.11.7", "torch": "2.13.0+cpu", "numpy": "2.1.3", "ipywidgets": "7.7.1"}
    found = {
        "helpers": "/sim/venv/lib/python3.11/site-packages/helpers/__init__.py",
        "prefix": "/sim/venv",
        "direct_url": {"url": proj.repository, "vcs_info": {"vcs": "git", "requested_revision": proj.ref}},
        **before,
    }
    return colab_sim.probe_problems({**found, **changes}, proj, before)


def test_the_probe_accepts_a_regular_install_from_the_repository():
    assert probe() == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"helpers": "/content/lstm-tutorial/helpers/__init__.py"}, "helpers came from /content"),
        ({"direct_url": {"url": "https://example.org/fork", "vcs_info": {"requested_revision": "main"}}},
         "pip installed https://example.org/fork@main"),
        ({"direct_url": {"url": "file:///src", "dir_info": {"editable": True}}}, "installed editable"),
        ({"torch": "2.14.1"}, "torch is 2.14.1 after the set-up cell, not the runtime's 2.13.0+cpu"),
    ],
)
def test_the_probe_names_what_colab_would_not_do(changes, problem):
    assert any(problem in p for p in probe(**changes)), probe(**changes)


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

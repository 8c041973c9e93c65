"""environment.yml is what repo2docker (Binder) needs: valid YAML, conda-forge, a pinned Python, CPU PyTorch, -e .

It holds what a student needs to learn (pyproject.toml's runtime ranges, JupyterLab, a kernel), no dev tools.
What cannot be checked here (no conda channel is reachable from the test machines): that conda-forge
resolves it; that is proved by launching the Binder badge.
"""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tools.notebooks import ROOT

BINDER_FILES = ("requirements.txt", "Pipfile", "setup.py", "runtime.txt", "apt.txt", "postBuild", "start")


@pytest.fixture(scope="module")
def env():
    data = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert isinstance(data, dict), "environment.yml must be a YAML mapping"
    return data


def conda_specs(env):
    return [d for d in env["dependencies"] if isinstance(d, str)]


def test_only_known_fields(env):
    assert set(env) <= {"name", "channels", "dependencies"}, set(env)
    assert isinstance(env["name"], str) and env["name"]


def test_conda_forge_only(env):
    assert env["channels"] == ["conda-forge"], "one channel: conda-forge (no 'defaults', whose terms differ)"


def test_python_is_pinned_inside_the_supported_range(env):
    pins = [d for d in conda_specs(env) if re.match(r"^python\b", d)]
    assert len(pins) == 1, "pin Python once, or Binder picks an old default"
    found = re.fullmatch(r"python\s*=\s*(\d+\.\d+)(?:\.\*)?", pins[0])
    assert found, f"pin an exact minor version, like python=3.11; got {pins[0]!r}"
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert found[1] + ".0" in SpecifierSet(requires), f"python {found[1]} is outside requires-python {requires}"


def test_pytorch_is_the_cpu_build(env):
    names = [re.split(r"[<>=! ]", d)[0] for d in conda_specs(env)]
    assert "pytorch-cpu" in names, "Binder has no GPU: use conda-forge's CPU-only pytorch-cpu"
    assert not {"pytorch", "torch", "pytorch-gpu", "cudatoolkit"} & set(names)


def test_every_spec_is_a_conda_match_spec(env):
    for spec in conda_specs(env):
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*(?:\s*(?:[<>=!]=?|=)\s*[\w.*]+(?:,\s*[<>=!]=?\s*[\w.*]+)*)?", spec), (
            f"not a conda match spec: {spec!r}"
        )


def test_pip_installs_the_package_itself_and_nothing_else(env):
    pip_sections = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip_sections) == 1 and set(pip_sections[0]) == {"pip"}
    assert pip_sections[0]["pip"] == ["-e ."], "Binder installs helpers with `pip: [-e .]`; conda installs the rest"
    assert "pip" in conda_specs(env), "list pip itself among the conda packages before its section"


def test_no_other_file_overrides_environment_yml():
    for folder in (ROOT, ROOT / "binder", ROOT / ".binder"):
        for name in BINDER_FILES:
            assert not (folder / name).exists(), f"{folder.name}/{name} would change what Binder builds"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "a binder/ folder makes repo2docker ignore environment.yml at the root"
    )


def test_the_badges_open_jupyterlab(env):
    names = {re.split(r"[<>=! ]", d)[0] for d in conda_specs(env)}
    assert "jupyterlab" in names, "the Binder badges open urlpath=lab/tree/...: JupyterLab must be installed"
    assert "lab/tree/" in (ROOT / "README.md").read_text()


def test_what_a_student_needs_with_pyprojects_ranges(env):
    """Binder/conda: the runtime dependencies with pyproject.toml's ranges, JupyterLab and a kernel; no dev tools."""
    specs = {}
    for spec in (d for d in env["dependencies"] if isinstance(d, str)):
        name, _, rest = re.match(r"([a-z0-9._-]+)(\s*)(.*)", spec).groups()
        specs[name] = rest.replace(" ", "")
    conda_name = {"torch": "pytorch-cpu"}
    runtime = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]]
    for requirement in runtime:
        name = conda_name.get(requirement.name, requirement.name)
        ranges = ",".join(sorted(str(s) for s in requirement.specifier))
        assert name in specs, f"environment.yml lacks {name}"
        assert ",".join(sorted(specs[name].split(","))) == ranges, f"{name}: {specs[name]!r} != pyproject's {ranges!r}"
    runtime_names = {conda_name.get(r.name, r.name) for r in runtime}
    extra = set(specs) - runtime_names - {"python", "pip", "jupyterlab", "ipykernel"}
    assert not extra, f"environment.yml installs what a student does not need: {sorted(extra)}"

"""environment.yml (conda, Binder) names the same dependencies as pyproject.toml."""

import re
import tomllib

from tools.notebooks import ROOT

CONDA_NAMES = {"torch": "pytorch-cpu"}  # PyPI name -> conda-forge name, where they differ


def names(requirements):
    return {re.split(r"[<>=!~ \[]", r)[0].strip().lower() for r in requirements}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"] + project["optional-dependencies"]["dev"])
    wanted = {CONDA_NAMES.get(n, n) for n in wanted}
    lines = (ROOT / "environment.yml").read_text().splitlines()
    deps = lines[lines.index("dependencies:") + 1 :]
    listed = {line.split("- ", 1)[1] for line in deps if re.match(r"^  - [a-z][a-z0-9-]*([<>=].*)?$", line)}
    conda = names(listed) - {"python", "pip"}
    assert conda == wanted
    assert "      - -e ." in lines, "Binder installs helpers only through `pip: - -e .`"

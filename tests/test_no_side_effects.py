"""`make lab` and `make test` change nothing outside the project folder; installing a browser is its own step."""

import re
import shutil
import subprocess

import pytest

from tools import local_home
from tools.notebooks import ROOT

MAKEFILE = (ROOT / "Makefile").read_text()


def test_makefile_exports_the_same_local_home_as_the_tests():
    exported = dict(re.findall(r"^export (\w+) := \$\(HOME_HERE\)/(\S+)$", MAKEFILE, re.MULTILINE))
    assert exported == local_home.VARIABLES
    assert "HOME_HERE := $(CURDIR)/build/home" in MAKEFILE
    assert local_home.HOME == ROOT / "build" / "home"


def test_apply_keeps_a_value_already_set():
    environ = {"IPYTHONDIR": "/elsewhere"}
    local_home.apply(environ)
    assert environ["IPYTHONDIR"] == "/elsewhere"
    assert environ["MPLCONFIGDIR"] == str(ROOT / "build" / "home" / "matplotlib")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["setup", "lab", "test"])
def test_lab_and_test_install_nothing_on_the_system(target):
    """Every command `make TARGET` would run (the venv's build included, -B): no apt-get, no browser install."""
    commands = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    for word in ("apt-get", "install_browser", "sudo", "playwright install", "~/", "$HOME"):
        assert word not in commands, f"`make {target}` would run {word!r}"


def test_the_browser_is_its_own_target_and_ci_calls_it_before_the_tests():
    assert re.search(r"^browser:.*\n\tsh tools/install_browser\.sh$", MAKEFILE, re.MULTILINE)
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert ci[-2:] == ["make browser", "make test"], ci
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make browser" in readme

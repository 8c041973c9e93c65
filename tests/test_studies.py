"""studies/: every script is described, writes its result through studies/results.py, and every result says
what it ran on, so that a notebook's quoted number can be held against it."""

import json
import re
import sys

import pytest

from studies import results
from studies.results import ENVIRONMENT_KEYS, Study
from tools.notebooks import ROOT

STUDIES = ROOT / "studies"
SCRIPTS = sorted(p for p in STUDIES.glob("*.py") if p.name not in ("__init__.py", "results.py"))


def test_there_are_studies():
    assert len(SCRIPTS) >= 5, [p.name for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_readme_describes_the_script(script):
    text = (STUDIES / "README.md").read_text()
    assert f"`{script.name}`" in text, f"studies/README.md does not describe {script.name}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_script_writes_through_results(script):
    source = script.read_text()
    assert "from studies.results import" in source and f'Study("{script.stem}"' in source, (
        f"{script.name} must write studies/results/{script.stem}.json through studies.results.Study"
    )
    assert "add_arguments(parser)" in source, f"{script.name} must offer --no-save (studies.results.add_arguments)"


RESULT_FILES = sorted((STUDIES / "results").glob("*.json"))


@pytest.mark.parametrize("path", RESULT_FILES, ids=lambda p: p.name)
def test_every_result_names_its_study_and_what_it_ran_on(path):
    record = json.loads(path.read_text())
    assert (STUDIES / f"{record['study']}.py").is_file() and path.stem == record["study"]
    assert record["command"].startswith(f".venv/bin/python studies/{record['study']}.py")
    missing = [key for key in ENVIRONMENT_KEYS if key not in record["environment"]]
    assert not missing, f"{path.name} lacks {missing}"
    assert record["result"], f"{path.name} holds no numbers"
    assert path.with_suffix(".md").is_file(), f"{path.stem}.md, the human-readable copy, is missing"
    assert f"results/{path.name}" in (STUDIES / "README.md").read_text()


def test_study_writes_json_and_markdown_with_the_environment(tmp_path, capsys):
    with Study("demo", ["--seeds", "3"], seeds=[3], folder=tmp_path) as study:
        print("a table the study printed")
        study.result = {"accuracy": 0.5}
    record = json.loads((tmp_path / "demo.json").read_text())
    name = "demo"
    assert record["command"] == f".venv/bin/python studies/{name}.py --seeds 3"
    assert record["seeds"] == [3] and record["result"] == {"accuracy": 0.5}
    assert set(ENVIRONMENT_KEYS) <= set(record["environment"])
    assert len(record["environment"]["load_average_at_start"]) == 3
    import torch

    assert record["environment"]["torch"] == torch.__version__
    assert record["environment"]["cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", record["environment"]["date"])
    text = (tmp_path / "demo.md").read_text()
    assert "a table the study printed" in text and f"`.venv/bin/python studies/{name}.py --seeds 3`" in text
    assert "a table the study printed" in capsys.readouterr().out  # still printed as it ran
    assert sys.stdout is not None


def test_study_writes_nothing_on_error_or_without_result_or_when_asked(tmp_path):
    with pytest.raises(RuntimeError), Study("demo", [], folder=tmp_path) as study:
        study.result = {"x": 1}
        raise RuntimeError("the run failed")
    with Study("demo", [], save=False, folder=tmp_path) as study:
        study.result = {"x": 1}
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="set study.result"), Study("demo", [], folder=tmp_path):
        pass


def test_study_refuses_a_path_as_name():
    with pytest.raises(ValueError, match="script name"):
        Study("studies/demo")


def test_results_module_is_the_one_writer():
    """No study writes its own result file."""
    for script in SCRIPTS:
        assert "results/" not in re.sub(r'""".*?"""', "", script.read_text(), flags=re.S).replace(
            "studies.results", ""), f"{script.name} names a results path itself; let studies/results.py write it"
    assert results.RESULTS == STUDIES / "results"

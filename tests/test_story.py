"""The story check: its machinery, one story file per notebook, and a fast run off the reference path.

`make story` runs every notebook on several numeric paths and seeds (minutes); here each notebook runs
once, on the scalar path with another seed, and every claim of its story must hold there too.
"""

import pytest

from stories.story import Story, Variables, load, parse, report, story_path
from tools.notebooks import all_notebooks
from tools.story import DEFAULT_RUNS, Run, claims_cell, run_in_child, table_markdown, table_text

NOTEBOOKS = all_notebooks()
FAST_RUN = Run("scalar", 1)  # one of make story's runs: the furthest path, another seed


def make_story():
    story = Story("/somewhere/09_example.py")

    @story.claim("§1", "x is positive")
    def positive(nb):
        return nb.x > 0, f"x = {nb.x}"

    @story.claim("§2", "y exists")
    def needs_y(nb):
        return True, str(nb.y)

    @story.claim("§2", "returns a bare bool")
    def bare(nb):
        return True

    return story


def test_claims_hold_fail_or_report_their_error():
    verdicts = {v.key: v for v in make_story().evaluate({"x": 3})}
    assert verdicts["positive"].holds and verdicts["positive"].measured == "x = 3"
    assert not verdicts["needs_y"].holds
    assert "defines no variable 'y'" in verdicts["needs_y"].measured
    assert not verdicts["bare"].holds and "must return (holds, measured)" in verdicts["bare"].measured
    assert not {v.key: v for v in make_story().evaluate({"x": -1})}["positive"].holds


def test_a_story_refuses_duplicate_and_empty_claims():
    story = Story("09_example.py")
    with pytest.raises(ValueError, match="section"):
        story.claim("", "text")
    story.claim("§1", "a")(lambda nb: (True, ""))
    with pytest.raises(ValueError, match="two claims"):
        story.claim("§1", "b")(lambda nb: (True, ""))


def test_variables_read_by_attribute_and_item():
    nb = Variables({"a": 1}, "09_example.ipynb")
    assert nb.a == 1 and nb["a"] == 1 and "a" in nb and "b" not in nb
    with pytest.raises(KeyError, match="09_example.ipynb defines no variable 'b'"):
        nb.b  # noqa: B018


def test_runs_are_parsed_and_the_default_covers_three_paths_and_four_more_seeds():
    runs = [Run.parse(r) for r in DEFAULT_RUNS]
    assert {"reference", "scalar", "native"} <= {r.path for r in runs}
    assert len({r.seed for r in runs} - {0}) >= 4
    assert FAST_RUN in runs
    with pytest.raises(Exception, match="PATH:SEED"):
        Run.parse("fast:1")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[nb.path.stem for nb in NOTEBOOKS])
def test_every_notebook_has_a_story_whose_sections_exist(nb):
    story = load(nb.path.name)
    headings = " ".join(c.source.splitlines()[0] for c in nb.node.cells if c.cell_type == "markdown" and c.source)
    for claim in story.claims:
        for part in claim.section.replace(",", " ").split():
            if part.startswith("§"):
                assert f"## {part[1:]}." in headings, f"{story_path(nb.path.name).name}: {claim.key} names {part}"
    assert nb.path.stem in claims_cell(nb)


def test_report_round_trips_and_tables_show_every_run():
    from tools.story import Outcome

    line = report("01_vanilla_rnn", {})  # no variables: every claim fails with its reason
    verdicts = parse("noise\n" + line + "\n")
    assert verdicts and not any(v.holds for v in verdicts)
    outcomes = [Outcome("01_vanilla_rnn.ipynb", "reference:0", verdicts), Outcome("01_vanilla_rnn.ipynb", "scalar:1",
                                                                                     error="boom")]
    assert "scalar:1: the notebook failed: boom" in table_text("01", outcomes)
    assert "| claim | reference:0 | scalar:1 |" in table_markdown("01", outcomes)


def _fast_run(nb):
    outcome = run_in_child(nb, FAST_RUN)
    assert not outcome.error, f"{nb.path.name} failed on {FAST_RUN.label}: {outcome.error}"
    failed = [f"{v.section} {v.text}: {v.measured}" for v in outcome.verdicts if not v.holds]
    assert not failed, f"{nb.path.name} on {FAST_RUN.label}, claims that fail:\n  " + "\n  ".join(failed)


# One class per notebook, so that pytest-xdist's loadscope spreads the runs over the workers.
for _nb in NOTEBOOKS:
    _name = "TestStory_" + _nb.path.stem
    globals()[_name] = type(_name, (), {"test_claims_hold_off_the_reference_path":
                                        lambda self, nb=_nb: _fast_run(nb)})

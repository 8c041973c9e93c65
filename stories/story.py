"""What a notebook says, written down as checks that run on the notebook's own variables.

Each notebook ``notebooks/NN_topic.ipynb`` has a story file ``stories/NN_topic.py`` that holds one
:class:`Story` and, for every sentence of the notebook that reports a result, one claim::

    from stories.story import Story

    story = Story(__file__)

    @story.claim("§3", "The LSTM holds the marked value at every delay (at least 90%)")
    def lstm_holds(nb):
        worst = min(nb.lstm_accuracy.values())
        return worst >= 0.9, f"worst {worst:.2f}"

A claim receives ``nb``, the notebook's global variables after a full run (``nb.name`` or
``nb["name"]``), and returns ``(holds, measured)``: whether the sentence is true of this run, and the
values it was judged on, as short text. ``tools/story.py`` runs every notebook on several numeric paths
and seeds and evaluates its claims in the notebook's own kernel.
"""

from __future__ import annotations

import importlib.util
import json
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

STORY_DIR = Path(__file__).resolve().parent
MEASURED_LIMIT = 120  # characters of a measured value kept in the table


class Variables:
    """Read-only view of a notebook's globals: ``nb.x`` or ``nb["x"]``, with a clear error for a missing name."""

    def __init__(self, values: Mapping[str, Any], notebook: str) -> None:
        self._values = values
        self._notebook = notebook

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise KeyError(f"the notebook {self._notebook} defines no variable {name!r} "
                           "(renamed in the notebook but not in its story?)") from None

    def __contains__(self, name: str) -> bool:
        return name in self._values


@dataclass(frozen=True)
class Claim:
    """One sentence of a notebook that reports a result, and the check that it holds."""

    key: str  # the check function's name, unique within a story
    section: str  # where the sentence is, e.g. "§3" or "Summary"
    text: str  # the sentence, or what it says, in a few words
    check: Callable[[Variables], tuple[bool, str]]


@dataclass(frozen=True)
class Verdict:
    """What one claim gave on one run."""

    key: str
    section: str
    text: str
    holds: bool
    measured: str


class Story:
    """The claims of one notebook; the notebook is named by the story file's name."""

    def __init__(self, story_file: str | Path) -> None:
        self.notebook = Path(story_file).stem + ".ipynb"
        self.claims: list[Claim] = []

    def claim(self, section: str, text: str) -> Callable:
        """Decorator: register ``check(nb) -> (holds, measured)`` as the claim ``text`` of ``section``."""
        if not isinstance(section, str) or not section.strip():
            raise ValueError(f"section must name where the sentence is, e.g. '§3'; got {section!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"text must say what the notebook claims; got {text!r}")

        def register(check: Callable[[Variables], tuple[bool, str]]) -> Callable:
            if any(c.key == check.__name__ for c in self.claims):
                raise ValueError(f"{self.notebook}: two claims are named {check.__name__!r}")
            self.claims.append(Claim(check.__name__, section, text, check))
            return check

        return register

    def evaluate(self, variables: Mapping[str, Any]) -> list[Verdict]:
        """Run every claim on one run's variables. A claim that raises is a claim that fails."""
        nb = Variables(variables, self.notebook)
        verdicts = []
        for claim in self.claims:
            try:
                result = claim.check(nb)
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise TypeError(f"a claim must return (holds, measured); got {result!r}")
                holds, measured = result
                holds = bool(holds)
                measured = str(measured)
            except Exception as error:  # a broken claim is reported, not raised: the table must finish
                frame = traceback.extract_tb(error.__traceback__)[-1]
                holds, measured = False, f"error: {type(error).__name__}: {error} (line {frame.lineno})"
            measured = re.sub(r"\s+", " ", measured).strip()
            if len(measured) > MEASURED_LIMIT:
                measured = measured[: MEASURED_LIMIT - 1] + "…"
            verdicts.append(Verdict(claim.key, claim.section, claim.text, holds, measured))
        return verdicts


def story_path(notebook: str) -> Path:
    """``stories/NN_topic.py`` for ``NN_topic.ipynb`` (or its stem)."""
    return STORY_DIR / (Path(notebook).stem + ".py")


def load(notebook: str) -> Story:
    """Import the story file of ``notebook`` and return its :class:`Story`."""
    path = story_path(notebook)
    if not path.is_file():
        raise FileNotFoundError(f"{Path(notebook).stem}.ipynb has no story file: expected {path}")
    spec = importlib.util.spec_from_file_location(f"stories._{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    story = getattr(module, "story", None)
    if not isinstance(story, Story):
        raise TypeError(f"{path.name} must define `story = Story(__file__)`")
    if not story.claims:
        raise ValueError(f"{path.name} states no claims")
    return story


MARKER = "STORY-VERDICTS:"


def report(notebook: str, variables: Mapping[str, Any]) -> str:
    """The line the runner reads from the kernel: a marker, then the verdicts as JSON."""
    verdicts = load(notebook).evaluate(variables)
    return MARKER + json.dumps([asdict(v) for v in verdicts], ensure_ascii=False)


def parse(text: str) -> list[Verdict]:
    """The verdicts in a kernel's output, as written by :func:`report`."""
    for line in text.splitlines():
        if line.startswith(MARKER):
            return [Verdict(**v) for v in json.loads(line[len(MARKER):])]
    raise ValueError("no verdicts in the kernel's output")

"""How long a notebook takes a student, computed from its content by one stated formula.

    python tools/reading_time.py      # each notebook's counts and minutes, core path and Going further

``tools/nbtool.py`` writes the result into each title cell (``**Time:** about 40 minutes``, or
``**Time:** about 40 minutes (Going further: 15 more)``), the README index and, through
``tools/teachers_page.py``, the teachers' page; ``--check`` fails while any of them is stale.

The formula, for the hand-written cells of a notebook (the generated navigation and set-up cells are left
out, and so are the hidden solution cells, which a student does not read, and the ``**Time:**`` line itself):

    minutes = words / WORDS_PER_MINUTE
            + (code lines + equation lines) * SECONDS_PER_LINE / 60
            + figures * SECONDS_PER_FIGURE / 60
            + exercises * MINUTES_PER_EXERCISE

rounded to the nearest 5 minutes (at least 5). The cells of the ``## Exercises`` section count only as
exercises (their statements and answer cells are what the minutes per exercise pay for). The *core path* is
everything before a final ``## Going further`` section; that section, which a class may skip, is timed
separately by the same formula.

What each constant rests on:

- ``WORDS_PER_MINUTE = 200``: reading to learn, not to skim. Adults read non-fiction silently at about 238
  words a minute (M. Brysbaert, "How many words do we read per minute? A review and meta-analysis of reading
  rate", Journal of Memory and Language 109, 2019); R. P. Carver ("Reading rate: theory, research, and
  practical implications", Journal of Reading 36(2), 1992) puts the "learning" gear of college readers at about
  200, against 300 for ordinary reading. A tutorial's prose is read in that gear.
- ``SECONDS_PER_LINE = 10``: 360 lines an hour, to read a line of code, run its cell and look at what it
  prints. Careful professional code review proceeds at 300 to 500 lines an hour (the SmartBear/Cisco study in
  J. Cohen, "Best Kept Secrets of Peer Code Review", 2006: faster than that, reviewers miss defects); a
  student meeting the code for the first time is taken to be no faster than a careful reviewer. An equation
  set apart on its own line (``$$ ... $$``) is read symbol by symbol like a line of code and counts as one
  line per source line (an assumption).
- ``SECONDS_PER_FIGURE = 30``: an assumption: reading a plot's title, axes and legend and finding in it what
  the text says, about as long as a 100-word paragraph at 200 words a minute.
- ``MINUTES_PER_EXERCISE = 5``: an assumption: read the task, write a few lines, run the checker, and fix
  one mistake. An exercise that trains a model takes longer; count it as two by writing it as two.
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebooks import (
    EXERCISE_STATEMENT,
    EXERCISES_HEADING,
    GOING_FURTHER_HEADING,
    TIME_LINE,
    Notebook,
    all_notebooks,
    generated_tag,
)

WORDS_PER_MINUTE = 200
SECONDS_PER_LINE = 10
SECONDS_PER_FIGURE = 30
MINUTES_PER_EXERCISE = 5
ROUND_TO = 5  # minutes: "about N minutes" claims no more precision than this

DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)|<img\b[^>]*>")
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]")  # a token with a letter or digit is a word; `|` or `---` is not
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")


@dataclass(frozen=True)
class Counts:
    """What a student reads and does in some cells of a notebook."""

    words: int = 0
    code_lines: int = 0
    equation_lines: int = 0
    figures: int = 0
    exercises: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.words + other.words, self.code_lines + other.code_lines,
                      self.equation_lines + other.equation_lines, self.figures + other.figures,
                      self.exercises + other.exercises)

    @property
    def minutes(self) -> float:
        """The formula (see the module's docstring), before rounding."""
        return (self.words / WORDS_PER_MINUTE
                + (self.code_lines + self.equation_lines) * SECONDS_PER_LINE / 60
                + self.figures * SECONDS_PER_FIGURE / 60
                + self.exercises * MINUTES_PER_EXERCISE)


@dataclass(frozen=True)
class Estimate:
    """A notebook's time: its core path and its optional Going further section (None when it has none)."""

    core: Counts
    further: Counts | None

    @property
    def core_minutes(self) -> int:
        return rounded(self.core.minutes)

    @property
    def further_minutes(self) -> int | None:
        return None if self.further is None else rounded(self.further.minutes)

    @property
    def time_line(self) -> str:
        """The title cell's line, as nbtool writes it."""
        line = f"**Time:** about {self.core_minutes} minutes"
        return line + (f" (Going further: {self.further_minutes} more)" if self.further is not None else "")

    @property
    def short(self) -> str:
        """For the README index's column: ``40 min`` or ``40 min (+15 optional)``."""
        text = f"{self.core_minutes} min"
        return text + (f" (+{self.further_minutes} optional)" if self.further is not None else "")


def rounded(minutes: float) -> int:
    """To the nearest ``ROUND_TO`` minutes, halves up, at least ``ROUND_TO``."""
    return max(ROUND_TO, ROUND_TO * math.floor(minutes / ROUND_TO + 0.5))


def prose_counts(source: str) -> Counts:
    """Words, display-equation lines and images of one markdown cell."""
    equation_lines = sum(len([line for line in m.group(1).splitlines() if line.strip()]) or 1
                         for m in DISPLAY_MATH.finditer(source))
    text = TIME_LINE.sub(" ", DISPLAY_MATH.sub(" ", source))  # the time line itself is not counted
    figures = len(MARKDOWN_IMAGE.findall(text))
    text = MARKDOWN_IMAGE.sub(lambda m: m.groupdict().get("alt") or " ", text)
    text = LINK.sub(lambda m: m["text"], text)
    words = sum(1 for token in text.split() if WORD.search(token))
    return Counts(words=words, equation_lines=equation_lines, figures=figures)


def code_counts(cell: nbformat.NotebookNode) -> Counts:
    """Non-blank source lines and image outputs of one code cell."""
    lines = sum(1 for line in cell.source.splitlines() if line.strip())
    figures = sum(1 for output in cell.get("outputs", [])
                  if any(kind in output.get("data", {}) for kind in IMAGE_TYPES))
    return Counts(code_lines=lines, figures=figures)


def exercise_count(source: str) -> int:
    """The exercise statements (``**Exercise N.**`` or ``### Exercise N``) that open a paragraph of ``source``."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", source) if p.strip()]
    return sum(1 for p in paragraphs if EXERCISE_STATEMENT.match(p.splitlines()[0]))


def count(cells: list[nbformat.NotebookNode]) -> Counts:
    """The counts of a run of cells: prose and code, except in an Exercises section, which counts exercises."""
    total = Counts()
    in_exercises = False
    for cell in cells:
        if generated_tag(cell) or "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            headings = re.findall(r"^## .*$", cell.source, re.MULTILINE)
            if headings:
                in_exercises = EXERCISES_HEADING.match(headings[-1]) is not None
            if in_exercises:
                total += Counts(exercises=exercise_count(cell.source))
            else:
                total += prose_counts(cell.source)
        elif cell.cell_type == "code" and not in_exercises:
            total += code_counts(cell)
    return total


def split(cells: list[nbformat.NotebookNode]) -> tuple[list, list | None]:
    """The core path's cells and the Going further section's (None when there is no such section)."""
    for index, cell in enumerate(cells):
        if cell.cell_type == "markdown" and not generated_tag(cell) and GOING_FURTHER_HEADING.match(cell.source):
            return cells[:index], cells[index:]
    return cells, None


def estimate(notebook: Notebook | nbformat.NotebookNode) -> Estimate:
    """The time of a notebook (or of a notebook node), core path and Going further."""
    node = notebook.node if isinstance(notebook, Notebook) else notebook
    core, further = split(node.cells)
    return Estimate(count(core), None if further is None else count(further))


def main() -> int:
    header = f"{'notebook':<32}{'part':>9}{'words':>7}{'code':>6}{'eq.':>5}{'figs':>5}{'ex.':>4}{'min':>7}{'shown':>7}"
    print(header)
    for nb in all_notebooks():
        found = estimate(nb)
        parts = [("core", found.core, found.core_minutes)]
        if found.further is not None:
            parts.append(("further", found.further, found.further_minutes))
        for name, counts, shown in parts:
            print(f"{nb.path.name:<32}{name:>9}{counts.words:>7}{counts.code_lines:>6}{counts.equation_lines:>5}"
                  f"{counts.figures:>5}{counts.exercises:>4}{counts.minutes:>7.1f}{shown:>7}")
    print(f"\n{WORDS_PER_MINUTE} words a minute, {SECONDS_PER_LINE} s a line of code or equation, "
          f"{SECONDS_PER_FIGURE} s a figure, {MINUTES_PER_EXERCISE} min an exercise; shown: rounded to {ROUND_TO} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())

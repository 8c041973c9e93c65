"""Write the per-notebook part of the teachers' page, docs/teachers.md, from the notebooks themselves.

    python tools/teachers_page.py           # rewrite the block between the markers
    python tools/teachers_page.py --check   # change nothing; exit 1 if the block is stale

For each notebook: title, pitch, time, prerequisites, learning goals (the title cell's
``## What you will learn`` list), the numbered sections and the exercises (each ``**Exercise N.**``
paragraph, or ``### Exercise N`` heading, and what follows it in its cell, of the ``## Exercises`` section).
The rest of the page is written by hand.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.notebooks import EXERCISE_STATEMENT, ROOT, Notebook, all_notebooks, generated_tag
from tools.reading_time import estimate
from tools.student_edition import exercises_start

PAGE = Path("docs") / "teachers.md"
START = "<!-- notebooks:start (written by tools/teachers_page.py) -->"
END = "<!-- notebooks:end -->"
PREREQUISITES = re.compile(r"^\*\*Prerequisites:\*\*\s*(?P<text>.+)$", re.MULTILINE)
SECTION = re.compile(r"^## (?P<number>\d+)\. (?P<title>.+)$", re.MULTILINE)


def learning_goals(notebook: Notebook) -> list[str]:
    """The bullets of the title cell's ``## What you will learn`` list."""
    lines = notebook.title_cell.splitlines()
    try:
        start = lines.index("## What you will learn") + 1
    except ValueError:
        raise ValueError(f"{notebook.relpath}: the title cell has no '## What you will learn' list") from None
    goals: list[str] = []
    for line in lines[start:]:
        if line.startswith(("- ", "* ")):
            goals.append(line[2:].strip())
        elif line.startswith("  ") and goals:
            goals[-1] += " " + line.strip()
        elif line.strip() or goals:
            break
    return goals


def prerequisites(notebook: Notebook) -> str:
    found = PREREQUISITES.search(notebook.title_cell)
    return found["text"].strip() if found else "none stated in the notebook"


def sections(notebook: Notebook) -> list[str]:
    text = "\n".join(c.source for c in notebook.node.cells if c.cell_type == "markdown" and not generated_tag(c))
    return [f"{m['number']}. {m['title'].strip()}" for m in SECTION.finditer(text)]


def exercises(notebook: Notebook) -> list[str]:
    """Each exercise's statement: its opening paragraph and the rest of its cell, joined into one line."""
    cells = notebook.node.cells
    found: list[list[str]] = []
    for cell in cells[exercises_start(cells) :]:
        if cell.cell_type != "markdown" or generated_tag(cell):
            continue
        current = None
        for paragraph in (p.strip() for p in re.split(r"\n\s*\n", cell.source) if p.strip()):
            match = EXERCISE_STATEMENT.match(paragraph.splitlines()[0])
            if match:
                rest = paragraph.splitlines()[1:]
                current = [match["text"] if match["n1"] else match["head"], *rest]
                found.append(current)
            elif current is not None:
                current.append(paragraph)
    return [" ".join(" ".join(parts).split()) for parts in found]


def notebook_block(notebook: Notebook) -> str:
    name = notebook.path.name
    goals = "\n".join(f"- {goal}" for goal in learning_goals(notebook))
    outline = " · ".join(sections(notebook)) or "(no numbered sections)"
    tasks = "\n".join(f"{k}. {task}" for k, task in enumerate(exercises(notebook), start=1)) or "(none found)"
    return f"""### {notebook.number:02d} · {notebook.title}

[Full edition](../notebooks/{name}) · [student edition](../student/{name}) · {time(notebook)}

{notebook.pitch}

**Prerequisites:** {prerequisites(notebook)}

**Learning goals**

{goals}

**Sections:** {outline}

**Exercises** (checkers in `helpers/exercises/nb{notebook.number:02d}.py`; solutions in the full edition only)

{tasks}"""


def time(notebook: Notebook) -> str:
    found = estimate(notebook)
    text = f"about {found.core_minutes} minutes"
    return text + (f" (Going further: {found.further_minutes} more)" if found.further is not None else "")


def block(notebooks: list[Notebook]) -> str:
    estimates = [estimate(nb) for nb in notebooks]
    total = sum(e.core_minutes for e in estimates)
    further = sum(e.further_minutes or 0 for e in estimates)
    count = f"{len(notebooks)} notebook" + ("s" if len(notebooks) != 1 else "")
    summary = (f"{count}, about {total} minutes of class time in all"
               + (f", and {further} more for the optional Going further sections" if further else "")
               + ". The times are computed from each notebook's content by the formula in "
               "`tools/reading_time.py` (200 words of prose a minute, 10 s a line of code or equation, "
               "30 s a figure, 5 minutes an exercise).")
    return "\n\n".join([START, summary, *(notebook_block(nb) for nb in notebooks), END])


def render(text: str, notebooks: list[Notebook]) -> str:
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"{PAGE} must contain the markers {START!r} and {END!r}")
    new = block(notebooks)
    return pattern.sub(lambda _: new, text)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the page is stale")
    args = parser.parse_args(argv)
    path = root / PAGE
    old = path.read_text()
    new = render(old, all_notebooks(root / "notebooks"))
    if new == old:
        print(f"{PAGE} is up to date.")
        return 0
    if args.check:
        print(f"Stale: {PAGE} (run `make generate`)")
        return 1
    path.write_text(new)
    print(f"Rewrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

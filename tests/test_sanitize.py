"""What nbval compares is honest: the rounding rule hides only errors below the tolerance a line states."""

import re

import pytest
from nbval.plugin import get_sanitize_patterns

from tools.notebooks import ROOT, all_notebooks

CONFIG = ROOT / "tests" / "nbval_sanitize.cfg"
PATTERNS = get_sanitize_patterns(CONFIG.read_text())  # exactly what nbval reads
LINE = re.compile(r"max \|Δ\| = (\S+) ≤ (\S+)")


def sanitize(text: str) -> str:
    for regex, replace in PATTERNS:
        text = re.sub(regex, replace, text)
    return text


def tolerances() -> list[str]:
    return sorted({m.group(1) for regex, _ in PATTERNS for m in [re.search(r"≤ (\S+)$", regex)] if m})


@pytest.mark.parametrize("tolerance", tolerances())
def test_a_difference_is_hidden_exactly_when_it_is_below_the_stated_tolerance(tolerance):
    tol = float(tolerance)
    exponent = int(tolerance.split("e")[1])
    for exp in range(exponent - 12, exponent + 6):
        for mantissa in ("1", "5", "9", "2.5"):
            value = f"{mantissa}e{exp:+03d}"
            line = f"h_t: max |Δ| = {value} ≤ {tolerance}: equal"
            hidden = sanitize(line) != line
            assert hidden == (float(value) < tol), f"{line!r} {'hidden' if hidden else 'compared'}"
    assert sanitize(f"max |Δ| = 0e+00 ≤ {tolerance}") != f"max |Δ| = 0e+00 ≤ {tolerance}"


def test_a_difference_without_a_stated_tolerance_is_compared():
    for line in ("max |Δ| = 6e-08", "max |Δ| = 3e-07 ≤ 1e-05", "max |Δ| = 2e-06 ≤ 1e-06"):
        assert sanitize(line) == line


def test_every_stored_difference_line_states_a_tolerance_the_rules_know():
    known = set(tolerances())
    for nb in all_notebooks():
        for cell in nb.node.cells:
            for output in cell.get("outputs", []):
                text = output.get("text", "") + "".join(output.get("data", {}).get("text/plain", ""))
                for m in re.finditer(r"max \|Δ\| = \S+.*", text):
                    found = LINE.search(m.group(0))
                    assert found and found.group(2).rstrip(":") in known, (
                        f"{nb.path.name}: {m.group(0)!r} must state its tolerance as '≤ TOL' with TOL in {known}")

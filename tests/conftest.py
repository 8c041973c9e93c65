"""Make the repository root importable, keep caches inside the project, pin the reference numeric path and
progress bars off, and say what is compared here."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Before Matplotlib, IPython or a kernel starts: their caches and settings go to build/home/, not the user's
# home folder (make sets the same; tools/local_home.py).
from tools import local_home  # noqa: E402

local_home.apply()

# Before torch starts, in this process and so in every notebook kernel it starts: the outputs stored in
# the notebooks were computed on this path (tools/numeric_path.py says why).
from tools import numeric_path, progress_off  # noqa: E402

numeric_path.pin(numeric_path.REFERENCE)
# ... and with progress bars off, so that a cell that shows one compares what it prints (tools/progress_off.py).
progress_off.pin()

import platform  # noqa: E402

import torch  # noqa: E402

torch.set_num_threads(1)

MACHINE = platform.machine()
CAPABILITY = torch.backends.cpu.get_cpu_capability()
ON_REFERENCE = numeric_path.on_reference(MACHINE, CAPABILITY)


def pytest_report_header(config):
    return numeric_path.describe(MACHINE, CAPABILITY)


def pytest_configure(config):
    # Off the reference path the stored digits cannot be reproduced: nbval still runs every cell (an
    # error fails), but compares only cells marked NBVAL_CHECK_OUTPUT. The header says so.
    if not ON_REFERENCE and hasattr(config.option, "nbval_lax"):
        config.option.nbval_lax = True

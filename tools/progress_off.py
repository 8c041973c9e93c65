"""Progress bars off in the kernels that store and compare outputs; students still see them.

A tqdm bar is volatile: its stored text is whatever it showed when the output was saved (in a notebook,
``0%| 0/8 [00:00<?, ?it/s]``, frozen), and a cell that shows one cannot be compared. With the bars off,
such a cell stores and compares only what it prints.

tqdm documents ``TQDM_DISABLE=1`` for this, but its notebook bar, which ``tqdm.auto`` picks in a Jupyter
kernel, ignores it (tqdm 4.66 to 4.70: ``tqdm.notebook.tqdm`` passes ``disable=False`` on itself).
So :func:`pin` also names ``tools/progress_off_startup.py`` in ``PYTHONSTARTUP``, which every IPython
kernel runs before the first cell: it makes the notebook bar honour ``TQDM_DISABLE``. Nothing else changes.

Used by ``tests/conftest.py`` (``make test``), ``tools/execute.py`` (``make outputs``) and the story check.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

STARTUP = Path(__file__).resolve().with_name("progress_off_startup.py")


def environment() -> dict[str, str]:
    """The variables that turn the bars off in a kernel started with them."""
    return {"TQDM_DISABLE": "1", "PYTHONSTARTUP": str(STARTUP)}


def pin(environ: MutableMapping[str, str] | None = None) -> None:
    """Set :func:`environment` into ``environ`` (default ``os.environ``), in place, before kernels start."""
    (os.environ if environ is None else environ).update(environment())

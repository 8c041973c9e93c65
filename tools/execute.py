"""Re-execute notebooks top to bottom on a fresh kernel and write their outputs in place.

    python tools/execute.py                      # every notebook
    python tools/execute.py notebooks/01_*.ipynb # some

Runs on the CPU (CUDA hidden), on the reference numeric path (``tools/numeric_path.py``) and with
progress bars off (``tools/progress_off.py``), so that committed outputs match what the tests re-compute;
stores execution counts 1..N, the metadata JupyterLab and the kernel write (kernelspec ``python3``, the
kernel's ``language_info`` with its Python version, which must be the lock's), the widget state (so
sliders render on GitHub and in the HTML handouts) and nothing that names the machine or the time.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import numeric_path, progress_off
from tools.notebooks import KERNELSPEC, NOTEBOOK_DIR, Notebook, all_notebooks, dumps, language_info, lock_python


def clean(node: nbformat.NotebookNode, python: str) -> nbformat.NotebookNode:
    """Keep what JupyterLab saves (kernelspec, the kernel's language_info); drop per-cell timing and run metadata."""
    node.metadata["kernelspec"] = dict(KERNELSPEC)
    node.metadata["language_info"] = language_info(python)
    for cell in node.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.outputs:
                output.get("metadata", {}).pop("execution", None)
    return node


def execute(notebook: Notebook, timeout: int = 600, any_python: bool = False) -> float:
    """Run one notebook in place; return its wall time in seconds."""
    node = nbformat.read(notebook.path, as_version=4)
    client = NotebookClient(
        node,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.path.parent)}},
        record_timing=False,
        store_widget_state=True,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    reported = dict(node.metadata.get("language_info", {}))
    python = reported.get("version", "?")
    if reported != language_info(python):
        raise RuntimeError(f"{notebook.relpath}: the kernel reported an unexpected language_info: {reported}")
    if python != lock_python() and not any_python:
        raise SystemExit(f"{notebook.relpath}: the kernel ran Python {python}, the lock's is {lock_python()}: "
                         "JupyterLab would rewrite language_info.version on every save (--any-python stores it anyway)")
    notebook.path.write_text(dumps(clean(node, python)))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all)")
    parser.add_argument("--any-path", action="store_true",
                        help="store outputs even where this CPU cannot take the reference numeric path")
    parser.add_argument("--any-python", action="store_true",
                        help="store outputs even when the kernel's Python is not the one in requirements/lock.txt")
    args = parser.parse_args(argv)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # outputs are written, and compared, on the CPU
    numeric_path.pin(numeric_path.REFERENCE)  # ... and on the one numeric path (tools/numeric_path.py)
    progress_off.pin()  # ... with progress bars off, so that a cell stores its printed results only
    found = numeric_path.probe(numeric_path.REFERENCE)
    if not numeric_path.on_reference(found["machine"], found["capability"]) and not args.any_path:
        print(numeric_path.describe(found["machine"], found["capability"]))
        print("Refusing to store outputs that the tests on the reference path could not reproduce "
              "(--any-path stores them anyway).")
        return 2
    if platform.python_version() != lock_python() and not args.any_python:
        print(f"This is Python {platform.python_version()}; requirements/lock.txt was frozen with {lock_python()}, "
              "which the notebooks record (--any-python stores outputs anyway).")
        return 2
    chosen = [Notebook(p.resolve()) for p in args.paths] or all_notebooks(NOTEBOOK_DIR)
    for notebook in chosen:
        seconds = execute(notebook, any_python=args.any_python)
        print(f"{notebook.relpath}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Re-execute notebooks top to bottom on a fresh kernel and write their outputs in place.

    python tools/execute.py                      # every notebook
    python tools/execute.py notebooks/01_*.ipynb # some

Runs on the CPU (CUDA hidden) and on the reference numeric path (``tools/numeric_path.py``), so that
committed outputs match what the tests re-compute; stores
execution counts 1..N, kernelspec ``python3``, the widget state (so sliders render on GitHub and in
the HTML handouts) and nothing that names the machine or the time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import numeric_path
from tools.notebooks import NOTEBOOK_DIR, Notebook, all_notebooks, dumps

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def clean(node: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what varies with the machine: language version, per-cell timing and run metadata."""
    node.metadata["kernelspec"] = dict(KERNELSPEC)
    node.metadata["language_info"] = dict(LANGUAGE_INFO)
    for cell in node.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.outputs:
                output.get("metadata", {}).pop("execution", None)
    return node


def execute(notebook: Notebook, timeout: int = 600) -> float:
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
    notebook.path.write_text(dumps(clean(node)))
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all)")
    parser.add_argument("--any-path", action="store_true",
                        help="store outputs even where this CPU cannot take the reference numeric path")
    args = parser.parse_args(argv)
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # outputs are written, and compared, on the CPU
    numeric_path.pin(numeric_path.REFERENCE)  # ... and on the one numeric path (tools/numeric_path.py)
    found = numeric_path.probe(numeric_path.REFERENCE)
    if not numeric_path.on_reference(found["machine"], found["capability"]) and not args.any_path:
        print(numeric_path.describe(found["machine"], found["capability"]))
        print("Refusing to store outputs that the tests on the reference path could not reproduce "
              "(--any-path stores them anyway).")
        return 2
    chosen = [Notebook(p.resolve()) for p in args.paths] or all_notebooks(NOTEBOOK_DIR)
    for notebook in chosen:
        seconds = execute(notebook)
        print(f"{notebook.relpath}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

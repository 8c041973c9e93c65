"""With tools/progress_off.py's variables a notebook kernel shows no tqdm bar, prints the rest, keeps its names."""

import os

import nbformat
from nbclient import NotebookClient

from tools import progress_off

CODE = """from tqdm.auto import tqdm
total = 0
for k in tqdm(range(3), desc="training"):
    total += k
for k in tqdm(range(3), desc="explicitly on", disable=False):
    total += k
print("total", total, sorted(name for name in dir() if not name.startswith("_")))"""


def run_cell(env: dict[str, str]) -> list:
    node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CODE)])
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)  # the kernel inherits this process's environment
    try:
        NotebookClient(node, kernel_name="python3", timeout=120).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return node.cells[0].outputs


def test_the_notebook_bar_is_off_and_the_printed_line_is_kept():
    outputs = run_cell({**os.environ, **progress_off.environment()})
    assert [o.output_type for o in outputs] == ["stream"], f"a bar was shown: {outputs}"
    assert outputs[0].text == "total 6 ['In', 'Out', 'exit', 'get_ipython', 'k', 'open', 'quit', 'total', 'tqdm']\n"


def test_without_the_variables_the_student_sees_the_bars():
    env = {k: v for k, v in os.environ.items() if k not in progress_off.environment()}
    outputs = run_cell(env)
    bars = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(bars) == 2 and "training" in bars[0].data["text/plain"]

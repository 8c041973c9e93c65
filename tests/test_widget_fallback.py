"""A picture box is stored as its picture and a sentence (not a Python repr) and still displays as a widget."""

import struct

import nbformat
import pytest
from nbclient import NotebookClient

from helpers.widget_fallback import fallback_bundle, png_size

PNG_1x1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + struct.pack(">II", 3, 2) + b"\x08\x02\x00\x00\x00\x00\x00\x00\x00"
)

CELLS = [
    "import ipywidgets as widgets\nfrom helpers.widgets_gate import GateSliders\nsliders = GateSliders()",
    "display(sliders.widget)",
    "sliders.widget",  # as the last expression of a cell
    "sliders.widget.close()\ndisplay(sliders.widget)",  # a closed widget: no view to draw
]


def test_png_size_and_bad_input():
    assert png_size(PNG_1x1) == (3, 2)
    with pytest.raises(ValueError, match="png must be the bytes of a PNG image; got a str"):
        png_size("not a png")
    with pytest.raises(ValueError, match="note must be one line of text"):
        fallback_bundle(PNG_1x1, "two\nlines", None)


def test_in_a_kernel_the_output_carries_the_view_the_picture_and_the_sentence():
    node = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    NotebookClient(node, kernel_name="python3", timeout=120, store_widget_state=True).execute()
    note = "Interactive gate sliders: run the cells above to move them. The picture shows their first values."
    for cell in node.cells[1:3]:
        (output,) = cell.outputs
        assert output.output_type == "display_data"
        assert set(output.data) == {"text/plain", "image/png", "application/vnd.jupyter.widget-view+json"}
        assert output.data["text/plain"] == note
        assert output.metadata == {"image/png": {"width": 930, "height": 470}}
        assert output.data["application/vnd.jupyter.widget-view+json"]["model_id"] in node.metadata.widgets[
            "application/vnd.jupyter.widget-state+json"]["state"]
    (closed,) = node.cells[3].outputs
    assert set(closed.data) == {"text/plain", "image/png"}

"""An interactive box that reads well before anything runs: its picture and one sentence, not a Python repr.

A notebook stores a widget's output as a display bundle: the widget's view, which only a running kernel
(or the stored widget state) can draw, and a plain-text fallback, by default the repr
``VBox(children=(HBox(children=(...``. A front end that cannot draw the view (a freshly opened, untrusted
notebook in JupyterLab, GitHub, nbconvert, a terminal) shows the richest fallback it may. :func:`picture_box`
makes a ``VBox`` whose bundle also carries its picture as ``image/png`` (shown by JupyterLab, GitHub and
nbconvert) and a sentence as ``text/plain``, e.g. "Interactive explorer: run the cells above to move the
sliders." Both are fixed by what the box shows when displayed, so nbval compares the output exactly.

Works with ipywidgets 7.7 and 8 (both honour ``_ipython_display_``).
"""

from __future__ import annotations

import base64
import functools
import struct
from typing import Any

from helpers.validate import check_instance, check_items, check_positive_int, check_text


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG bytes, read from the header."""
    check_instance(png, "png", bytes | bytearray | memoryview, "the bytes of a PNG image")
    if bytes(png[:8]) != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"png must be the bytes of a PNG image; got bytes starting {bytes(png[:8])!r}")
    return struct.unpack(">II", bytes(png[16:24]))


def fallback_bundle(png: bytes, note: str, model_id: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The display bundle (data, metadata): the widget view when ``model_id`` is given, the picture, the note.

    png: PNG bytes; note: one line of text; model_id: a widget's model id, or None (a closed widget).
    """
    check_text(note, "note")
    check_text(model_id, "model_id", optional=True)
    if not note.strip() or "\n" in note.strip():
        raise ValueError(f"note must be one line of text; got {note!r}")
    width, height = png_size(png)
    data: dict[str, Any] = {"text/plain": note.strip(), "image/png": base64.b64encode(bytes(png)).decode("ascii")}
    if model_id is not None:
        view = {"version_major": 2, "version_minor": 0, "model_id": model_id}
        data["application/vnd.jupyter.widget-view+json"] = view
    return data, {"image/png": {"width": width, "height": height}}


@functools.cache
def _box_class() -> type:
    import ipywidgets as widgets  # imported here, so that helpers imports without a front end
    from IPython.display import display

    class PictureBox(widgets.VBox):
        """A VBox displayed with its picture and a note as fallbacks (see the module's docstring)."""

        def _ipython_display_(self, **kwargs: Any) -> None:
            model_id = self.model_id if getattr(self, "comm", None) is not None else None  # None once closed
            data, metadata = fallback_bundle(bytes(self.picture.value), self.note, model_id)
            display(data, metadata=metadata, raw=True)
            if model_id is not None and hasattr(widgets.Widget, "_handle_displayed"):  # ipywidgets 7
                self._handle_displayed(**kwargs)

    return PictureBox


def picture_box(children: list, picture: Any, note: str, width: int | None = None) -> Any:
    """A ``VBox`` of ``children`` whose static fallback is ``picture`` (an ``ipywidgets.Image`` among them,
    its PNG as displayed) and ``note`` (one line: what the box is and how to make it move).

    The picture is shown at its natural size, ``width`` CSS pixels (default: the PNG's pixel width), or
    narrower on a narrow screen, never stretched.
    """
    import ipywidgets as widgets

    check_instance(picture, "picture", widgets.Image, "an ipywidgets.Image")
    children = check_items(children, "children", widgets.Widget)
    if picture not in children:
        raise ValueError("picture must be one of the children, the picture the box shows")
    fit_picture(picture, width)
    box = _box_class()(children)
    box.picture, box.note = picture, note
    fallback_bundle(bytes(picture.value), note, None)  # checks the note and the PNG now, not at display
    return box


def fit_picture(picture: Any, width: int | None = None) -> None:
    """Show an ``ipywidgets.Image`` at ``width`` CSS pixels (default: its PNG's width), shrunk on a narrow
    screen and never stretched (inside a ``VBox`` an image otherwise stretches to the full width).

    picture: an ``ipywidgets.Image`` holding a PNG; width: a positive int, or None.
    """
    import ipywidgets as widgets

    check_instance(picture, "picture", widgets.Image, "an ipywidgets.Image")
    if width is not None:
        check_positive_int(width, "width")
    if width is None:
        width = png_size(bytes(picture.value))[0]
    picture.layout.width = f"{width}px"
    picture.layout.max_width = "100%"
    picture.layout.height = "auto"


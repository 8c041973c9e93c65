"""Run by IPython before a kernel's first cell (PYTHONSTARTUP, set by tools/progress_off.py).

When ``TQDM_DISABLE`` is set, tqdm's notebook bar is disabled like its console bar already is. Leaves no
name behind in the notebook's namespace.
"""


def _lstm_tutorial_progress_off() -> None:
    import os

    if os.environ.get("TQDM_DISABLE", "").strip().lower() not in ("1", "true", "yes"):
        return
    try:
        from tqdm import notebook
    except ImportError:  # no ipywidgets: tqdm.auto falls back to the console bar, which honours the variable
        return
    original = notebook.tqdm.__init__

    def __init__(self, *args, **kwargs):
        kwargs["disable"] = True
        original(self, *args, **kwargs)

    notebook.tqdm.__init__ = __init__


_lstm_tutorial_progress_off()
del _lstm_tutorial_progress_off

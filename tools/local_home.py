"""Keep the caches and settings of pip, npm, Matplotlib, IPython and Jupyter inside the project, in build/home/.

``make`` exports these variables for every target (the Makefile lists them; ``tests/test_local_home.py``
checks that it lists the same), and ``tests/conftest.py`` sets them, where not set already, for a test run
started without make. So ``make lab``, ``make test`` and ``pytest`` write nothing into the user's home
folder: no font cache in ``~/.cache/matplotlib``, no IPython history, no Jupyter runtime files or workspaces.

    python tools/local_home.py      # print the variables as the Makefile writes them
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / "build" / "home"

# variable -> folder under build/home
VARIABLES = {
    "XDG_CACHE_HOME": "cache",  # pip's wheel cache, and any other XDG cache
    "MPLCONFIGDIR": "matplotlib",  # Matplotlib's font cache
    "IPYTHONDIR": "ipython",  # IPython's profile and history
    "JUPYTER_CONFIG_DIR": "jupyter",
    "JUPYTER_DATA_DIR": "share/jupyter",
    "JUPYTER_RUNTIME_DIR": "share/jupyter/runtime",  # kernels' connection files, the server's cookies
    "JUPYTERLAB_SETTINGS_DIR": "jupyter/lab/user-settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyter/lab/workspaces",
    "npm_config_cache": "npm",  # npm's cache and logs (tools/handouts.py runs npm pack)
}


def paths(home: Path = HOME) -> dict[str, str]:
    return {name: str(home / folder) for name, folder in VARIABLES.items()}


def apply(environ: MutableMapping[str, str] | None = None, home: Path = HOME) -> None:
    """Set each variable in ``environ`` (default ``os.environ``) unless it is set already."""
    environ = os.environ if environ is None else environ
    for name, value in paths(home).items():
        environ.setdefault(name, value)


def main() -> int:
    for name, folder in VARIABLES.items():
        print(f"export {name} := $(HOME_HERE)/{folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

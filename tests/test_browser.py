"""Notebook 03's explorer works in a real browser: JupyterLab in Debian's Chromium, driven by Playwright.

The test serves a copy of the notebook from a throw-away JupyterLab (its own port, token and config
directories), runs every cell from the Run menu, then moves the step slider with the keyboard and checks that
the step, the values and the figure shown change. It skips, saying why, where no browser can be had:
``make browser`` (tools/install_browser.sh, as root) installs /usr/bin/chromium; the Python package
``playwright`` drives it (its own browser download is never used).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "03_gates_in_action.ipynb"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUSY_WORDS = ("Connecting", "Initializing", "Starting", "Busy", "Restarting")
SERVER_TIMEOUT = 90  # s until the server answers
RUN_TIMEOUT = 300  # s for the whole notebook to run in the browser's kernel (a busy 2-core machine)


def _why_no_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run `make browser` as root (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is missing: pip install -c requirements/lock.txt -e '.[dev]'"
    if shutil.which("jupyter-lab", path=str(Path(sys.executable).parent)) is None:
        return "jupyter-lab is missing from this environment: install the dev extra"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings: Path) -> None:
    """No news toast, no update check, no autosave, every cell in the page: quiet, writes nothing, all visible."""
    quiet = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for name, values in quiet.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab serving a copy of notebook 03 on 127.0.0.1; yields (base URL, token)."""
    reason = _why_no_browser()
    if reason is not None:
        pytest.skip(f"no real browser for the explorer test: {reason}")
    served = tmp_path / "served" / "notebooks"
    served.mkdir(parents=True)
    shutil.copy(NOTEBOOK, served / NOTEBOOK.name)
    settings = tmp_path / "lab-settings"
    _write_settings(settings)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),  # so the kernel is this environment's Python
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
        CUDA_VISIBLE_DEVICES="",
    )
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        str(Path(sys.executable).parent / "jupyter-lab"),
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served.parent}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()  # the server shuts its kernels down
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _code_cells_with_visible_source() -> int:
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    return sum(not c.get("metadata", {}).get("jupyter", {}).get("source_hidden", False) for c in code)


def _wait(condition, timeout: float, what: str, page) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            status = page.locator("#jp-main-statusbar").inner_text()
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; status bar: {status!r}")
        time.sleep(0.25)


def test_the_explorer_slider_moves_the_step_in_a_real_browser(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    base, token = lab
    start = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS,
                                    env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)})  # its crash database
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK.name}?token={token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)

            def kernel_idle() -> bool:
                status = page.locator("#jp-main-statusbar").inner_text()
                return "Idle" in status and not any(word in status for word in BUSY_WORDS)

            _wait(kernel_idle, 120, "the kernel to be idle", page)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

            prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
            shown = _code_cells_with_visible_source()  # a hidden source hides its prompt too

            def all_ran() -> bool:
                texts = [t.strip() for t in prompts.all_inner_texts() if t.strip()]
                return len(texts) == shown and all(re.fullmatch(r"\[\d+\]:", t) for t in texts)

            _wait(all_ran, RUN_TIMEOUT, "every cell to run ([n]: on each prompt)", page)
            errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            assert errors.count() == 0, "a cell wrote to stderr:\n" + "\n".join(errors.all_inner_texts())

            slider = page.locator(".jupyter-widgets.widget-slider").first
            slider.scroll_into_view_if_needed()
            readout = slider.locator(".widget-readout")
            text = page.locator(".jupyter-widgets.widget-html").filter(has_text="step").first
            image = page.locator(".jupyter-widgets.widget-image").first
            _wait(lambda: readout.inner_text().strip() != "" and "step" in text.inner_text(), 30, "the widget", page)
            step_before, text_before = int(readout.inner_text()), text.inner_text()
            image_before = image.get_attribute("src")
            assert f"step {step_before} of 59" in text_before and "marked step: 14" in text_before

            handle = slider.locator(".noUi-handle").first
            handle.focus()
            handle.press("ArrowRight")
            _wait(lambda: text.inner_text() != text_before, 30, "the text to follow the slider", page)
            step_after, text_after = int(readout.inner_text()), text.inner_text()
            assert step_after == step_before + 1
            assert handle.get_attribute("aria-valuenow") in (str(step_after), f"{step_after}.00", f"{step_after}.0")
            assert f"step {step_after} of 59" in text_after
            values = lambda s: s.split("unit", 1)[1]  # noqa: E731 - the numbers after "unit k:"
            assert values(text_after) != values(text_before), "the gate values did not change with the step"
            _wait(lambda: image.get_attribute("src") != image_before, 30, "the figure to be redrawn", page)
        finally:
            browser.close()
    print(f"browser test: {time.monotonic() - start:.0f} s from page load to the moved slider")

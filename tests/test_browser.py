"""What a student's screen shows: JupyterLab in Debian's Chromium at 1366 x 768, driven by Playwright.

One throw-away JupyterLab (its own port, token and config directories, default settings but no news
toast, no autosave, every cell kept in the page) serves a copy of notebooks/ and student/ to every test
of this module. The tests check that

- the screen is the one ``helpers.style.SCREEN`` describes (content width, body text, code line length),
  the numbers the figures and the line-length test are sized by;
- a notebook opened fresh (untrusted, nothing run) shows no widget repr and no frozen progress bar, and its
  collapsed solutions show neither code nor output;
- opening a notebook, letting its kernel start and saving it leaves the file byte for byte as committed;
- 02's gate sliders and 03's explorer, once run, fit the window with their controls and picture visible
  together, show the picture at its natural size, and redraw it when a slider moves;
- a wrong answer typed into a student-edition exercise prints a ✗ line and no traceback.

Screenshots of each notebook's first screen and of each widget go to build/screenshots/ (not committed).
Everything skips, saying why, where no browser can be had: ``make browser`` (tools/install_browser.sh, as
root) installs /usr/bin/chromium; the Python package ``playwright`` drives it (its own browser download is
never used).
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
from test_notebooks import FROZEN_BAR, STORED_WITH_FROZEN_BARS, WIDGET_REPR  # the same rules, on the stored files

from helpers.style import SCREEN
from tools.notebooks import language_info

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
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
VIEWPORT = {"width": SCREEN.window[0], "height": SCREEN.window[1]}
BUSY_WORDS = ("Connecting", "Initializing", "Starting", "Busy", "Restarting")
SERVER_TIMEOUT = 90  # s until the server answers
RUN_TIMEOUT = 300  # s for a whole notebook to run in the browser's kernel (a busy 2-core machine)
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


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


class Lab:
    """A running JupyterLab: its address, its token and the folder it serves."""

    def __init__(self, base: str, token: str, served: Path) -> None:
        self.base, self.token, self.served = base, token, served

    def url(self, path: str) -> str:
        return f"{self.base}/lab/tree/{path}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.base}/api/{path}?token={self.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shut_down_kernels(self) -> None:
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab on 127.0.0.1 serving copies of notebooks/ and student/; yields a :class:`Lab`."""
    reason = _why_no_browser()
    if reason is not None:
        pytest.skip(f"no real browser: {reason}")
    tmp = tmp_path_factory.mktemp("lab")
    served = tmp / "served"
    for folder in ("notebooks", "student"):
        shutil.copytree(ROOT / folder, served / folder)
    settings = tmp / "lab-settings"
    _write_settings(settings)
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTER_DATA_DIR=str(tmp / "data"),  # so the kernel is this environment's Python
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
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
        f"--ServerApp.root_dir={served}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = tmp / "lab.log"
    log = log_path.open("w")
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
                pytest.fail(f"JupyterLab did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Lab(base, token, served)
    finally:
        server.terminate()  # the server shuts its kernels down
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    crash_database = tmp_path_factory.mktemp("chromium")  # Chromium writes one under XDG_CONFIG_HOME
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS,
                                     env={**os.environ, "XDG_CONFIG_HOME": str(crash_database)})
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, lab):
    page = browser.new_page(viewport=VIEWPORT)
    try:
        yield page
    finally:
        page.close()
        lab.shut_down_kernels()


def _wait(condition, timeout: float, what: str, page) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            status = page.locator("#jp-main-statusbar").inner_text()
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}; status bar: {status!r}")
        time.sleep(0.25)


def _open(page, lab: Lab, path: str) -> None:
    page.goto(lab.url(path))
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-line", timeout=120_000)
    time.sleep(1.0)  # let the stored outputs and the maths render


def _kernel_idle(page) -> bool:
    status = page.locator("#jp-main-statusbar").inner_text()
    return "Idle" in status and not any(word in status for word in BUSY_WORDS)


def _run_all(page) -> None:
    _wait(lambda: _kernel_idle(page), 120, "the kernel to be idle", page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    prompts = page.locator(".jp-CodeCell:not(.jp-mod-noInput) .jp-InputArea:visible .jp-InputPrompt")

    def all_ran() -> bool:
        texts = [t.strip() for t in prompts.all_inner_texts()]
        return bool(texts) and all(re.fullmatch(r"\[\d+\]:", t) for t in texts)

    _wait(all_ran, RUN_TIMEOUT, "every cell to run ([n]: on each prompt)", page)
    _wait(lambda: _kernel_idle(page), 60, "the kernel to be idle after the run", page)


def _screenshot(target, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target.screenshot(path=str(SCREENSHOTS / name))


def _output_texts(page) -> list[str]:
    """The text every output area shows (hidden ones included: innerText of a hidden node is its text)."""
    return page.eval_on_selector_all(
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output", "nodes => nodes.map(n => n.textContent)"
    )


MEASURE = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const body = panel.querySelector('.jp-RenderedMarkdown p');
    const output = panel.querySelector('.jp-OutputArea-output');
    const scroller = panel.querySelector('.jp-CodeCell .cm-scroller');
    const content = scroller.querySelector('.cm-content'), line = content.querySelector('.cm-line');
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(100);
    probe.style.font = getComputedStyle(line).font;
    probe.style.position = 'absolute';
    document.body.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const px = (e, p) => parseFloat(getComputedStyle(e)[p]);
    const textWidth = scroller.clientWidth - px(content, 'paddingLeft') - px(content, 'paddingRight')
        - px(line, 'paddingLeft') - px(line, 'paddingRight');
    return {
      content: output.getBoundingClientRect().width,
      visible: panel.querySelector('.jp-WindowedPanel-outer').getBoundingClientRect().height,
      body: px(body, 'fontSize'),
      chars: Math.floor(textWidth / charWidth),
    };
}"""


def _open_from_the_file_browser(page, name: str) -> None:
    """Double-click ``name`` in the file browser, as a student does (no reload of JupyterLab)."""
    page.locator(".jp-DirListing-item", has_text=name).first.dblclick()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name).first.wait_for(timeout=120_000)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-line", timeout=120_000)
    time.sleep(1.0)


def test_fresh_notebooks_show_pictures_not_reprs_on_the_screen_the_style_is_sized_for(page, lab):
    """Every notebook as a student first sees it, on the screen whose numbers helpers.style.SCREEN states."""
    _open(page, lab, f"notebooks/{NOTEBOOKS[0]}")
    found = page.evaluate(MEASURE)
    assert round(found["content"]) == SCREEN.content_width, found
    assert abs(found["visible"] - SCREEN.visible_height) <= 2, found
    assert found["body"] == SCREEN.body_text, found
    assert found["chars"] == SCREEN.code_chars, found
    reprs, bars = {}, {}
    for k, name in enumerate(NOTEBOOKS):
        if k:
            _open_from_the_file_browser(page, name)
        _screenshot(page, f"{name[:2]}_first_screen.png")
        texts = _output_texts(page)
        assert texts, f"{name}: no stored outputs were shown"
        reprs[name] = [t[:80] for t in texts if WIDGET_REPR.search(t)]
        bars[name] = [t[:80] for t in texts if FROZEN_BAR.search(t)]
    assert not any(reprs.values()), f"widget reprs on the screen: { {n: r for n, r in reprs.items() if r} }"
    frozen = {name for name, found in bars.items() if found}
    assert frozen == STORED_WITH_FROZEN_BARS, (
        f"frozen progress bars on the screen in {sorted(frozen)}; expected only in the notebooks not yet "
        f"re-stored, {sorted(STORED_WITH_FROZEN_BARS)} (tests/test_notebooks.py): update that list"
    )


def _solution_cells(path: Path) -> list[int]:
    cells = json.loads(path.read_text())["cells"]
    return [k for k, c in enumerate(cells) if "solution" in c.get("metadata", {}).get("tags", [])]


def test_03_opens_and_saves_unchanged_then_its_explorer_fits_the_screen_and_moves(page, lab):
    name = "03_gates_in_action.ipynb"
    _open(page, lab, f"notebooks/{name}")
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    # Collapsed solutions show neither their code nor their output: only JupyterLab's one-line preview of the
    # code, the first line (the exercise's own signature, not the answer), and the ellipsis that opens it.
    stored = json.loads((ROOT / "notebooks" / name).read_text())["cells"]
    solutions = _solution_cells(ROOT / "notebooks" / name)
    assert solutions, "no solution cells to check"
    for index in solutions:
        shown = " ".join(cells.nth(index).inner_text().split())  # the page collapses runs of spaces
        first_line = "".join(stored[index]["source"]).splitlines()[0].strip()
        assert shown in ("", " ".join(first_line.split())), f"cell {index} shows more than its first line:\n{shown}"
        assert first_line in "".join(stored[index - 1]["source"]), "a solution's first line must be the exercise's"
    # Saved as soon as the kernel has started: the file is byte for byte the committed one.
    _wait(lambda: _kernel_idle(page), 120, "the kernel to be idle", page)
    saved = lab.served / "notebooks" / name
    written = saved.stat().st_mtime_ns
    page.get_by_role("menuitem", name="File", exact=True).click()
    page.locator(".lm-Menu-item[data-command='docmanager:save']").click()
    _wait(lambda: saved.stat().st_mtime_ns != written, 30, "the save", page)
    time.sleep(0.5)
    committed = (ROOT / "notebooks" / name).read_text()
    kernel = json.loads(saved.read_text())["metadata"]["language_info"].get("version")
    lock = language_info()["version"]
    if kernel != lock:  # a Python other than the lock's: JupyterLab records it, and only that may differ
        committed = committed.replace(f'"version": "{lock}"', f'"version": "{kernel}"')
    assert saved.read_text() == committed, "a save in JupyterLab changed the file (see tools/notebooks.py dumps)"
    _run_all(page)
    _check_widget(page, "03_widget", "step t")


def _run_cells(page, path: Path, wanted) -> None:
    """Run, one by one, the set-up cell, the imports after it, and the code cells for which ``wanted(source)``."""
    cells = json.loads(path.read_text())["cells"]
    setup = next(k for k, c in enumerate(cells) if "generated-setup" in c["metadata"].get("tags", []))
    imports = next(k for k, c in enumerate(cells) if k > setup and c["cell_type"] == "code")
    code = [k for k, c in enumerate(cells) if c["cell_type"] == "code"]
    chosen = [setup, imports] + [k for k in code if wanted("".join(cells[k]["source"]))]
    shown = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    _wait(lambda: _kernel_idle(page), 120, "the kernel to be idle", page)
    for k in chosen:
        cell = shown.nth(k)
        cell.evaluate("c => c.scrollIntoView({block: 'center'})")
        cell.locator(".jp-InputPrompt").first.click()
        page.keyboard.press("Control+Enter")
        prompt = cell.locator(".jp-InputPrompt").first

        def ran(prompt=prompt) -> bool:
            return re.fullmatch(r"\[\d+\]:", prompt.inner_text().strip()) is not None and _kernel_idle(page)

        _wait(ran, RUN_TIMEOUT, f"cell {k} to run", page)


def test_02_sliders_fit_the_screen_and_move_and_a_wrong_answer_gets_a_cross(page, lab):
    _open(page, lab, "student/02_lstm_cell.ipynb")
    _run_cells(page, ROOT / "student" / "02_lstm_cell.ipynb", lambda source: "GateSliders(" in source)
    _check_widget(page, "02_widget", "z_f (forget)")
    _wrong_answer_prints_a_cross(page)


def _wrong_answer_prints_a_cross(page) -> None:
    """Exercise 2 of 02 (student edition), answered with a wrong choice: a ✗ line with its reason, no traceback."""
    # Located by its index, not by its text: the text changes when the answer is typed in.
    cells = json.loads((ROOT / "student" / "02_lstm_cell.ipynb").read_text())["cells"]
    index = next(k for k, c in enumerate(cells) if "check_why_growth(answer)" in "".join(c["source"]))
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)
    cell.evaluate("c => c.scrollIntoView({block: 'center'})")
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(
        "from helpers.exercises.nb02 import check_why_growth\n\n"
        "check_why_growth('b')"
    )
    before = cell.locator(".jp-InputPrompt").inner_text()
    page.keyboard.press("Control+Enter")
    _wait(lambda: cell.locator(".jp-InputPrompt").inner_text() not in (before, "[*]:") and _kernel_idle(page), 60,
          "the checker's verdict", page)
    time.sleep(0.5)
    _screenshot(cell, "02_wrong_answer.png")
    text = cell.locator(".jp-OutputArea").inner_text()
    assert cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert "Traceback" not in text and "Error" not in text, f"a traceback reached the notebook:\n{text[:2000]}"
    assert "✗" in text and "not (b)" in text and "σ(z) lies strictly" in text, text


def _check_widget(page, name: str, slider_label: str) -> None:
    """The widget box fits the window with controls and picture together; a slider moves the picture."""
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, "a cell wrote to stderr:\n" + "\n".join(errors.all_inner_texts())
    slider = page.locator(".jupyter-widgets.widget-slider", has_text=slider_label).first
    box = slider.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][last()]")
    image = box.locator("img").first
    _wait(lambda: (image.get_attribute("src") or "").startswith("blob:") or image.evaluate("i => i.naturalWidth > 0"),
          30, "the widget's picture", page)
    box.evaluate("b => b.scrollIntoView({block: 'start'})")
    time.sleep(0.5)
    outer = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer").bounding_box()
    frame, picture = box.bounding_box(), image.bounding_box()
    _screenshot(page, f"{name}_screen.png")
    _screenshot(box, f"{name}.png")
    natural = image.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    tall = f"the widget is {frame['height']:.0f} px tall; {outer['height']:.0f} px of notebook show"
    assert frame["height"] <= outer["height"], tall
    assert frame["width"] <= SCREEN.content_width + 1 and picture["width"] <= SCREEN.content_width
    assert picture["y"] + picture["height"] <= outer["y"] + outer["height"] + 1, "the picture is below the fold"
    assert abs(picture["width"] - natural[0]) <= 1, f"picture shown {picture['width']:.0f} px wide, made {natural[0]}"
    before = image.get_attribute("src")
    handle = slider.locator(".noUi-handle").first
    value = handle.get_attribute("aria-valuenow")
    handle.focus()
    handle.press("ArrowRight")
    _wait(lambda: handle.get_attribute("aria-valuenow") != value, 10, "the slider to move", page)
    _wait(lambda: image.get_attribute("src") != before, 30, "the picture to be redrawn", page)

"""Every notebook runs in a real JupyterLab in headless Chromium, and every
explorer answers its controls with a changed figure.

For each notebooks/*.ipynb: open it in JupyterLab, Run All Cells, check that
no cell shows an error or a broken widget and that every ipympl figure is
drawn; then move every slider (arrow keys and typing into its readout), pick
another option in every dropdown and toggle-buttons group, and check that a
figure on the page changes each time. The time from the input event to the
changed canvas is measured in the page and printed (not asserted).
"""
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.browser

from browser_common import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, REPO, unavailable as _unavailable
from browser_common import notebook_params as _params
SCREENSHOTS = REPO / "build" / "screenshots"

RUN_TIMEOUT_S = 600  # Run All for one notebook
CHANGE_TIMEOUT_MS = 10_000  # one control change -> changed figure
LATENCIES = []  # (notebook, explorer, control, action, ms)


# --------------------------------------------------------------------------
# JupyterLab server and browser


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_settings(settings_dir):
    """User settings: render every cell (no windowing) and no news toasts."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false", "checkForUpdates": False,
        },
    }
    for name, value in settings.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port, rooted at the repository."""
    if not NOTEBOOKS:
        pytest.skip("no notebooks in notebooks/ yet")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (install Debian's chromium package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")

    home = tmp_path_factory.mktemp("jupyterlab")
    for sub in ("config", "runtime", "data", "workspaces", "settings"):
        (home / sub).mkdir()
    _write_settings(home / "settings")
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        MPLCONFIGDIR=str(home / "mpl"),
    )
    env.pop("JUPYTER_PATH", None)
    port = _free_port()
    token = os.urandom(16).hex()
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = home / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyter lab did not answer on port {port}:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield {"base": base, "token": token, "log": log_path}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken browser install
            _unavailable(f"cannot launch {CHROMIUM}: {exc}")
        yield b
        b.close()


def _shutdown_kernels(lab):
    url = f"{lab['base']}/api/kernels?token={lab['token']}"
    with urllib.request.urlopen(url, timeout=10) as r:
        kernels = json.load(r)
    for k in kernels:
        req = urllib.request.Request(
            f"{lab['base']}/api/kernels/{k['id']}?token={lab['token']}", method="DELETE"
        )
        urllib.request.urlopen(req, timeout=30).close()


# --------------------------------------------------------------------------
# In-page helpers (JavaScript)

KERNEL_IDLE = """() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some(e => /\\|\\s*Idle$/.test(e.textContent.trim()))"""

PROMPTS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')]
    .map(c => ({prompt: (c.querySelector('.jp-InputPrompt') || {}).textContent || '',
                empty: !(c.querySelector('.jp-InputArea-editor') || {}).textContent?.trim()}))"""

# Checksums of every ipympl figure canvas: cheaper than toDataURL() in a
# requestAnimationFrame loop, and equal exactly when the pixels are equal.
JS_HELPERS = """
window.__wl = window.__wl || {};
__wl.canvases = () => [...document.querySelectorAll('.jupyter-matplotlib-figure canvas')]
    .filter(c => c.style.zIndex === '' || c.style.zIndex === '0');
__wl.sum = (c) => {
    if (!c.width || !c.height) return 'empty';
    const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    let h = 2166136261 >>> 0;
    for (let i = 0; i < d.length; i += 1) { h = Math.imul(h ^ d[i], 16777619) >>> 0; }
    return c.width + 'x' + c.height + ':' + h;
};
__wl.blank = (c) => {
    if (!c.width || !c.height) return true;
    const d = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    for (let i = 1; i < d.length; i += 1) { if (d[i] !== d[0]) return false; }
    return true;
};
// Pixels a figure does not cover. Every picture of the series is opaque; a picture of
// changed pixels only, laid on a cleared canvas, leaves the unchanged ones see-through.
__wl.holes = (c) => {
    if (!c.width || !c.height) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) { if (d[i] !== 255) n += 1; }
    return n;
};
// ipympl puts every new picture on the page with drawImage() onto the figure's
// canvas: note when that happens, so that the checksums (a few ms per figure)
// are computed only in the first animation frame after such a draw (and, in
// case pixels change some other way, at least every 250 ms), instead of in
// every frame, where they kept the page's main thread busy.
if (!__wl.drawImage) {
    __wl.drawImage = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = __wl.drawImage.apply(this, args);
        if (__wl.state && this.canvas.isConnected) __wl.state.drawn = true;
        return result;
    };
}
__wl.arm = (eventType, timeoutMs) => {
    const before = __wl.canvases().map(__wl.sum);
    const state = {t0: null, t1: null, done: false, changed: -1, drawn: false};
    __wl.state = state;
    const onEvent = () => {
        if (state.t0 !== null) return;
        state.t0 = performance.now();
        let checked = state.t0;
        const poll = () => {
            // The frame that shows a changed canvas starts now: that is when
            // the change is on screen (the checksums only confirm it).
            const frame = performance.now();
            if (state.drawn || frame - checked > 250) {
                state.drawn = false;
                checked = frame;
                const now = __wl.canvases().map(__wl.sum);
                const i = now.findIndex((s, k) => s !== before[k]);
                if (i >= 0 || now.length !== before.length) {
                    state.t1 = frame; state.changed = i; state.done = true; return;
                }
            }
            if (performance.now() - state.t0 > timeoutMs) { state.done = true; return; }
            requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
    };
    document.addEventListener(eventType, onEvent, {capture: true, once: true});
    return before.length;
};
"""

PAGE_ERRORS = """() => {
    const found = [];
    const outputs = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output');
    for (const o of outputs) {
        const text = o.textContent || '';
        const stderr = o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr';
        if ((stderr || o.classList.contains('jp-RenderedText')) && text.includes('Traceback')) found.push(text.slice(0, 600));
        else if (text.includes('Error displaying widget') || text.includes('model not found')) found.push(text.slice(0, 300));
    }
    for (const o of document.querySelectorAll('.jp-RenderedText')) {
        const text = o.textContent || '';
        if (text.includes('Traceback') && !found.some(f => text.startsWith(f.slice(0, 50)))) found.push(text.slice(0, 600));
    }
    return found;
}"""


def _wait_idle(page, timeout_ms=120_000):
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)


def _settle(page, quiet_s=0.3):
    """Wait until the kernel is idle and the figures stop changing."""
    _wait_idle(page)
    deadline = time.monotonic() + 10
    last = page.evaluate("() => __wl.canvases().map(__wl.sum).join()")
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = page.evaluate("() => __wl.canvases().map(__wl.sum).join()")
        if now == last and page.evaluate(KERNEL_IDLE):
            return
        last = now


def _run_all(page):
    """Run > Run All Cells, then wait until every cell has finished."""
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    # The run has started once a prompt shows [*] (each cell is queued at once).
    page.wait_for_function(
        f"() => ({PROMPTS})().some(c => c.prompt.includes('*'))", timeout=30_000
    )
    page.wait_for_function(
        f"() => ({PROMPTS})().every(c => !c.prompt.includes('*') && (c.empty || /\\[\\d+\\]/.test(c.prompt))) && ({KERNEL_IDLE})()",
        timeout=RUN_TIMEOUT_S * 1000, polling=250,
    )


def _measure(page, event_type, act):
    """Do one input action; return ms from the input event to a changed figure, or None."""
    page.evaluate(f"() => __wl.arm({json.dumps(event_type)}, {CHANGE_TIMEOUT_MS})")
    act()
    page.wait_for_function("() => __wl.state.t0 === null || __wl.state.done", timeout=CHANGE_TIMEOUT_MS + 5000)
    state = page.evaluate("() => __wl.state")
    if state["t0"] is None:
        return "no input event reached the page"
    if state["t1"] is None:
        return None
    return float(state["t1"] - state["t0"])  # JSON may hand back an int


def _explorer_name(control):
    """The explorer a control belongs to: its code cell's number in the notebook."""
    return control.evaluate(
        """el => { const cell = el.closest('.jp-CodeCell');
                   const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
                   return cell ? 'cell ' + (cells.indexOf(cell) + 1) : 'cell ?'; }"""
    )


def _label(control, fallback):
    text = control.evaluate(
        "el => (el.querySelector('.widget-label') || {}).textContent || ''"
    ).strip()
    return text or fallback


# --------------------------------------------------------------------------
# Control exercisers: each returns a list of problems


def _exercise_slider(page, nb, slider, index, problems):
    label = _label(slider, f"slider {index + 1}")
    explorer = _explorer_name(slider)
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first

    def record(action, result):
        if isinstance(result, float):
            LATENCIES.append((nb, explorer, label, action, result))
        elif result is None:
            problems.append(f"{explorer} slider {label!r}: {action} changed no figure within {CHANGE_TIMEOUT_MS} ms")
        else:
            problems.append(f"{explorer} slider {label!r}: {action}: {result}")
        _settle(page)

    slider.scroll_into_view_if_needed()
    start = readout.inner_text().strip()
    handle.focus()
    first, second = "ArrowRight", "ArrowLeft"
    at_max = handle.evaluate(
        "h => parseFloat(h.getAttribute('aria-valuenow')) >= parseFloat(h.getAttribute('aria-valuemax'))"
    )
    if at_max:  # already at its maximum: go the other way first
        first, second = "ArrowLeft", "ArrowRight"
    handle.focus()
    record(first, _measure(page, "keydown", lambda: page.keyboard.press(first)))
    other = readout.inner_text().strip()
    if other == start:
        problems.append(f"{explorer} slider {label!r}: {first} did not move it (readout stays {start})")
        return
    handle.focus()
    record(second, _measure(page, "keydown", lambda: page.keyboard.press(second)))
    if readout.inner_text().strip() != start:
        problems.append(f"{explorer} slider {label!r}: {first} then {second} did not return to {start}")

    if readout.get_attribute("contenteditable") != "true":
        return  # e.g. a SelectionSlider: its readout is not editable
    # Type the neighbouring value into the readout (contentEditable) and press Enter.
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(other.replace("\u2212", "-"))  # the readout shows U+2212; a person types "-"

    def enter():
        page.keyboard.press("Enter")

    record("typed readout", _measure(page, "keydown", enter))
    typed = readout.inner_text().strip()
    if typed != other:
        problems.append(f"{explorer} slider {label!r}: typing {other!r} into the readout left {typed!r}")


def _exercise_dropdown(page, nb, dropdown, index, problems):
    select = dropdown.locator("select").first
    label = _label(dropdown, f"dropdown {index + 1}")
    explorer = _explorer_name(dropdown)
    options = select.evaluate("s => [...s.options].map(o => o.value)")
    if len(options) < 2 or select.is_disabled():
        return
    original = select.input_value()
    target = next(o for o in options if o != original)
    dropdown.scroll_into_view_if_needed()
    for action, value in ((f"select {target}", target), (f"select {original}", original)):
        result = _measure(page, "change", lambda v=value: select.select_option(v))
        if isinstance(result, float):
            LATENCIES.append((nb, explorer, label, action, result))
        else:
            problems.append(f"{explorer} dropdown {label!r}: {action} changed no figure ({result})")
        _settle(page)


def _exercise_toggles(page, nb, group, index, problems):
    label = _label(group, f"toggle buttons {index + 1}")
    explorer = _explorer_name(group)
    buttons = group.locator("button.widget-toggle-button")
    if buttons.count() < 2:
        return
    active = [i for i in range(buttons.count()) if "mod-active" in (buttons.nth(i).get_attribute("class") or "")]
    original = active[0] if active else 0
    target = next(i for i in range(buttons.count()) if i != original)
    group.scroll_into_view_if_needed()
    for i in (target, original):
        button = buttons.nth(i)
        if button.is_disabled():
            continue
        action = f"click {button.inner_text().strip() or i}"
        result = _measure(page, "click", button.click)
        if isinstance(result, float):
            LATENCIES.append((nb, explorer, label, action, result))
        else:
            problems.append(f"{explorer} toggle buttons {label!r}: {action} changed no figure ({result})")
        _settle(page)


# --------------------------------------------------------------------------


def _callback_tracebacks(page):
    """Exceptions raised in widget callbacks go to JupyterLab's Log Console,
    not to a cell: open it when its status item counts messages, and return
    the error lines of every traceback there."""
    count = page.evaluate(
        "() => { const e = document.querySelector('.jp-LogConsoleStatusItem'); "
        "return e ? parseInt(e.textContent.trim() || '0', 10) || 0 : 0; }"
    )
    if not count:
        return []
    page.click(".lm-MenuBar-itemLabel:text-is('View')")
    page.click(".lm-Menu-itemLabel:text-is('Show Log Console')")
    page.wait_for_selector(".jp-LogConsolePanel", timeout=10_000)
    time.sleep(0.5)
    text = page.evaluate("() => document.querySelector('.jp-LogConsolePanel').innerText")
    if "Traceback" not in text:
        return []
    lines = [l.strip() for l in text.splitlines()]
    errors = [l for l in lines if re.match(r"^[A-Za-z_.]*(Error|Exception|Warning)\b.*:", l) and "Traceback" not in l]
    counted = {e: errors.count(e) for e in errors}
    return [f"{e} (x{n})" if n > 1 else e for e, n in counted.items()] or ["a traceback (see the Log Console)"]


def _full_screenshot(page, path):
    """The notebook scrolls inside its panel: grow the viewport to show it all."""
    height = page.evaluate(
        """() => { const o = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer');
                   if (o) { o.scrollTop = 0; }
                   return o ? o.scrollHeight : document.body.scrollHeight; }"""
    )
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 200, 30000)})
    time.sleep(0.5)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


@pytest.mark.parametrize("notebook", _params())
def test_notebook_runs_and_explorers_answer(notebook, lab, browser, capsys):
    nb = notebook.stem
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    console_errors = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))
    problems = []
    try:
        rel = notebook.relative_to(REPO).as_posix()
        page.goto(f"{lab['base']}/lab/tree/{rel}?reset&token={lab['token']}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=90_000)
        _wait_idle(page)
        time.sleep(1.0)  # a Run All sent while the kernel settles can be lost
        _wait_idle(page)
        page.evaluate(JS_HELPERS)
        started = time.monotonic()
        _run_all(page)
        run_s = time.monotonic() - started

        errors = page.evaluate(PAGE_ERRORS)
        assert not errors, f"{nb}: errors in the notebook after Run All:\n" + "\n---\n".join(errors)

        figures = page.locator(".jupyter-matplotlib-figure")
        n_figures = figures.count()
        if n_figures:
            # Each figure draws asynchronously after its cell finishes.
            page.wait_for_function(
                "() => { const c = __wl.canvases(); return c.length > 0 && c.every(x => !__wl.blank(x)); }",
                timeout=30_000,
            )
        blank = page.evaluate("() => __wl.canvases().filter(c => __wl.blank(c)).length")
        assert blank == 0, f"{nb}: {blank} of {n_figures} ipympl figures are blank"
        _settle(page)

        sliders = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-slider")
        dropdowns = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-dropdown")
        toggles = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .widget-toggle-buttons")
        counts = (sliders.count(), dropdowns.count(), toggles.count())
        if any(counts) and not n_figures:
            problems.append(f"{nb}: has controls {counts} but no ipympl figure for them to change")
        elif n_figures:
            for i in range(counts[0]):
                if sliders.nth(i).locator(".noUi-handle").count() and not sliders.nth(i).locator(".noUi-target[disabled]").count():
                    _exercise_slider(page, nb, sliders.nth(i), i, problems)
            for i in range(counts[1]):
                _exercise_dropdown(page, nb, dropdowns.nth(i), i, problems)
            for i in range(counts[2]):
                _exercise_toggles(page, nb, toggles.nth(i), i, problems)

        holes = page.evaluate("() => __wl.canvases().map(__wl.holes)")
        problems.extend(f"{nb}: figure {i} has {n} see-through pixels after the controls moved (a picture of "
                        "changed pixels only was laid on a cleared canvas)" for i, n in enumerate(holes) if n)
        errors = page.evaluate(PAGE_ERRORS)
        problems.extend(f"error shown after moving the controls: {e}" for e in errors)
        problems.extend(f"widget callback raised (Log Console): {e}" for e in _callback_tracebacks(page))
        problems.extend(f"JavaScript error in the page: {e}" for e in console_errors)
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{nb}.png"
        try:
            _full_screenshot(page, shot)
            shot_msg = f"screenshot: {shot.relative_to(REPO)}"
        except Exception as exc:  # the screenshot must not hide the real failure
            shot_msg = f"screenshot failed: {exc}"
        page.close()
        _shutdown_kernels(lab)
        with capsys.disabled():
            print(f"\n{nb}: {shot_msg}")
    ms = [row[4] for row in LATENCIES if row[0] == nb]
    with capsys.disabled():
        print(
            f"{nb}: Run All {run_s:.1f} s, {n_figures} figures, controls (sliders, dropdowns, toggles) = {counts}, "
            f"{len(ms)} measured changes" + (f", median {statistics.median(ms):.0f} ms" if ms else "")
        )
    assert not problems, f"{nb}:\n" + "\n".join(problems)


def _latency_table():
    """Median latency per explorer and per control, across all notebooks."""
    if not LATENCIES:
        return
    lines = ["", "input event -> changed figure, median ms (target <= 200 ms per explorer)"]
    header = f"{'notebook':<28} {'explorer':<9} {'control':<28} {'n':>3} {'median':>7} {'max':>7}"
    lines += [header, "-" * len(header)]
    groups = {}
    for nb, explorer, control, _action, ms in LATENCIES:
        groups.setdefault((nb, explorer), {}).setdefault(control, []).append(ms)
    for (nb, explorer), controls in groups.items():
        every = [m for v in controls.values() for m in v]
        lines.append(f"{nb:<28} {explorer:<9} {'(all controls)':<28} {len(every):>3} {statistics.median(every):>7.0f} {max(every):>7.0f}"
                     + ("" if statistics.median(every) <= 200 else "  > 200"))
        for control, values in controls.items():
            lines.append(f"{'':<28} {'':<9} {control[:28]:<28} {len(values):>3} {statistics.median(values):>7.0f} {max(values):>7.0f}")
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def _print_latencies(request):
    """Hand the latency table to the terminal summary (tests/conftest.py) and keep a copy."""
    yield
    table = _latency_table()
    if table:
        request.config.weightlab_sections = getattr(request.config, "weightlab_sections", [])
        request.config.weightlab_sections.append(("browser latency", table))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "latency.txt").write_text(table + "\n")

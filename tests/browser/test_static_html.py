"""Every notebook is readable without a kernel: exported to HTML with nbconvert's ``lab`` template
(what nbviewer and a teacher's HTML export show) and opened in headless Chromium.

For each notebooks/*.ipynb, as stored: every image decodes, is visible and is not blank; no output
shows a widget's text form (``VBox(``, ``HBox(``, ``Canvas(``, ``FloatSlider(``, ``<Figure size``)
or a stray "Figure" caption, and no output is an empty box; every explorer shows its settings
block (title, "name: value" lines, how to make it live) with its picture right after it; every
link to another notebook resolves (the file exists, the page exported from it exists, and for the
navigation links the page's title is the link's text). A screenshot of each page is saved to
build/static-screenshots/.
"""
import json
import re
import threading
from urllib.parse import unquote, urlparse

import nbformat
import pytest

pytestmark = pytest.mark.browser

from browser_common import CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, REPO, unavailable as _unavailable
from browser_common import notebook_params as _params
PAGES = REPO / "build" / "static-html"
SCREENSHOTS = REPO / "build" / "static-screenshots"
WIDGET_REPRS = ("VBox(", "HBox(", "Canvas(", "FloatSlider(", "FloatLogSlider(", "IntSlider(", "Dropdown(",
                "ToggleButtons(", "<Figure size")
EXPLORER_CALL = re.compile(r"\b(\w+_explorer)\(")


@pytest.fixture(scope="session")
def pages():
    """Every notebook exported to build/static-html/<name>.html, as stored (no kernel runs)."""
    from nbconvert import HTMLExporter

    PAGES.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    out = {}
    for path in NOTEBOOKS:
        resources = {"metadata": {"name": path.stem, "path": str(path.parent)}}
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4), resources=resources)
        out[path.name] = PAGES / f"{path.stem}.html"
        out[path.name].write_text(body, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def chromium():
    """Chromium and Playwright are there (else skip with the reason, or fail under WEIGHTLAB_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found (install Debian's chromium package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    return CHROMIUM


def _with_browser(work):
    """``work(browser)`` in a thread of its own, with its own Playwright: the JupyterLab test's Playwright
    may be running in this thread's event loop, and Playwright's sync API allows one per thread."""
    from playwright.sync_api import sync_playwright

    result = {}

    def run():
        try:
            with sync_playwright() as p:
                try:
                    b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                except Exception as exc:  # a broken browser install
                    result["unavailable"] = f"cannot launch {CHROMIUM}: {exc}"
                    return
                try:
                    result["value"] = work(b)
                finally:
                    b.close()
        except BaseException as exc:  # handed to the test's thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "unavailable" in result:
        _unavailable(result["unavailable"])
    if "error" in result:
        raise result["error"]
    return result["value"]


# --------------------------------------------------------------------------
# What the notebook file says the page must show (read from the .ipynb, not the page)


def _explorer_cells(nb):
    """Indexes of the code cells whose last line displays an explorer."""
    found = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code):
        lines = cell.source.strip().splitlines()
        if EXPLORER_CALL.search(cell.source) and lines and not re.match(r"#|\w+\s*=[^=]", lines[-1]):
            found.append(i)
    return found


def _stored_images(nb):
    """How many outputs a static page shows as a PNG: those whose best static form is image/png."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and "text/html" not in data:
                count += 1
    return count


# --------------------------------------------------------------------------
# In-page checks (JavaScript)

IMAGES = """async () => {
    const out = [];
    for (const img of document.images) {
        let decoded = true;
        try { await img.decode(); } catch (e) { decoded = false; }
        const box = img.getBoundingClientRect();
        const style = getComputedStyle(img);
        let colours = 0;
        if (decoded && img.naturalWidth > 0) {
            const c = document.createElement('canvas');
            c.width = Math.min(img.naturalWidth, 200); c.height = Math.min(img.naturalHeight, 200);
            const g = c.getContext('2d');
            g.drawImage(img, 0, 0, c.width, c.height);
            const d = g.getImageData(0, 0, c.width, c.height).data;
            const seen = new Set();
            for (let i = 0; i < d.length && seen.size < 50; i += 4 * 7) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
            colours = seen.size;
        }
        out.push({src: img.src.slice(0, 40), decoded, natural: img.naturalWidth, width: box.width,
                  height: box.height, visible: style.visibility !== 'hidden' && style.display !== 'none'
                  && style.opacity !== '0', colours});
    }
    return out;
}"""

OUTPUTS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o => ({
    text: o.innerText || '',
    images: o.querySelectorAll('img').length,
    height: o.getBoundingClientRect().height,
    cell: [...document.querySelectorAll('.jp-CodeCell')].indexOf(o.closest('.jp-CodeCell')),
    settings: o.querySelector('.weightlab-static') ? {
        visible: o.querySelector('.weightlab-static').getBoundingClientRect().height > 0,
        title: (o.querySelector('.weightlab-static b, .weightlab-static div') || {}).innerText || '',
        lines: [...o.querySelectorAll('.weightlab-static li')].map(li => li.innerText),
        text: o.querySelector('.weightlab-static').innerText} : null,
    captions: [...o.querySelectorAll('*')].filter(e => e.children.length === 0 && e.innerText
                                                   && e.innerText.trim() === 'Figure').length,
}))"""

LINKS = """() => [...document.querySelectorAll('.jp-MarkdownCell a[href]')]
    .map(a => ({href: a.getAttribute('href'), text: a.innerText.trim()}))"""

TITLE = """() => { const h = document.querySelector('h1'); return h ? h.innerText.replace('¶', '').trim() : ''; }"""


# --------------------------------------------------------------------------
# The test


def _check_images(page, nb, problems):
    images = page.evaluate(IMAGES)
    expected = _stored_images(nb)
    if len(images) < expected:
        problems.append(f"{len(images)} images on the page, {expected} PNG outputs stored")
    for k, img in enumerate(images):
        if not img["decoded"] or img["natural"] == 0:
            problems.append(f"image {k} ({img['src']}...) does not decode")
        elif not img["visible"] or img["width"] < 20 or img["height"] < 20:
            problems.append(f"image {k} is not visible ({img['width']:.0f} x {img['height']:.0f} px)")
        elif img["colours"] < 3:
            problems.append(f"image {k} is blank ({img['colours']} colours)")


def _check_outputs(page, nb, problems):
    outputs = page.evaluate(OUTPUTS)
    for o in outputs:
        shown = [r for r in WIDGET_REPRS if r in o["text"]]
        if shown:
            problems.append(f"cell {o['cell']}: an output shows {shown} ({o['text'][:80]!r})")
        if o["captions"]:
            problems.append(f"cell {o['cell']}: a stray 'Figure' caption")
        if not o["text"].strip() and not o["images"]:
            problems.append(f"cell {o['cell']}: an empty output box ({o['height']:.0f} px high)")
    for cell in _explorer_cells(nb):
        mine = [o for o in outputs if o["cell"] == cell]
        blocks = [k for k, o in enumerate(mine) if o["settings"]]
        if not blocks:
            problems.append(f"cell {cell}: an explorer with no settings block")
            continue
        s = mine[blocks[0]]["settings"]
        if not s["visible"] or not s["title"].strip():
            problems.append(f"cell {cell}: the settings block is hidden or has no title")
        if not s["lines"] or not all(re.search(r".: \S", line) for line in s["lines"]):
            problems.append(f"cell {cell}: settings lines {s['lines'][:3]} are not 'name: value'")
        if "JupyterLab" not in s["text"] or "Binder" not in s["text"]:
            problems.append(f"cell {cell}: the settings block does not say how to make it live")
        if not any(o["images"] for o in mine[blocks[0] + 1:]):
            problems.append(f"cell {cell}: no picture after the explorer's settings")


def _title(nb):
    """The text of a notebook's first '# ' heading."""
    for cell in nb.cells:
        m = re.search(r"^# (.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if m:
            return m.group(1).strip()
    return None


def _check_links(page, path, pages, browser, problems):
    """Each link to a file of the repository resolves; one to a notebook opens the page exported from
    it, with the anchor it names; a link whose text is a notebook's title leads to that notebook."""
    titles = {_title(nbformat.read(p, as_version=4)) for p in NOTEBOOKS}
    links = page.evaluate(LINKS)
    for link in links:
        url = urlparse(link["href"])
        if url.scheme or url.netloc or not url.path:
            continue                                   # the web, or an anchor on this page
        target = (path.parent / unquote(url.path)).resolve()
        if not target.exists():
            problems.append(f"link {link['href']!r} ({link['text']!r}): {target.name} does not exist")
            continue
        if target.suffix != ".ipynb":
            continue
        if target.name not in pages:
            problems.append(f"link {link['href']!r}: no page was exported from {target.name}")
            continue
        other = browser.new_page()
        try:
            other.goto(pages[target.name].as_uri())
            title = other.evaluate(TITLE)
            if url.fragment and not other.evaluate(f"() => !!document.getElementById({json.dumps(url.fragment)})"):
                problems.append(f"link {link['href']!r}: no #{url.fragment} in {target.name}")
        finally:
            other.close()
        if link["text"] in titles and link["text"] != title:
            problems.append(f"link {link['href']!r} says {link['text']!r} but leads to {title!r}")
    return links


def _check_page(browser, path, nb, pages):
    """Every problem of the page exported from ``path``; saves its screenshot."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems = []
    try:
        page.goto(pages[path.name].as_uri())
        page.wait_for_load_state("load")
        _check_images(page, nb, problems)
        _check_outputs(page, nb, problems)
        links = _check_links(page, path, pages, browser, problems)
        hrefs = {link["href"] for link in links}
        index = NOTEBOOKS.index(path)
        if index > 0 and NOTEBOOKS[index - 1].name not in hrefs:
            problems.append(f"no link back to {NOTEBOOKS[index - 1].name}")
        if index + 1 < len(NOTEBOOKS) and NOTEBOOKS[index + 1].name not in hrefs:
            problems.append(f"no link on to {NOTEBOOKS[index + 1].name}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"), full_page=True)
    finally:
        page.close()
    return problems


@pytest.mark.parametrize("path", _params())
def test_exported_page_is_readable_without_a_kernel(path, pages, chromium):
    nb = nbformat.read(path, as_version=4)
    problems = _with_browser(lambda browser: _check_page(browser, path, nb, pages))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)

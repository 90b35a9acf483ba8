"""Committed notebooks are clean: run top to bottom, no errors, no local paths,
small, titled, and every explorer leaves a static view (its settings and its figure)
for GitHub, nbviewer and HTML exports."""
import getpass
import os
import re
import subprocess
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
MAX_BYTES = 1_000_000
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Text mimetypes whose content a reader sees; images are base64 and skipped.
TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")
LOCAL_PATH = re.compile(r"(?<![\w.])(/root|/home/|/tmp/|/work/|/Users/|[A-Za-z]:\\Users\\)")


def _params():
    if not NOTEBOOKS:
        return [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks in notebooks/ yet"))]
    return [pytest.param(p, id=p.name) for p in NOTEBOOKS]


def _read(path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _output_texts(output):
    """Every piece of human-readable text in one output."""
    if output.output_type == "stream":
        yield output.get("text", "")
    elif output.output_type == "error":
        yield output.get("ename", "")
        yield output.get("evalue", "")
        yield from output.get("traceback", [])
    else:
        data = output.get("data", {})
        for mime in TEXT_MIMES:
            if mime in data:
                value = data[mime]
                yield value if isinstance(value, str) else str(value)


def _user_names():
    """User names that would identify the author's machine if they leaked."""
    names = set()
    for candidate in (os.environ.get("USER"), os.environ.get("USERNAME")):
        if candidate:
            names.add(candidate)
    try:
        names.add(getpass.getuser())
    except Exception:  # no passwd entry in some containers
        pass
    # Generic account names are also common words ("square root"); the path
    # check above already catches /root and /home/<name>.
    return {n for n in names if len(n) >= 3 and n.lower() not in {"root", "user", "jovyan", "admin", "runner"}}


@pytest.mark.parametrize("path", _params())
def test_cells_executed_in_order_from_one(path):
    nb = _read(path)
    problems = []
    counts = []
    for index, cell in _code_cells(nb):
        count = cell.get("execution_count")
        if count is None:
            if cell.get("outputs"):
                problems.append(f"cell {index} has outputs but execution_count null")
            elif cell.source.strip():
                problems.append(f"cell {index} was never executed")
            continue
        counts.append(count)
    expected = list(range(1, len(counts) + 1))
    if counts != expected:
        problems.append(f"execution counts are {counts}, expected {expected} (run the notebook top to bottom after a kernel restart)")
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", _params())
def test_no_error_outputs(path):
    nb = _read(path)
    errors = []
    for index, cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors.append(f"cell {index}: {output.get('ename')}: {output.get('evalue')}")
            elif output.output_type == "stream" and "Traceback (most recent call last)" in output.get("text", ""):
                errors.append(f"cell {index}: traceback printed to {output.get('name')}")
    assert not errors, f"{path.name} stores error outputs: " + "; ".join(errors)


@pytest.mark.parametrize("path", _params())
def test_kernelspec_is_python3(path):
    nb = _read(path)
    name = nb.metadata.get("kernelspec", {}).get("name")
    assert name == "python3", f"{path.name}: kernelspec name is {name!r}, expected 'python3'"


@pytest.mark.parametrize("path", _params())
def test_outputs_hold_no_local_paths_or_user_names(path):
    nb = _read(path)
    users = _user_names()
    leaks = []
    for index, cell in _code_cells(nb):
        for output in cell.get("outputs", []):
            for text in _output_texts(output):
                match = LOCAL_PATH.search(text)
                if match:
                    start = max(match.start() - 30, 0)
                    leaks.append(f"cell {index}: path {text[start:match.end() + 40]!r}")
                for user in users:
                    if re.search(rf"\b{re.escape(user)}\b", text):
                        leaks.append(f"cell {index}: user name {user!r}")
    assert not leaks, f"{path.name}: " + "; ".join(leaks)


@pytest.mark.parametrize("path", _params())
def test_notebook_is_small(path):
    size = path.stat().st_size
    assert size < MAX_BYTES, f"{path.name} is {size} bytes (limit {MAX_BYTES}); shrink figures or clear bulky outputs"


@pytest.mark.parametrize("path", _params())
def test_has_title_cell(path):
    nb = _read(path)
    markdown = [c for c in nb.cells if c.cell_type == "markdown" and c.source.strip()]
    assert markdown, f"{path.name} has no markdown cell"
    first = markdown[0].source.lstrip()
    assert first.startswith("# "), f"{path.name}: first markdown cell should start with a '# ' title, starts with {first[:40]!r}"


# What a widget's own text form looks like: a static page that shows it shows code, not a picture.
WIDGET_REPR = re.compile(r"\b(VBox|HBox|Box|Canvas|\w*Slider|Dropdown|ToggleButtons|HTML|Output|Play)\(|<Figure size")
EXPLORER_CALL = re.compile(r"\b(\w+_explorer)\(")


def _text(value):
    return value if isinstance(value, str) else "".join(value)


def _widget_outputs(cell):
    return [o for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]


@pytest.mark.parametrize("path", _params())
def test_widget_outputs_carry_a_static_view(path):
    """A widget view alone renders as nothing on GitHub, nbviewer or in an HTML export (no kernel, no
    widget state is stored): every widget output also carries what such a page shows instead, a PNG
    (a figure) or HTML (an explorer's settings), and a text/plain that is not the widget's repr. No
    output keeps ipympl's HTML form, whose 'Figure' caption a static page shows above the picture."""
    problems = []
    for index, cell in _code_cells(_read(path)):
        for output in _widget_outputs(cell):
            data = output["data"]
            plain, page = _text(data.get("text/plain", "")), _text(data.get("text/html", ""))
            if "image/png" not in data and not page:
                problems.append(f"cell {index}: a widget output with neither image/png nor text/html")
            if not plain.strip() or WIDGET_REPR.search(plain):
                problems.append(f"cell {index}: text/plain is a widget repr or empty: {plain[:60]!r}")
            if "widget-label" in page or "<img" in page:
                problems.append(f"cell {index}: text/html is ipympl's captioned copy of the PNG")
    assert not problems, f"{path.name}: " + "; ".join(problems)


@pytest.mark.parametrize("path", _params())
def test_explorers_store_their_settings_and_a_static_figure(path):
    """Every cell that shows an explorer stores, for pages without a kernel, its settings as HTML
    (saying how to make it live) followed by its figure as a PNG."""
    problems, explorers = [], 0
    for index, cell in _code_cells(_read(path)):
        last_line = cell.source.strip().splitlines()[-1] if cell.source.strip() else ""
        if not EXPLORER_CALL.search(cell.source) or re.match(r"#|\w+\s*=[^=]", last_line):   # not displayed
            continue
        explorers += 1
        outputs = _widget_outputs(cell)
        kinds = ["html" if "text/html" in o["data"] else "png" if "image/png" in o["data"] else "?"
                 for o in outputs]
        if "html" not in kinds or "png" not in kinds[kinds.index("html") + 1:]:
            problems.append(f"cell {index}: outputs {kinds}, expected the settings (html) then the figure (png)")
            continue
        settings = outputs[kinds.index("html")]["data"]
        page, plain = _text(settings["text/html"]), _text(settings.get("text/plain", ""))
        if "<li>" not in page or ": <b>" not in page:
            problems.append(f"cell {index}: the settings HTML lists no 'name: value'")
        if "JupyterLab" not in plain or "Binder" not in plain:
            problems.append(f"cell {index}: text/plain does not say how to make it live: {plain[:80]!r}")
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_no_checkpoints_or_untitled_notebooks_committed():
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot list committed files with git ({exc}); not a git checkout?")
    files = [f for f in result.stdout.split("\0") if f]
    bad = [
        f for f in files
        if ".ipynb_checkpoints" in Path(f).parts or Path(f).name.startswith("Untitled")
    ]
    assert not bad, f"committed editor leftovers: {bad}"

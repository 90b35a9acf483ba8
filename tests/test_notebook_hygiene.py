"""Committed notebooks are clean: run top to bottom, no errors, no local paths,
small, titled, and every explorer leaves a static figure for GitHub/nbviewer."""
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


def _is_canvas(output):
    """An ipympl figure displayed with display(fig.canvas)."""
    data = output.get("data", {})
    return WIDGET_VIEW in data and str(data.get("text/plain", "")).startswith("Canvas(")


CONTROL = re.compile(r"\b\w*(Slider|Dropdown|ToggleButtons|RadioButtons|Play)\(")


def _is_controls(output):
    """Explorer controls: a widget whose repr holds a slider, dropdown or toggle."""
    data = output.get("data", {})
    return WIDGET_VIEW in data and bool(CONTROL.search(str(data.get("text/plain", ""))))


def _has_png(cell):
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.mark.parametrize("path", _params())
def test_explorers_store_a_static_figure(path):
    """A widget view alone renders as nothing on GitHub/nbviewer: each explorer
    needs an image/png beside it (in the same output, the same cell, or the
    next code cell for controls displayed above their figure)."""
    nb = _read(path)
    cells = _code_cells(nb)
    missing = []
    for position, (index, cell) in enumerate(cells):
        outputs = cell.get("outputs", [])
        for output in outputs:
            if _is_canvas(output) and "image/png" not in output.get("data", {}) and not _has_png(cell):
                missing.append(f"cell {index}: ipympl canvas without an image/png fallback")
            elif _is_controls(output) and not _is_canvas(output):
                neighbours = [cell] + [c for _, c in cells[position + 1:position + 2]]
                if not any(_has_png(c) for c in neighbours):
                    missing.append(
                        f"cell {index}: explorer controls with no image/png in this cell or the next "
                        "(display(fig.canvas) on its own stores one; a canvas inside a VBox does not)"
                    )
    assert not missing, f"{path.name}: " + "; ".join(missing)


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

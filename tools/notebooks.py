"""Maintain the notebook series: navigation cells and stored outputs.

    python tools/notebooks.py nav                 # refresh the navigation cell of every notebook
    python tools/notebooks.py run [NAMES...]      # execute notebooks in place (fresh kernel), then nav

Re-runnable: the navigation cell is recognised by its "navigation" tag and
replaced, never duplicated.
"""
import re
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TAG = "navigation"


def series():
    """The numbered notebooks in order."""
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def title(nb):
    """The text of the first '# ' heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return "untitled"


def nav_text(paths, i, titles):
    parts = []
    if i > 0:
        parts.append(f"← previous: [{titles[i - 1]}]({paths[i - 1].name})")
    parts.append(f"[contents]({paths[0].name})" if i > 0 else "")
    if i + 1 < len(paths):
        parts.append(f"next: [{titles[i + 1]}]({paths[i + 1].name}) →")
    return "---\n" + " | ".join(p for p in parts if p)


def nav():
    paths = series()
    books = [nbformat.read(p, as_version=4) for p in paths]
    titles = [title(nb) for nb in books]
    for i, (path, nb) in enumerate(zip(paths, books)):
        text = nav_text(paths, i, titles)
        cells = [c for c in nb.cells if TAG in c.get("metadata", {}).get("tags", [])]
        if cells:
            if cells[0].source == text:
                continue
            cells[0].source = text
        else:
            cell = nbformat.v4.new_markdown_cell(text)
            cell.metadata["tags"] = [TAG]
            nb.cells.append(cell)
        nbformat.write(nb, path)
        print(f"navigation updated: {path.name}")


def run(names):
    from nbclient import NotebookClient
    paths = [p for p in series() if not names or any(n in p.name for n in names)]
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False,
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:                      # execution timestamps: noise in every diff
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"executed {path.name} in {time.perf_counter() - t0:.1f} s")
    nav()


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("nav", "run"):
        sys.exit(__doc__)
    nav() if sys.argv[1] == "nav" else run(sys.argv[2:])

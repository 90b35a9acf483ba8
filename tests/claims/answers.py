"""Every "Predict" prompt of a notebook gets its answer after the experiment, hidden in a
``<details><summary>Answer</summary>...</details>`` block: a claims file calls ``unanswered(NOTEBOOK)``."""
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ANSWER = "<details><summary>Answer</summary>"


def unanswered(notebook):
    """The ids of markdown cells with a **Predict** prompt not followed, after at least one code cell,
    by a markdown cell holding an answer block (one answer block per prompt, in order)."""
    cells = nbformat.read(NOTEBOOKS / notebook, as_version=4).cells
    missing, answers_used = [], set()
    for i, cell in enumerate(cells):
        if cell.cell_type != "markdown":
            continue
        for _ in range(cell.source.count("**Predict")):
            seen_code = False
            for j in range(i + 1, len(cells)):
                seen_code |= cells[j].cell_type == "code"
                if seen_code and cells[j].cell_type == "markdown" and ANSWER in cells[j].source and j not in answers_used:
                    answers_used.add(j)
                    break
            else:
                missing.append(cell.get("id"))
    return missing

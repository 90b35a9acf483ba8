"""Shared test settings: markers, and summary tables (notebook times, browser latency)."""
from collections import defaultdict


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "binder: builds a fresh environment from binder/ and runs every notebook in it"
    )
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (needs /usr/bin/chromium)"
    )


def pytest_terminal_summary(terminalreporter):
    """Print how long each notebook took under nbval (sum over its cells)."""
    seconds = defaultdict(float)
    cells = defaultdict(int)
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, "nodeid", "")
            path = nodeid.split("::", 1)[0]
            if not path.endswith(".ipynb"):
                continue
            seconds[path] += getattr(report, "duration", 0.0)
            if getattr(report, "when", "") == "call":
                cells[path] += 1
    for title, text in getattr(terminalreporter.config, "weightlab_sections", []):
        terminalreporter.section(title)
        terminalreporter.write_line(text)
    if not seconds:
        return
    terminalreporter.section("notebook execution time (nbval)")
    width = max(len(p) for p in seconds)
    for path in sorted(seconds):
        terminalreporter.write_line(
            f"{path:<{width}}  {seconds[path]:7.1f} s  ({cells[path]} cells)"
        )
    terminalreporter.write_line(f"{'total':<{width}}  {sum(seconds.values()):7.1f} s")


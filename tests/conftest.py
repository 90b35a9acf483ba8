"""Shared test settings: markers, and summary tables (notebook times, browser latency)."""
from collections import defaultdict


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "binder: builds a fresh environment from binder/ and runs every notebook in it"
    )
    config.addinivalue_line(
        "markers", "browser: drives JupyterLab in headless Chromium (needs /usr/bin/chromium)"
    )


def _part(path):
    """Which part of the test run a test file belongs to."""
    if path.endswith(".ipynb"):
        return "notebooks under strict nbval"
    if "/browser/" in path:
        return "JupyterLab in headless Chromium"
    if path.endswith("test_binder.py"):
        return "Binder environment"
    if path.endswith("test_notebook_hygiene.py"):
        return "notebook hygiene"
    return "unit tests"


def _print_parts(terminalreporter):
    """Wall time per part of the run (set-up, call and tear-down of every test in it)."""
    seconds, tests = defaultdict(float), defaultdict(set)
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, "nodeid", "")
            if not nodeid or not hasattr(report, "duration"):
                continue
            part = _part(nodeid.split("::", 1)[0])
            seconds[part] += report.duration
            tests[part].add(nodeid)
    if len(seconds) < 2:
        return
    terminalreporter.section("time per part of the run")
    for part in sorted(seconds, key=seconds.get, reverse=True):
        terminalreporter.write_line(f"{part:<34} {seconds[part]:7.1f} s  ({len(tests[part])} tests)")
    terminalreporter.write_line(f"{'total':<34} {sum(seconds.values()):7.1f} s")


def pytest_terminal_summary(terminalreporter):
    """Print the tables: browser latency, each notebook's nbval time, and the time per part of the run."""
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
    if seconds:
        terminalreporter.section("notebook execution time (nbval)")
        width = max(len(p) for p in seconds)
        for path in sorted(seconds):
            terminalreporter.write_line(
                f"{path:<{width}}  {seconds[path]:7.1f} s  ({cells[path]} cells)"
            )
        terminalreporter.write_line(f"{'total':<{width}}  {sum(seconds.values()):7.1f} s")
    _print_parts(terminalreporter)


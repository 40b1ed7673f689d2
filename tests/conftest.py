import shutil
from pathlib import Path


def pytest_terminal_summary(terminalreporter):
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if chromium is None:
        terminalreporter.write_sep(
            "!",
            "BROWSER TESTS SKIPPED: Chromium is not installed (apt-get install chromium)",
            red=True,
        )

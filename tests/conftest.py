import os
import shutil
from pathlib import Path

# Debian's Chromium, which the browser tests drive (Playwright cannot download its own here).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
SKIP_REASON = (
    "BROWSER TESTS SKIPPED: Chromium is not installed (on Debian: apt-get install chromium)"
)


def pytest_terminal_summary(terminalreporter):
    # Said at the end of the run, where nobody can miss it; CI fails when it sees it.
    if not HAVE_CHROMIUM:
        terminalreporter.write_sep("!", SKIP_REASON, red=True)

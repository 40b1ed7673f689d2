"""`manage.py` in a process of its own, for the tests whose subject is what a shell sees: exit
codes, standard error, a process that refuses to start."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def run_manage(
    *args: str, settings: str = "clinical_photos.config.settings.test", env: dict | None = None
) -> subprocess.CompletedProcess:
    # Only what an operator's shell would have: nothing from the test run's own environment.
    environment = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    environment.update(env or {})
    environment["DJANGO_SETTINGS_MODULE"] = settings
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

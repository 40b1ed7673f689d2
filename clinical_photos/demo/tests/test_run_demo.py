"""The demo's links (in texts and in emails to staff) open on the server the demo runs.

`scripts/run-demo` serves on DEMO_PORT (8000 unless given: `make demo DEMO_PORT=8123`), and the
local settings build the service's address, and so every link, from the same variable.
Production names its address in SERVICE_BASE_URL instead (docs/deployment.md).
"""

import os
import shutil
import stat
import subprocess
import uuid

from clinical_photos.core.tests.manage import REPO, run_manage
from clinical_photos.demo.management.commands.seed_demo import _banner

LOCAL = "clinical_photos.config.settings.local"
EMAIL_LINK = (
    "from clinical_photos.messaging.staff_emails import request_url; "
    f"print(request_url('{uuid.UUID(int=7)}'))"
)


def email_link(**env) -> str:
    result = run_manage("shell", "-c", EMAIL_LINK, settings=LOCAL, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_demo_s_emails_link_to_the_port_it_runs_on():
    assert email_link(DEMO_PORT="8123") == f"http://127.0.0.1:8123/requests/{uuid.UUID(int=7)}/"


def test_without_a_port_the_demo_runs_on_8000():
    assert email_link().startswith("http://127.0.0.1:8000/requests/")


def test_an_address_given_whole_wins(tmp_path):
    link = email_link(DEMO_PORT="8123", SERVICE_BASE_URL="http://192.0.2.10:8123")
    assert link.startswith("http://192.0.2.10:8123/requests/")


def test_run_demo_serves_on_the_port_its_links_use(tmp_path):
    # The script runs from a copy of the repository whose Python only says what it was asked.
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "run-demo", tmp_path / "scripts" / "run-demo")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    log = tmp_path / "asked.log"
    # The server (in front) waits for the worker (started in the background just before) to
    # say what it was asked, as a real server outlives the worker's start: else the script's
    # exit could stop the worker before it got that far.
    log.touch()
    python.write_text(
        "#!/bin/sh\n"
        'case "$*" in *runserver*)\n'
        f"  for i in $(seq 100); do grep -q db_worker {log} && break; sleep 0.1; done;;\n"
        "esac\n"
        f'echo "$* DEMO_PORT=$DEMO_PORT" >> {log}\n'
    )
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}

    subprocess.run(
        [tmp_path / "scripts" / "run-demo"],
        env={**env, "DEMO_PORT": "8123"},
        check=True,
        timeout=60,
    )

    asked = log.read_text().splitlines()
    assert "manage.py runserver 127.0.0.1:8123 DEMO_PORT=8123" in asked
    # The task worker, which sends the texts and the emails, builds their links from it too.
    assert any(line.startswith("manage.py db_worker") and line.endswith("=8123") for line in asked)


def test_the_banner_names_the_address_to_open(practice, settings):
    settings.SERVICE_BASE_URL = "http://127.0.0.1:8123"
    assert "Open http://127.0.0.1:8123 and log in as one of:" in _banner(practice)

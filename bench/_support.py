"""What the benchmarks share: their command line, Django in the benchmark's own process, the
service run as a real gunicorn server, a patient's browser walking through a link, and what
/proc says about a process.

The scripts put the repository on sys.path before importing this, so `python bench/NAME.py`
works from anywhere. The patient's phone, the requests to answer and the date of birth come
from the resilience tests (tests/resilience/service.py), which drive the same real server.
"""

import argparse
import html
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import requests
from urllib3 import encode_multipart_formdata

from tests.resilience.service import (
    UNKNOWN_LINK,
    Phone,
    chosen_count,
    free_port,
    location,
)

REPO = Path(__file__).resolve().parents[1]
# Every gunicorn these benchmarks start serves the service's own WSGI application; the
# settings module comes from the environment it is given.
WSGI_APP = "clinical_photos.config.wsgi:application"
# The choose-photos page has this many file inputs when nothing is chosen yet.
FORM_INPUTS = 5
REFUSED = re.compile(r'href="#id_photo_1">([^<]+)<')
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- Command line and output ---------------------------------------------------------------


def command_line(doc: str) -> argparse.ArgumentParser:
    # A benchmark stopped with SIGTERM (as by a CI job's timeout) still stops its servers and
    # drops its database: SystemExit runs every `finally` on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--json", action="store_true", help="print the result as one line of JSON (make bench)"
    )
    return parser


def report(result: dict, *, one_line: bool) -> None:
    print(json.dumps(result) if one_line else json.dumps(result, indent=2), flush=True)


def progress(message: str) -> None:
    """What the benchmark is doing, on stderr so stdout holds only the result."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def megabytes(size: int) -> float:
    """MB as the service counts them for its 20 MB limit (and /proc its kB): 2**20 bytes."""
    return round(size / 2**20, 2)


def make_photos(make: Callable[..., bytes], seeds: range, **options) -> list[bytes]:
    """`make(seed, **options)` for each seed, on every core: drawing a photo takes seconds."""
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        return list(pool.map(partial(make, **options), seeds))


# --- Django in the benchmark's own process ----------------------------------------------------


def start_django(database_url: str, photo_dir: Path) -> None:
    """Django with the test settings on this database and photo folder, migrated.

    The test settings are the production ones with published keys and texts kept in the
    outbox, which is where make_requests reads each link's token from.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "clinical_photos.config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["PHOTO_STORAGE_DIR"] = str(photo_dir)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    # The service logs each task and text at INFO; the benchmark's own progress is enough.
    logging.disable(logging.INFO)


def close_database_connections() -> None:
    """Let go of the database before a server writes to it or it is dropped."""
    from django.db import connections

    connections.close_all()


# --- The service as a real server -------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path

    def workers(self) -> list[int]:
        """The worker processes: gunicorn's master forks them and nothing else."""
        return children(self.process.pid)

    def processes(self) -> list[int]:
        return [self.process.pid, *self.workers()]

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, log_path: Path, timeout: int = 30
) -> Iterator[Server]:
    """gunicorn on 127.0.0.1 with `workers` sync worker processes (its default kind) killed
    after `timeout` seconds on one request (its default 30), in a process group of its own
    that is stopped on the way out, whatever happened."""
    port = free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable, "-m", "gunicorn", WSGI_APP,
                "--bind", f"127.0.0.1:{port}",
                "--workers", str(workers),
                "--timeout", str(timeout),
                "--graceful-timeout", "5",
                # Its default socket path is shared by every gunicorn on the machine.
                "--no-control-socket",
            ],
            cwd=REPO,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        _wait_until_serving(server, workers)
        yield server
    finally:
        _stop(process)


def _wait_until_serving(server: Server, workers: int, timeout: float = 60) -> None:
    """Until every worker is forked and one answers a link that does not exist with a 404,
    which needs the database: the service is up, not just listening."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"The server stopped while starting:\n{server.log_tail()}")
        try:
            answer = requests.get(
                server.url + UNKNOWN_LINK, headers=BROWSER_HEADERS, timeout=5, allow_redirects=False
            )
        except requests.RequestException:
            time.sleep(0.1)
            continue
        if answer.status_code != 404:
            raise RuntimeError(f"The server answered {answer.status_code}:\n{server.log_tail()}")
        if len(server.workers()) == workers:
            return
        time.sleep(0.1)
    raise RuntimeError(f"The server did not start in {timeout}s:\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- A patient's browser ----------------------------------------------------------------------

# What a browser sends through the load balancer: TLS ended there (X-Forwarded-Proto; settings
# that do not trust the header ignore it), and under Referrer-Policy: no-referrer a form post
# carries `Origin: null` and Sec-Fetch-Site instead of a Referer (see core/csrf.py).
BROWSER_HEADERS = {"X-Forwarded-Proto": "https", "Origin": "null", "Sec-Fetch-Site": "same-origin"}


class Browser(Phone):
    """The resilience tests' phone (its own cookies, Secure ones sent over http, no redirects
    followed), sending a browser's headers and waiting as long as a big upload takes.

    `address` is the patient's own address as the load balancer reports it (X-Forwarded-For):
    the date-of-birth rate limit counts per address, and patients do not share one.
    """

    def __init__(self, base_url: str, address: str = "") -> None:
        super().__init__(base_url)
        self.session.headers.update(BROWSER_HEADERS)
        if address:
            self.session.headers["X-Forwarded-For"] = address

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        # Long enough for both waits a browser sits through: while every worker is busy the
        # upload stalls in the listen queue, then the server takes seconds over the photos.
        kwargs.setdefault("timeout", 300)
        return super().request(method, path, **kwargs)


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str


class JourneyFailed(Exception):
    """A page answered other than a patient's browser expects on the way to "Photos sent"."""


def choose_photos_form(csrf_token: str, uploads: list[Upload], note: str = "") -> tuple[bytes, str]:
    """The choose-photos form as a browser without JavaScript posts it: every file input and
    its label in page order (inputs left empty are sent empty), then the note."""
    fields: list[tuple] = [("csrfmiddlewaretoken", csrf_token)]
    for number in range(1, FORM_INPUTS + 1):
        upload = uploads[number - 1] if number <= len(uploads) else None
        fields.append(
            (
                f"photo_{number}",
                (upload.filename, upload.content, upload.content_type)
                if upload
                else ("", b"", "application/octet-stream"),
            )
        )
        fields.append((f"label_{number}", "where" if number == 1 else "close_up"))
    fields.append(("note", note))
    return encode_multipart_formdata(fields)


def send_photos(browser: Browser, token: str, uploads: list[Upload]) -> None:
    """One patient from the link in their text to "Photos sent", following every redirect as a
    browser does (pages only: the service's own CSS and scripts are not fetched)."""
    _expect("open the link", browser.get(f"/p/{token}"), 200)
    from clinical_photos.patients.tests.factories import dob_form  # needs Django set up

    _expect("date of birth", browser.post(f"/p/{token}", dob_form()), 302, "/p/about/")
    _expect("what you agree to", browser.get("/p/about/"), 200)
    _expect("choose photos page", browser.get("/p/photos/"), 200)
    body, content_type = choose_photos_form(browser.csrf_token, uploads)
    answer = browser.post_body("/p/photos/", body, content_type)
    if answer.status_code == 200:
        # The form again, saying why: each refused photo's problem links to the first input.
        refused = "; ".join(
            " ".join(html.unescape(t).split()) for t in REFUSED.findall(answer.text)
        )
        raise JourneyFailed(f"send the chosen photos: refused: {refused or 'no reason shown'}")
    _expect("send the chosen photos", answer, 302, "/p/check/")
    check_page = _expect("check page", browser.get("/p/check/"), 200)
    if (listed := chosen_count(check_page.text)) != len(uploads):
        raise JourneyFailed(f"check page: lists {listed} photos of {len(uploads)}")
    _expect("agree and send", browser.post("/p/check/", {"agree": "on"}), 302, "/p/done/")
    done = _expect("confirmation", browser.get("/p/done/"), 200)
    if "Photos sent" not in done.text:
        raise JourneyFailed("confirmation: does not say the photos were sent")


def _expect(step: str, answer: requests.Response, status: int, where: str = ""):
    if answer.status_code != status or location(answer) != where:
        raise JourneyFailed(f"{step}: {answer.status_code} {location(answer)}".strip())
    return answer


# --- What /proc says about a process --------------------------------------------------------


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat from its third field (state) on; the name before it may hold spaces."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(FileNotFoundError, ProcessLookupError):
                if int(_stat(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User plus system CPU time of each process still running."""
    seconds = {}
    for pid in pids:
        with suppress(FileNotFoundError, ProcessLookupError):
            fields = _stat(pid)
            seconds[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return seconds


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings, by processes running at the second; one that
    started in between counts from zero, one that ended in between is missed."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def machine_busy_seconds() -> float:
    """CPU seconds all cores have spent on anything but idling since boot (/proc/stat's user,
    nice, system, irq, softirq and steal: steal is time the host gave someone else)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(
        int, Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def memory_mb(pid: int, field: str) -> float:
    """A size from /proc/PID/status, e.g. VmRSS (resident now) or VmHWM (the peak), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise KeyError(field)

"""The real service as a process of its own, a database it shares with the test, and a patient's
phone that talks to it over plain http on 127.0.0.1.

The test process reaches the same database by putting a connection to it in the place of its
own default one (`service_database`), so it can set up requests and check the result with the
ORM, `storage.read_photo` and the housekeeping task, exactly as the service would.
"""

import copy
import io
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import requests
from django.core.management import call_command
from django.db import connections
from django.db.utils import ConnectionHandler
from django.utils import timezone
from PIL import Image
from urllib3 import encode_multipart_formdata

REPO = Path(__file__).resolve().parents[2]
SERVER_SETTINGS = "tests.resilience.server_settings"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# A token the link pattern accepts but no link has: the service answers it with a 404 page,
# after asking the database, so it says the server is up and can reach its database.
UNKNOWN_LINK = "/p/" + "x" * 24
ALREADY_USED = "This link has already been used"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The database the server and the test share -------------------------------------------


def _postgres_admin(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


def _url(settings_dict) -> str:
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{settings_dict['HOST']}{port}/{settings_dict['NAME']}"


@contextmanager
def service_database(folder: Path) -> Iterator[str]:
    """A new, migrated database of the kind this run uses (a SQLite file, or a PostgreSQL
    database of its own), made the test process's default for the duration. Yields the
    DATABASE_URL that points the server at it; dropped afterwards."""
    ours = copy.deepcopy(connections["default"].settings_dict)
    postgres = ours["ENGINE"] == "django.db.backends.postgresql"
    if postgres:
        ours["NAME"] = f"resilience_{uuid.uuid4().hex[:12]}"
        with _postgres_admin(ours) as admin:
            admin.execute(f'CREATE DATABASE "{ours["NAME"]}"')
    elif ours["ENGINE"] == "django.db.backends.sqlite3":
        ours["NAME"] = str(folder / "service.sqlite3")
    else:
        raise NotImplementedError(ours["ENGINE"])
    ours["CONN_MAX_AGE"] = 0
    original = connections["default"]
    try:
        connections["default"] = ConnectionHandler({"default": ours})["default"]
        call_command("migrate", verbosity=0, interactive=False)
        yield _url(ours)
    finally:
        connections["default"].close()
        connections["default"] = original
        if postgres:
            with _postgres_admin(ours) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{ours["NAME"]}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(ours["NAME"] + suffix).unlink(missing_ok=True)


# --- The server -----------------------------------------------------------------------------


class Server:
    """gunicorn serving the WSGI app, in a process group of its own so one SIGKILL takes the
    master and every worker at once, the way a crash or an OOM kill of the container would."""

    def __init__(
        self,
        *,
        hold_seconds: float = 0,
        database_url: str,
        photo_dir: Path,
        log_path: Path,
        workers: int = 1,
        threads: int = 4,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.workers, self.threads = workers, threads
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS,
            "DATABASE_URL": database_url,
            "PHOTO_STORAGE_DIR": str(photo_dir),
            "PYTHONDONTWRITEBYTECODE": "1",
            "RESILIENCE_HOLD_SECONDS": str(hold_seconds),
        }
        # The service's own application, unless transactions are to be held open (wsgi.py).
        self.app = (
            "tests.resilience.wsgi:application"
            if hold_seconds
            else "clinical_photos.config.wsgi:application"
        )
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.seconds_starting = 0.0
        self._lock = threading.Lock()

    def start(self, timeout: float = 30) -> None:
        assert self.process is None
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {self.starts + 1}\n".encode())
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", self.app,
                    "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(self.workers),
                    "--worker-class", "gthread",
                    "--threads", str(self.threads),
                    "--timeout", "30",
                    "--graceful-timeout", "2",
                ],
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.starts += 1
        started = time.monotonic()
        while time.monotonic() < started + timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server stopped while starting:\n{self.log_tail()}")
            try:
                answer = requests.get(self.url + UNKNOWN_LINK, timeout=2)
            except requests.RequestException:
                time.sleep(0.05)
                continue
            if answer.status_code == 404:
                self.seconds_starting += time.monotonic() - started
                return
            raise RuntimeError(f"The server answered {answer.status_code}:\n{self.log_tail()}")
        self.stop()
        raise RuntimeError(f"The server did not start in {timeout}s:\n{self.log_tail()}")

    def kill(self) -> bool:
        """SIGKILL the whole process group; False when it was not running."""
        with self._lock:
            if self.process is None:
                return False
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None
            return True

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        with self._lock:
            if self.process is None:
                return
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                self.process.wait(timeout=10)
            self.process = None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# --- A patient's phone ----------------------------------------------------------------------


class SlowBody:
    """A request body sent a chunk at a time with a pause between chunks, like a phone on a
    weak signal, so the server can be killed while the upload is still arriving."""

    def __init__(self, data: bytes, *, chunk: int, pause: float) -> None:
        self.data, self.chunk, self.pause = data, chunk, pause

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self):
        for start in range(0, len(self.data), self.chunk):
            if start:
                time.sleep(self.pause)
            yield self.data[start : start + self.chunk]

    @property
    def seconds(self) -> float:
        return self.pause * max(0, (len(self.data) - 1) // self.chunk)


class Phone:
    """One patient's browser: its own cookies, no redirects followed unless asked.

    The service's cookies are Secure and named __Host-; browsers keep and send them on
    http://127.0.0.1 (a secure context). `requests` keeps them but will not send a Secure
    cookie over http, so the Cookie header is written here from the cookies it kept. Every
    request asks for the connection to be closed, so no pooled connection outlives a server
    that was killed.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"
        self.csrf_token = ""

    def _cookie_header(self) -> dict[str, str]:
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)
        return {"Cookie": cookies} if cookies else {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", (5, 30))
        kwargs.setdefault("allow_redirects", False)
        kwargs["headers"] = {**kwargs.get("headers", {}), **self._cookie_header()}
        response = self.session.request(method, self.base_url + path, **kwargs)
        if found := CSRF_FIELD.search(response.text):
            self.csrf_token = found.group(1)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        return self.request("POST", path, data={"csrfmiddlewaretoken": self.csrf_token, **data},
                            **kwargs)  # fmt: skip

    def post_body(self, path: str, body, content_type: str, **kwargs) -> requests.Response:
        """A body already encoded (bytes, or a SlowBody), as multipart forms are."""
        return self.request("POST", path, data=body, headers={"Content-Type": content_type},
                            **kwargs)  # fmt: skip

    def prepare_post(self, path: str, data: dict) -> requests.PreparedRequest:
        return self.session.prepare_request(
            requests.Request(
                "POST",
                self.base_url + path,
                data={"csrfmiddlewaretoken": self.csrf_token, **data},
                headers=self._cookie_header(),
            )
        )

    def upload_body(self, photos: list[bytes], note: str = "") -> tuple[bytes, str]:
        """The choose-photos form as a browser sends it, without JavaScript."""
        fields: list[tuple] = [("csrfmiddlewaretoken", self.csrf_token), ("note", note)]
        for number, content in enumerate(photos, start=1):
            fields.append((f"photo_{number}", (f"IMG_{number:04}.jpg", content, "image/jpeg")))
            fields.append((f"label_{number}", "where" if number == 1 else "close_up"))
        return encode_multipart_formdata(fields)


# Each chosen photo is one item of the list (patient_upload/_chosen_photos.jinja).
CHOSEN_PHOTO = re.compile(r'<li class="app-chosen-photo">')


def chosen_count(html: str) -> int:
    """How many chosen photos a page lists (the check page and the choose-photos page)."""
    return len(CHOSEN_PHOTO.findall(html))


def location(response: requests.Response) -> str:
    return response.headers.get("Location", "")


def camera_photo(rng: random.Random, width: int, height: int) -> bytes:
    """A JPEG that compresses like a real photo (smooth shapes and sensor noise): megabytes."""
    w, h = width // 8, height // 8
    smooth = Image.frombytes("RGB", (w, h), rng.randbytes(w * h * 3)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    image = Image.merge("RGB", [Image.blend(band, noise, 0.25) for band in smooth.split()])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- Requests to answer, made in the shared database ----------------------------------------


def make_requests(count: int) -> list[str]:
    """A practice, a clinician, and `count` patients each asked for photos; their links' tokens."""
    from clinical_photos.accounts.tests.factories import PracticeFactory, UserFactory
    from clinical_photos.patients.tests.factories import PatientFactory
    from clinical_photos.photo_requests.tests.factories import make_request, token_of

    practice = PracticeFactory(name="Riverside Surgery")
    clinician = UserFactory(practice=practice)
    return [
        token_of(make_request(clinician, PatientFactory(practice=practice))) for _ in range(count)
    ]


def age_files(folder: Path, by: timedelta) -> int:
    """Set every file's modification time back, as if written `by` ago; how many files."""
    then = (timezone.now() - by).timestamp()
    count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))
            count += 1
    return count

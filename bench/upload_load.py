"""How many patients a production server takes photos from per second, against the most its
CPUs could do.

The server: gunicorn with 2 x cores + 1 sync worker processes (gunicorn's own advice; the
deployment guide names no number) and the production settings, on 127.0.0.1 against a
PostgreSQL database made for the run (`bench_upload_<pid>`), migrated, seeded with one request
per simulated patient, and dropped afterwards. Requests carry X-Forwarded-Proto: https, as
from the load balancer TLS ends at, and each patient a forwarded address of their own.

Each simulated patient goes from the link in their text to "Photos sent" as a browser without
JavaScript does (`_support.send_photos`): open the link, date of birth, the agreement page,
the choose-photos page, one multipart post of 5 phone-like photos (bench/synthetic_photos.py,
12 MP, made before anything is timed), the check page, agree and send, the confirmation.
The client is this process's threads, on the same CPUs as the server.

1. Warm-up: twice as many patients as workers, at once; not measured.
2. Alone: a few patients one after another. The server-side CPU time of one submission is the
   user + system time (/proc/PID/stat) used meanwhile by the gunicorn master and workers and by
   the PostgreSQL backends connected to this database, divided by the submissions.
   PostgreSQL's shared background processes (WAL writer, checkpointer) are not counted.
   `ideal_submissions_per_s` = CPU cores / that time: every core busy with nothing else.
3. Load: many patients at once (16 at a time by default, 48 in all); `submissions_per_s` is
   the successful submissions over the wall time of the whole phase, `p50_s` and `p95_s` a
   submission's wall time, `errors` the submissions that did not end at "Photos sent".

Goal: no errors, every sent photo stored, and `ratio` = submissions_per_s /
ideal_submissions_per_s of at least 0.7. The machine is shared, so the load phase also
measures (/proc/stat) the cores the client and every other process took, and reports the
ratio to what was left (`ratio_to_cores_left`): near 1 means the server used all it got.

Without PostgreSQL (BENCH_POSTGRES_URL, by default postgres://postgres@127.0.0.1:5432/postgres,
the server to make the database on) the result says "skipped" and why.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import base64
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
import requests
from psycopg import sql

from bench import _support
from bench.synthetic_photos import phone_photo_jpeg

RATIO_MIN = 0.7
PHOTOS_PER_SUBMISSION = 5
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@dataclass(frozen=True)
class Outcome:
    seconds: float
    error: str | None


def main() -> None:
    parser = _support.command_line(__doc__)
    parser.add_argument("--patients", type=int, default=48, help="under load (default 48)")
    parser.add_argument("--concurrency", type=int, default=16, help="at once (default 16)")
    parser.add_argument("--alone", type=int, default=4, help="one at a time (default 4)")
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1)
    parser.add_argument("--distinct-photos", type=int, default=10, help="(default 10)")
    args = parser.parse_args()
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL is not reachable: {str(error).strip()}"
        _support.report({"benchmark": "upload_load", "skipped": reason}, one_line=args.json)
        return
    _support.progress(f"Making {args.distinct_photos} phone photos")
    photos = _support.make_photos(phone_photo_jpeg, range(args.distinct_photos))
    pool = [_support.Upload(f"IMG_{n:04}.JPG", data, "image/jpeg") for n, data in enumerate(photos)]
    with admin:
        result = run(args, admin, pool)
    _support.report(result, one_line=args.json)


def run(args, admin: psycopg.Connection, pool: list[_support.Upload]) -> dict:
    with bench_database(admin) as (database, url), tempfile.TemporaryDirectory() as name:
        photo_dir = Path(name) / "photos"
        _support.progress(f"Migrating {database} and seeding the patients' requests")
        _support.start_django(url, photo_dir)
        from tests.resilience.service import make_requests

        # Twice as many as workers: whichever worker is free takes the next patient, and a
        # worker's first submission costs about twice a later one (code loaded, caches filled).
        warm_ups = 2 * args.workers
        patients = list(enumerate(make_requests(warm_ups + args.alone + args.patients)))
        _support.close_database_connections()
        warm_up = patients[:warm_ups]
        alone = patients[warm_ups : warm_ups + args.alone]
        under_load = patients[warm_ups + args.alone :]

        _support.progress(f"Starting gunicorn with {args.workers} workers")
        env, log_path = production_env(url, photo_dir), Path(name) / "server.log"
        with _support.gunicorn(env, workers=args.workers, log_path=log_path) as server:

            def measure_cpu(phase):
                return measure(server, admin, database, phase)

            _support.progress(f"Warming up the workers with {warm_ups} patients")
            warm_up_outcomes, _ = run_at_once(server, warm_up, pool, args.workers)
            _support.progress(f"{args.alone} patients one at a time")
            cpu, alone_seconds = measure_cpu(lambda: run_alone(server, alone, pool))
            _support.progress(f"{args.patients} patients, {args.concurrency} at a time")
            load_cpu, (outcomes, wall) = measure_cpu(
                lambda: run_at_once(server, under_load, pool, args.concurrency)
            )
            if failed := [outcome.error for outcome in outcomes if outcome.error]:
                _support.progress(f"First error: {failed[0]}\n{server.log_tail()}")
        sent = sum(not outcome.error for outcome in warm_up_outcomes + outcomes) + len(alone)
        stored = photos_stored(photo_dir)
        _support.close_database_connections()
    result = {
        "benchmark": "upload_load",
        "patients": len(outcomes),
        "concurrency": args.concurrency,
        "workers": args.workers,
        "photos_per_submission": PHOTOS_PER_SUBMISSION,
        "photo_mb_min_max": [
            _support.megabytes(min(len(upload.content) for upload in pool)),
            _support.megabytes(max(len(upload.content) for upload in pool)),
        ],
        **summarise(cpu, alone_seconds, load_cpu, outcomes, wall),
        "photos_stored": stored,
        "photos_expected": sent * PHOTOS_PER_SUBMISSION,
    }
    result["goal"] = {
        "errors": 0,
        "ratio_min": RATIO_MIN,
        "met": not result["errors"]
        and stored == result["photos_expected"]
        and result["ratio"] >= RATIO_MIN,
    }
    return result


@contextmanager
def bench_database(admin: psycopg.Connection) -> Iterator[tuple[str, str]]:
    """A new PostgreSQL database on the admin connection's server: (name, DATABASE_URL)."""
    database = f"bench_upload_{os.getpid()}"
    info = admin.info
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    try:
        credentials = info.user + (f":{info.password}" if info.password else "")
        yield database, f"postgres://{credentials}@{info.host}:{info.port}/{database}"
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def production_env(database_url: str, photo_dir: Path) -> dict[str, str]:
    """What docs/deployment.md asks for, with fresh secrets; texts kept in the outbox."""
    return {
        "DJANGO_SETTINGS_MODULE": "clinical_photos.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SERVICE_BASE_URL": "https://127.0.0.1",
        "DATABASE_URL": database_url,
        "SMS_BACKEND": "outbox",
        "PHOTO_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "PHOTO_ENCRYPTION_KEY_ID": "bench",
        "PHOTO_STORAGE_DIR": str(photo_dir),
    }


def submit(server: _support.Server, number: int, token: str, pool: list) -> Outcome:
    """Patient `number` sends 5 of the pool's photos, from an address of their own."""
    browser = _support.Browser(server.url, address=f"10.0.{number // 250}.{number % 250 + 1}")
    chosen = [pool[(number + k) % len(pool)] for k in range(PHOTOS_PER_SUBMISSION)]
    started = time.perf_counter()
    try:
        _support.send_photos(browser, token, chosen)
    except (_support.JourneyFailed, requests.RequestException) as failed:
        return Outcome(time.perf_counter() - started, str(failed))
    return Outcome(time.perf_counter() - started, None)


def run_alone(server, patients, pool) -> list[float]:
    outcomes = [submit(server, number, token, pool) for number, token in patients]
    if failed := [outcome.error for outcome in outcomes if outcome.error]:
        raise RuntimeError(f"A patient sending alone failed: {failed[0]}\n{server.log_tail()}")
    return [outcome.seconds for outcome in outcomes]


def run_at_once(server, patients, pool, concurrency: int) -> tuple[list[Outcome], float]:
    """Every patient, `concurrency` at a time; their outcomes and the wall time of it all."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as phones:
        outcomes = list(phones.map(lambda patient: submit(server, *patient, pool), patients))
    return outcomes, time.perf_counter() - started


@dataclass(frozen=True)
class CpuUsed:
    server: float  # gunicorn's master and workers, and this database's PostgreSQL backends
    client: float  # this process, every thread
    machine: float  # every process on the machine, these included


def measure(server, admin, database: str, run):
    """What `run()` returns, and the CPU seconds the server and this client used meanwhile."""

    def server_processes():
        backends = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
        ).fetchall()
        return _support.cpu_seconds(server.processes() + [pid for (pid,) in backends])

    before = server_processes(), time.process_time(), _support.machine_busy_seconds()
    value = run()
    used = CpuUsed(
        _support.cpu_used(before[0], server_processes()),
        time.process_time() - before[1],
        _support.machine_busy_seconds() - before[2],
    )
    return used, value


def photos_stored(photo_dir: Path) -> int:
    """Sent photos whose row committed and whose encrypted blob is on disk."""
    from clinical_photos.photos.models import Photo
    from clinical_photos.photos.storage import BlobStore

    blobs = BlobStore(photo_dir)
    names = Photo.objects.filter(response__isnull=False).values_list("blob_name", flat=True)
    return sum(1 for name in names if blobs.exists(name))


def summarise(cpu: CpuUsed, alone_seconds: list[float], load: CpuUsed, outcomes, wall) -> dict:
    """The figures of the load phase, against the ideal from the patients who sent alone.

    Beside the issue's ideal (every core for the server), the one this run could have had:
    the cores left once the client and everything else on the machine took theirs.
    """
    cores = os.cpu_count()
    cpu_per_submission = cpu.server / len(alone_seconds)
    ideal = cores / cpu_per_submission
    succeeded = [outcome.seconds for outcome in outcomes if not outcome.error]
    per_second = len(succeeded) / wall
    client_cores = load.client / wall
    elsewhere_cores = max(0.0, load.machine - load.server - load.client) / wall
    ideal_left = max(0.01, cores - client_cores - elsewhere_cores) / cpu_per_submission
    return {
        "submissions_per_s": round(per_second, 3),
        "p50_s": round(statistics.median(succeeded), 2) if succeeded else None,
        "p95_s": round(statistics.quantiles(succeeded, n=20)[18], 2)
        if len(succeeded) > 1
        else None,
        "errors": len(outcomes) - len(succeeded),
        "error_examples": sorted({outcome.error for outcome in outcomes if outcome.error})[:3],
        "cpu_cores": cores,
        "server_cpu_s_per_submission": round(cpu_per_submission, 3),
        "ideal_submissions_per_s": round(ideal, 3),
        "ratio": round(per_second / ideal, 3),
        "alone_s_median": round(statistics.median(alone_seconds), 2),
        "server_cpu_s_per_submission_under_load": round(load.server / len(outcomes), 3),
        "client_cores_under_load": round(client_cores, 2),
        "other_cores_under_load": round(elsewhere_cores, 2),
        "ideal_with_cores_left_per_s": round(ideal_left, 3),
        "ratio_to_cores_left": round(per_second / ideal_left, 3),
        "counted": (
            "server CPU = gunicorn master and workers + the PostgreSQL backends of this database; "
            "client = this process's threads (pages only, photos made before timing); other = "
            "every other process on the machine, PostgreSQL's background writers included"
        ),
    }


if __name__ == "__main__":
    main()

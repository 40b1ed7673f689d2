"""Kill the server at random points while patients send photos; nothing half-sent survives.

The real service (gunicorn) runs in a process group of its own. Patients' phones walk the
journey over http (open the link, date of birth, choose 1 to 5 photos in one multipart post
sent slowly like a weak signal, check and send). A seeded plan SIGKILLs the whole server
during some of those requests (while an upload is still arriving, while photos are processed
and stored, while a submission is committed) or between them, then starts it again; the phone
then carries on where the service says it is, or gives up.

Afterwards, in this process and against the same database and photo folder: every submission
is whole (all the photos it was sent with, each decrypting and matching its SHA-256) or absent,
a request is answered exactly when it has a response, no row lost its blob, the audit chain is
whole, and housekeeping removes exactly the blobs no row needs.
"""

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import requests

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.audit.services import verify_chain
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
from clinical_photos.photos import storage, tasks
from clinical_photos.photos.models import Photo

from .service import (
    ALREADY_USED,
    Phone,
    SlowBody,
    age_files,
    camera_photo,
    chosen_count,
    location,
    make_requests,
)

SEED = 20261125
FLOWS = 12
TIME_BUDGET = 40  # seconds of flows; no new flow starts after it
KILL_CHANCE = 0.65  # of a flow's first attempt being killed somewhere
RETRY_CHANCE = 0.75  # of a killed flow being tried again rather than abandoned
MAX_ATTEMPTS = 3
# Where kills are aimed, mostly at the big upload and at sending ("send" is the POST to
# /p/check/, "check" the GET of it).
KILL_STEPS = {"upload": 0.45, "send": 0.35, "date of birth": 0.1, "open": 0.05, "check": 0.05}
# A weak signal: 64 KB every 10 ms, about 6 MB a second.
UPLOAD_CHUNK, UPLOAD_PAUSE = 64 * 1024, 0.01
# How long the server holds each submission's and each photo's transaction open before it
# commits (tests/resilience/wsgi.py), so that kills land inside them and not only around them.
HOLD_SECONDS = 0.1


class Killed(Exception):
    """The server was killed during this flow; the phone's request may or may not have landed."""


@dataclass
class KillPlan:
    step: str
    fraction: float  # of the step's expected duration after which the kill fires
    done: bool = False


@dataclass
class Stats:
    kills: Counter = field(default_factory=Counter)  # by (step, "mid-request"/"between")
    sends_killed: Counter = field(default_factory=Counter)  # by whether it had committed
    completed: int = 0
    abandoned: int = 0
    retried: int = 0
    durations: dict = field(default_factory=dict)  # step: recent whole durations

    def expected(self, step: str, default: float) -> float:
        seen = self.durations.get(step, [])[-10:]
        return sum(seen) / len(seen) if seen else default

    @property
    def mid_request(self) -> int:
        return sum(n for (_, when), n in self.kills.items() if when == "mid-request")


@dataclass
class Flow:
    number: int
    token: str
    photos: list[bytes]
    phone: Phone
    plan: KillPlan | None
    verified: bool = False
    shown_before_send: int | None = None  # photos on the check page the send was posted from
    confirmed: int | None = None  # photos the confirmation page said were sent
    link_used: bool = False  # the link itself said it had been used
    killed_steps: list[str] = field(default_factory=list)


class Journey:
    """Walks one phone through the journey, from wherever the service says it has got to."""

    def __init__(self, server, stats: Stats) -> None:
        self.server, self.stats = server, stats

    def typical(self, step: str, default: float) -> Callable[[float], float]:
        """A kill's delay: the plan's fraction of how long this step has taken so far."""
        return lambda fraction: fraction * self.stats.expected(step, default)

    def call(self, flow: Flow, step: str, send, *, delay: Callable[[float], float]):
        """One request, with the server killed part-way through it if the plan says so."""
        plan = flow.plan if flow.plan and not flow.plan.done and flow.plan.step == step else None
        if plan is None:
            started = time.monotonic()
            response = send()
            self.stats.durations.setdefault(step, []).append(time.monotonic() - started)
            return response
        plan.done = True
        fired = threading.Event()

        def kill():
            if self.server.kill():
                fired.set()

        seconds = delay(plan.fraction)
        timer = threading.Timer(seconds, kill)
        timer.start()
        failure = None
        try:
            send()
        except requests.RequestException as error:
            failure = error
        timer.cancel()
        timer.join()  # a kill already under way finishes first
        if not fired.is_set():
            if failure is not None:
                raise failure  # the connection failed with no kill: a real failure
            self.server.kill()  # the answer came first: kill between this step and the next
        # "mid-request": the phone was still sending, or still waiting for the answer.
        when = "mid-request" if failure is not None else "between"
        self.stats.kills[(step, when)] += 1
        flow.killed_steps.append(f"{step} ({when}, {seconds:.3f}s in)")
        raise Killed(step)

    def walk(self, flow: Flow) -> None:
        phone = flow.phone
        while True:
            if not flow.verified:
                opened = self.call(flow, "open", lambda: phone.get(f"/p/{flow.token}"),
                                   delay=self.typical("open", 0.02))  # fmt: skip
                if opened.status_code == 200 and ALREADY_USED in opened.text:
                    # An earlier attempt sent the photos but its answer never arrived, and the
                    # phone's session is gone: the link says it was used.
                    flow.link_used = True
                    return
                assert opened.status_code == 200, opened.status_code
                given = self.call(flow, "date of birth",
                                  lambda: phone.post(f"/p/{flow.token}", dob_form()),
                                  delay=self.typical("date of birth", 0.02))  # fmt: skip
                assert (given.status_code, location(given)) == (302, "/p/about/"), given.status_code
                flow.verified = True
            check = self.call(flow, "check", lambda: phone.get("/p/check/"),
                              delay=self.typical("check", 0.02))  # fmt: skip
            if check.status_code == 403:  # the session is gone: start from the link again
                flow.verified = False
                continue
            if check.status_code == 302 and location(check) == "/p/done/":
                return self.confirm(flow)
            if check.status_code == 302 and location(check) == "/p/photos/":
                self.upload(flow)
                continue
            assert check.status_code == 200, (check.status_code, location(check))
            shown = chosen_count(check.text)
            assert 1 <= shown <= 5
            flow.shown_before_send = shown
            sent = self.call(flow, "send", lambda: phone.post("/p/check/", {"agree": "on"}),
                             delay=self.typical("send", 0.03))  # fmt: skip
            assert (sent.status_code, location(sent)) == (302, "/p/done/"), sent.status_code
            return self.confirm(flow)

    def upload(self, flow: Flow) -> None:
        page = flow.phone.get("/p/photos/")
        assert page.status_code == 200, page.status_code
        free = 5 - chosen_count(page.text)
        assert free >= 1
        photos = flow.photos[:free]
        body, content_type = flow.phone.upload_body(photos, note="On my left arm.")
        slow = SlowBody(body, chunk=UPLOAD_CHUNK, pause=UPLOAD_PAUSE)
        count = len(photos)
        processing = count * self.stats.expected("processing a photo", 0.15)

        def delay(fraction: float) -> float:
            # A third of the kills aimed here land while the upload is still arriving, the
            # rest while the server checks, encrypts and stores the photos it has received.
            if fraction < 1 / 3:
                return slow.seconds * 3 * fraction
            return slow.seconds + processing * 1.5 * (fraction - 1 / 3)

        started = time.monotonic()
        chosen = self.call(flow, "upload",
                           lambda: flow.phone.post_body("/p/photos/", slow, content_type),
                           delay=delay)  # fmt: skip
        took = (time.monotonic() - started - slow.seconds) / count
        self.stats.durations.setdefault("processing a photo", []).append(max(0.0, took))
        assert (chosen.status_code, location(chosen)) == (302, "/p/check/"), chosen.status_code

    def confirm(self, flow: Flow) -> None:
        done = flow.phone.get("/p/done/")
        assert done.status_code == 200, done.status_code
        assert "Photos sent" in done.text
        flow.confirmed = int(done.text.split("We sent ", 1)[1].split(" photo", 1)[0])


def photo_pool(rng: random.Random) -> list[bytes]:
    """Photos as phones send them: a megabyte or more each, no two alike."""
    sizes = [(2000, 1500), (1500, 2000), (1600, 1200), (1600, 1200), (1800, 1350), (1200, 1600)]
    return [camera_photo(rng, width, height) for width, height in sizes]


def test_killing_the_server_during_uploads_leaves_every_submission_whole_or_absent(
    start_server, photo_storage
):
    rng = random.Random(SEED)  # noqa: S311 (a test's plan, not security)
    pool = photo_pool(rng)
    tokens = make_requests(FLOWS)
    server = start_server(workers=1, threads=4, hold_seconds=HOLD_SECONDS)
    stats = Stats()
    journey = Journey(server, stats)
    flows: list[Flow] = []
    started = time.monotonic()
    try:
        for number, token in enumerate(tokens):
            if time.monotonic() - started > TIME_BUDGET:
                break
            plan = None
            if rng.random() < KILL_CHANCE:
                step = rng.choices(list(KILL_STEPS), weights=list(KILL_STEPS.values()))[0]
                plan = KillPlan(step, rng.uniform(0.05, 0.95))
            photos = rng.sample(pool, rng.randint(1, 5))
            flow = Flow(number, token, photos, Phone(server.url), plan)
            flows.append(flow)
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    journey.walk(flow)
                    stats.completed += 1
                    break
                except Killed as killed:
                    # Straight after the crash, before anything can tidy up.
                    sent = check_whole_or_absent(flow)
                    if str(killed) == "send":
                        stats.sends_killed[sent] += 1
                    server.start()
                    if attempt == MAX_ATTEMPTS or rng.random() > RETRY_CHANCE:
                        stats.abandoned += 1
                        break
                    stats.retried += 1
    except Exception:
        print(server.log_tail())
        raise
    finally:
        server.stop()
    elapsed = time.monotonic() - started

    report = (
        f"{len(flows)} flows in {elapsed:.1f}s: {stats.completed} completed, "
        f"{stats.abandoned} abandoned, {stats.retried} retries, {server.starts} server starts "
        f"({server.seconds_starting:.1f}s); "
        f"kills {dict(stats.kills)}"
    )
    print("\n" + report)
    for flow in flows:
        print(f"  flow {flow.number}: killed {flow.killed_steps or 'never'}")
    check_every_submission_is_whole_or_absent(flows)
    strays = check_housekeeping_removes_only_what_no_row_needs(photo_storage)
    print(f"housekeeping: {strays}")
    print(
        f"kills while sending: {stats.sends_killed[True]} after the submission committed, "
        f"{stats.sends_killed[False]} before (nothing kept)"
    )

    # Not vacuous: patients did get their photos through, and the server did die mid-request.
    assert stats.completed > 0, report
    assert stats.mid_request > 0, report


def check_whole_or_absent(flow: Flow) -> bool:
    """The flow's request has a whole submission or none; True when it has one."""
    link = PatientLink.objects.get(token_sha256=PatientLink.hash_token(flow.token))
    photo_request = link.photo_request
    response = PatientResponse.objects.filter(photo_request=photo_request).first()
    sent = AuditEntry.objects.filter(action=Action.PHOTOS_SENT, object_id=str(photo_request.pk))
    what = f"flow {flow.number} (killed: {flow.killed_steps or 'never'})"
    if response is None:
        # Absent: nothing was sent, the link still works, the chosen photos wait unsent.
        assert photo_request.status == PhotoRequest.Status.OPEN, what
        assert link.used_at is None, what
        assert not sent.exists(), what
        assert flow.confirmed is None and not flow.link_used, what
        assert not Photo.objects.filter(link=link, response__isnull=False).exists(), what
    else:
        # Whole: every photo the patient saw on the check page they sent from, and no other.
        assert photo_request.status == PhotoRequest.Status.ANSWERED, what
        assert response.kind == PatientResponse.Kind.PHOTOS, what
        assert link.used_at is not None, what
        photos = list(response.photos.all())
        assert flow.shown_before_send is not None, what
        assert len(photos) == flow.shown_before_send, what
        assert flow.confirmed in (None, len(photos)), what
        assert sent.count() == 1 and sent.get().detail == {"photos": len(photos)}, what
        assert not Photo.objects.filter(link=link, response__isnull=True).exists(), what
    for photo in Photo.objects.filter(link=link):
        storage.read_photo(photo)  # its blob is there, decrypts, and matches its SHA-256
    return response is not None


def check_every_submission_is_whole_or_absent(flows: list[Flow]) -> None:
    for flow in flows:
        check_whole_or_absent(flow)

    # The same, over the whole database: answered exactly when there is one response.
    assert not PhotoRequest.objects.filter(
        status=PhotoRequest.Status.ANSWERED, response__isnull=True
    ).exists()
    assert not PatientResponse.objects.exclude(
        photo_request__status=PhotoRequest.Status.ANSWERED
    ).exists()
    assert not PhotoRequest.objects.filter(status=PhotoRequest.Status.DECLINED).exists()
    for response in PatientResponse.objects.filter(kind=PatientResponse.Kind.PHOTOS):
        assert response.photos.exists()
    assert (
        AuditEntry.objects.filter(action=Action.PHOTOS_SENT).count()
        == PatientResponse.objects.count()
    )
    # Every row's blob is there and is the photo it describes, sent or still waiting.
    for photo in Photo.objects.all():
        storage.read_photo(photo)
    assert verify_chain() is None


def check_housekeeping_removes_only_what_no_row_needs(photo_dir) -> dict[str, int]:
    store = storage.BlobStore()
    rows = set(Photo.objects.values_list("blob_name", flat=True))
    blobs = {name for name, _ in store.blobs()}
    assert rows <= blobs, "a photo's row has no blob"
    strays, partials = blobs - rows, list(store.partial_files())
    # Housekeeping leaves anything younger than an hour alone (an upload may be under way).
    age_files(photo_dir, timedelta(hours=2))

    counts = tasks.sweep_stray_blobs.call()

    assert counts == {
        "stray_blobs": len(strays),
        "destroyed_key_blobs": 0,
        "partial_files": len(partials),
        "unsent_photos": 0,
    }
    assert {name for name, _ in store.blobs()} == rows
    assert not list(store.partial_files())
    for photo in Photo.objects.all():
        storage.read_photo(photo)
    return counts

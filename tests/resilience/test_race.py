"""Twenty phones send the same link's photos at the same moment: exactly one submission wins.

The real service runs as gunicorn with several worker processes, each with several threads,
so the twenty posts really do run at once, in different processes, against a shared database
(SQLite serialises the writers; PostgreSQL locks rows and has the one-to-one constraint).
"""

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo

from .service import (
    ALREADY_USED,
    Phone,
    camera_photo,
    chosen_count,
    location,
    make_requests,
)

PHONES = 20
ROUNDS = 5  # five links, one after another, each raced by twenty phones


def phone_past_date_of_birth(server, token) -> Phone:
    phone = Phone(server.url)
    assert phone.get(f"/p/{token}").status_code == 200
    answer = phone.post(f"/p/{token}", dob_form())
    assert (answer.status_code, location(answer)) == (302, "/p/about/"), server.log_tail()
    return phone


def race(phones: list[Phone]) -> list[tuple[int, str, str]]:
    """Every phone posts "send" once the last of them is ready; (status, Location, body) each."""
    barrier = threading.Barrier(len(phones))
    answers: list = [None] * len(phones)

    def send(number: int, phone: Phone, prepared: requests.PreparedRequest) -> None:
        try:
            barrier.wait(timeout=30)
            answer = phone.session.send(prepared, allow_redirects=False, timeout=(5, 60))
            answers[number] = (answer.status_code, location(answer), answer.text)
        except Exception as error:  # reported by the assertions below, not lost in a thread
            answers[number] = (0, "", repr(error))

    threads = [
        threading.Thread(
            target=send, args=(number, phone, phone.prepare_post("/p/check/", {"agree": "on"}))
        )
        for number, phone in enumerate(phones)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a sending phone never finished"
    return answers


def outcome(phone: Phone, status: int, where: str, body: str) -> str:
    """What the phone was shown: the confirmation (through one redirect), the page saying the
    link was used, or anything else, named by its status and where it led."""
    if status == 302 and where == "/p/done/":
        confirmation = phone.get(where)
        assert confirmation.status_code == 200, confirmation.status_code
        assert "Photos sent" in confirmation.text
        return "confirmation"
    if status == 200 and ALREADY_USED in body:
        return "already used"
    if status == 302:
        # Followed to its end, so a report says where the patient was finally taken.
        hops = [where]
        while (answer := phone.get(hops[-1])).status_code == 302 and len(hops) < 5:
            hops.append(location(answer))
        return f"302 {' -> '.join(hops)} ({answer.status_code})"
    return f"{status}" if status else f"no answer: {body[:200]}"


def test_twenty_phones_send_one_link_at_once_and_exactly_one_submission_is_kept(
    start_server,
):
    tokens = make_requests(ROUNDS)
    server = start_server(workers=4, threads=5)
    seen: Counter = Counter()
    for token in tokens:
        with ThreadPoolExecutor(max_workers=8) as pool:  # only the getting ready
            phones = list(pool.map(phone_past_date_of_birth, [server] * PHONES, [token] * PHONES))
        chooser = phones[0]
        assert chooser.get("/p/photos/").status_code == 200
        photo = camera_photo(random.Random(7), 1200, 900)  # noqa: S311 (pixels, not security)
        body, content_type = chooser.upload_body([photo])
        chosen = chooser.post_body("/p/photos/", body, content_type)
        assert (chosen.status_code, location(chosen)) == (302, "/p/check/"), server.log_tail()
        with ThreadPoolExecutor(max_workers=8) as pool:
            check_pages = list(pool.map(lambda phone: phone.get("/p/check/"), phones))
        for check_page in check_pages:  # each phone has the page, and its form's token
            assert check_page.status_code == 200 and chosen_count(check_page.text) == 1

        answers = race(phones)

        outcomes = Counter(outcome(phones[n], *answer) for n, answer in enumerate(answers))
        seen.update(outcomes)
        server_errors = [a for a in answers if a[0] >= 500 or a[0] == 0]
        assert not server_errors, f"{outcomes}\n{server.log_tail()}"

        # Exactly one whole submission, however the twenty posts interleaved.
        photo_request = PhotoRequest.objects.get(links__token_sha256=PatientLink.hash_token(token))
        assert photo_request.status == PhotoRequest.Status.ANSWERED
        responses = PatientResponse.objects.filter(photo_request=photo_request)
        assert responses.count() == 1
        response = responses.get()
        assert response.kind == PatientResponse.Kind.PHOTOS
        photos = list(Photo.objects.filter(response=response))
        assert len(photos) == 1
        assert all(storage.read_photo(photo) for photo in photos)
        sent = AuditEntry.objects.filter(action=Action.PHOTOS_SENT, object_id=str(photo_request.pk))
        assert sent.count() == 1
        assert sent.get().detail == {"photos": 1}
        assert not Photo.objects.filter(link__photo_request=photo_request, response=None).exists()

    print(f"\n{ROUNDS} races of {PHONES} phones: {dict(seen)}")
    # Every phone that lost was told so: the page saying the link was used, or (arriving once
    # the winner had committed) straight to the confirmation. Nothing else, and no error.
    others = {what: n for what, n in seen.items() if what not in ("confirmation", "already used")}
    assert not others, (
        f"{sum(others.values())} losing phones were shown something else: {others}. A post that "
        "passes the link check while the link is still open, but reads the chosen photos after "
        "the winner has sent them, is sent back to choose photos (views.check)."
    )
    assert seen["already used"] >= 1, dict(seen)

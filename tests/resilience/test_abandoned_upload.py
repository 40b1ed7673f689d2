"""A phone loses its signal half-way through sending a photo: nothing of it is left behind.

The real service (gunicorn) runs as a process of its own, its temporary upload files kept in
a folder of the test's (TMPDIR), so the test can see them come and go. A patient's phone
opens its link and gives its date of birth, then a raw socket sends the headers and half the
body of a big upload and stops: closed cleanly (the phone gave up), or reset (the signal
went). Each of the ways photos arrive is cut off like this: one photo from the page's script
(photos/add/), and the whole form without JavaScript, cut inside its second photo after the
first arrived whole.

Afterwards, against the same database and photo folder: no photo row, no blob, no temporary
upload file, and the housekeeping sweep finds nothing to remove. Then the same phone sends
the same photo whole and it is kept, so the cut-off posts were ones the service would have
taken.
"""

import random
import socket
import struct
import time
from datetime import timedelta
from pathlib import Path

import pytest
from urllib3 import encode_multipart_formdata

from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photos import storage, tasks
from clinical_photos.photos.models import Photo

from .service import Phone, Server, age_files, camera_photo, location, make_requests


@pytest.fixture
def upload_temp_dir(tmp_path) -> Path:
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    return folder


@pytest.fixture
def server(shared_database, photo_storage, upload_temp_dir, tmp_path):
    server = Server(
        database_url=shared_database, photo_dir=photo_storage, log_path=tmp_path / "server.log"
    )
    # Python's tempfile, and so Django's temporary upload files, use TMPDIR.
    server.env["TMPDIR"] = str(upload_temp_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def phone(server) -> Phone:
    [token] = make_requests(1)
    phone = Phone(server.url)
    assert phone.get(f"/p/{token}").status_code == 200
    answer = phone.post(f"/p/{token}", dob_form())
    assert (answer.status_code, location(answer)) == (302, "/p/about/"), server.log_tail()
    assert phone.get("/p/photos/").status_code == 200  # its form's CSRF token
    return phone


@pytest.fixture(scope="module")
def big_photo() -> bytes:
    """A camera-like JPEG of about 4 MB: over the 2 MB Django keeps in memory."""
    photo = camera_photo(random.Random(7), 3000, 2250)  # noqa: S311 (test data)
    assert len(photo) > 3 * 1024 * 1024
    return photo


def one_photo_body(phone: Phone, photo: bytes) -> tuple[bytes, str]:
    """What the choose-photos page's script posts for one photo."""
    return encode_multipart_formdata(
        [
            ("csrfmiddlewaretoken", phone.csrf_token),
            ("label", "close_up"),
            ("position", "1"),
            ("photo", ("IMG_0001.jpg", photo, "image/jpeg")),
        ]
    )


def send_part_and_stop(
    phone: Phone,
    path: str,
    body: bytes,
    content_type: str,
    *,
    share: float,
    temp_dir: Path,
    reset: bool,
) -> None:
    """Send the headers and a share of the body, wait until the server is writing the upload
    to a temporary file, then stop: a clean close, or a reset as when the signal goes."""
    head = "\r\n".join(
        [
            f"POST {path} HTTP/1.1",
            f"Host: 127.0.0.1:{phone.base_url.rsplit(':', 1)[1]}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            "Accept: application/json",
            *(f"{name}: {value}" for name, value in phone._cookie_header().items()),
            "",
            "",
        ]
    ).encode()
    host, port = phone.base_url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)), timeout=10)
    try:
        connection.sendall(head)
        part = body[: int(len(body) * share)]
        for start in range(0, len(part), 64 * 1024):
            connection.sendall(part[start : start + 64 * 1024])
        wait_for(lambda: any(temp_dir.iterdir()), "the upload's temporary file to appear")
        if reset:
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        connection.close()


def wait_for(condition, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"Still waiting for {what}")


def check_nothing_left(photo_dir: Path, temp_dir: Path) -> None:
    # The server is done with the request once its temporary file is gone.
    wait_for(lambda: not any(temp_dir.iterdir()), "the temporary upload file to be removed")
    assert not Photo.objects.exists()
    store = storage.BlobStore()
    assert not list(store.blobs())
    assert not list(store.partial_files())
    # Housekeeping, run as if hours had passed, finds nothing of it either.
    age_files(photo_dir, timedelta(hours=2))
    assert tasks.sweep_stray_blobs.call() == {
        "stray_blobs": 0,
        "destroyed_key_blobs": 0,
        "partial_files": 0,
        "unsent_photos": 0,
    }
    assert not any(path.is_file() for path in photo_dir.rglob("*"))


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_a_photo_abandoned_half_way_leaves_nothing_behind(
    server, phone, big_photo, photo_storage, upload_temp_dir, reset
):
    body, content_type = one_photo_body(phone, big_photo)
    send_part_and_stop(
        phone,
        "/p/photos/add/",
        body,
        content_type,
        share=0.5,
        temp_dir=upload_temp_dir,
        reset=reset,
    )
    check_nothing_left(photo_storage, upload_temp_dir)

    # Not vacuous: the same post, sent whole, is one the service keeps.
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    whole = phone.request("POST", "/p/photos/add/", data=body, headers=headers)
    assert whole.status_code == 201, server.log_tail()
    assert Photo.objects.count() == 1
    # Its temporary file goes once the answer has been sent.
    wait_for(lambda: not any(upload_temp_dir.iterdir()), "the temporary file to be removed")


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
def test_a_form_abandoned_half_way_keeps_not_even_the_photo_that_arrived_whole(
    server, phone, big_photo, photo_storage, upload_temp_dir, reset
):
    body, content_type = phone.upload_body([big_photo, big_photo])
    # Cut inside the second photo: the first has arrived whole by then.
    send_part_and_stop(
        phone,
        "/p/photos/",
        body,
        content_type,
        share=0.75,
        temp_dir=upload_temp_dir,
        reset=reset,
    )
    check_nothing_left(photo_storage, upload_temp_dir)

    whole = phone.post_body("/p/photos/", body, content_type)
    assert (whole.status_code, location(whole)) == (302, "/p/check/"), server.log_tail()
    assert Photo.objects.count() == 2

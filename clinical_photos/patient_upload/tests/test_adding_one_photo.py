"""One photo at a time, as the choose-photos page's script sends them (photos/add/), and the
advice the quality checks give, with JavaScript on (in JSON) and off (on the pages)."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos import pipeline
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg
from clinical_photos.photos.tests.quality_images import blurry_photo, dark_photo, sharp_photo

from .conftest import client_for
from .factories import upload

ADD = reverse("patient_upload:add_photo")
PHOTOS = reverse("patient_upload:choose_photos")
CHECK = reverse("patient_upload:check")
JSON = {"HTTP_ACCEPT": "application/json"}
BLURRY_ADVICE = "Hold the phone steady, tap the screen on the problem to focus, and take it again."


def add(client, content, *, name="IMG_0001.jpg", label="close_up", **fields):
    return client.post(ADD, {"photo": upload(name, content), "label": label, **fields}, **JSON)


def stored_blobs(photo_storage) -> list:
    return [path for path in photo_storage.rglob("*") if path.is_file()]


def test_a_good_photo_is_kept_and_has_no_advice(patient_client):
    response = add(patient_client, sharp_photo(), label="where")
    assert response.status_code == 201
    answer = response.json()
    photo = Photo.objects.get()
    assert answer["photo"] == {
        "id": str(photo.id),
        "number": 1,
        "label": "where",
        "width": 1600,
        "height": 1200,
        "problems": [],
        "remove_url": reverse("patient_upload:remove_photo", args=[photo.id]),
    }
    assert answer["free_slots"] == 4
    assert photo.response is None and photo.label == "where"
    assert AuditEntry.objects.filter(action=Action.PHOTO_ADDED).count() == 1


def test_a_blurry_photo_is_kept_with_what_to_do_about_it(patient_client):
    response = add(patient_client, blurry_photo())
    assert response.status_code == 201
    problems = response.json()["photo"]["problems"]
    assert problems[0] == {
        "code": "blurry",
        "title": "This photo looks blurry",
        "what_to_do": BLURRY_ADVICE,
    }
    # Advice, never a refusal: the photo is kept, to send if the patient wants to.
    assert "blurry" in Photo.objects.get().problems


def test_a_dark_photo_is_told_to_find_more_light(patient_client):
    problems = add(patient_client, dark_photo()).json()["photo"]["problems"]
    assert problems[0]["code"] == "too_dark"
    assert "Move somewhere brighter" in problems[0]["what_to_do"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.pdf", b"%PDF-1.4 1 0 obj << >> endobj", "This file is a PDF document, not a photo"),
        ("rash.jpg", b"<html><script>alert(1)</script></html>", "This file is a web page"),
        ("rash.jpg", jpeg()[:300], "Part of this photo is missing"),
        ("rash.jpg", b"", "This file is empty"),
    ],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_with_why(
    patient_client, photo_storage, name, content, message
):
    response = add(patient_client, content, name=name)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Photo.objects.exists()
    assert not stored_blobs(photo_storage)


@pytest.mark.parametrize(
    ("megabytes", "status"),
    [
        (20.01, 400),  # read, and refused by the photo checks
        (21, 413),  # refused by its size alone, before any of it is read
    ],
)
def test_a_photo_over_20_mb_is_refused_with_what_to_do(
    patient_client, photo_storage, megabytes, status
):
    response = add(patient_client, jpeg() + b"\0" * int(megabytes * 1024 * 1024))
    assert response.status_code == status
    assert response.json()["error"] == pipeline.TOO_BIG
    assert not Photo.objects.exists()
    assert not stored_blobs(photo_storage)


def test_a_post_without_a_photo_is_refused(patient_client):
    response = patient_client.post(ADD, {"label": "where"}, **JSON)
    assert response.status_code == 400
    assert response.json()["error"] == "Choose a photo to send."


def test_a_body_that_is_not_a_form_is_a_bad_request_not_a_server_error(patient_client):
    response = patient_client.post(
        ADD, b"not really multipart", content_type="multipart/form-data", **JSON
    )
    assert response.status_code == 400
    assert not Photo.objects.exists()


def test_a_sixth_photo_is_refused_and_the_five_are_kept(patient_client):
    for seed in range(5):
        assert add(patient_client, jpeg(colour=(seed * 40, 90, 120))).status_code == 201
    response = add(patient_client, sharp_photo())
    assert response.status_code == 409
    assert response.json()["error"] == (
        "You can send up to 5 photos. Remove one before adding another."
    )
    assert Photo.objects.count() == 5


def test_replacing_a_photo_swaps_it_for_the_new_one(patient_client):
    blurry = add(patient_client, blurry_photo()).json()["photo"]
    response = add(patient_client, sharp_photo(), replaces=blurry["id"])
    assert response.status_code == 201
    sharp = response.json()["photo"]
    assert sharp["number"] == 1 and sharp["problems"] == []
    assert list(Photo.objects.values_list("id", flat=True)) == [_uuid(sharp["id"])]


def test_a_replacement_that_is_refused_keeps_the_photo_it_was_to_replace(patient_client):
    blurry = add(patient_client, blurry_photo()).json()["photo"]
    response = add(patient_client, b"%PDF-1.4", name="x.pdf", replaces=blurry["id"])
    assert response.status_code == 400
    assert list(Photo.objects.values_list("id", flat=True)) == [_uuid(blurry["id"])]


def test_replacing_works_when_five_are_chosen(patient_client):
    ids = [add(patient_client, jpeg()).json()["photo"]["id"] for _ in range(5)]
    response = add(patient_client, sharp_photo(), replaces=ids[2])
    assert response.status_code == 201
    assert Photo.objects.count() == 5
    assert not Photo.objects.filter(id=ids[2]).exists()


def test_the_script_can_remove_a_photo(patient_client):
    photo = add(patient_client, blurry_photo()).json()["photo"]
    response = patient_client.post(photo["remove_url"], **JSON)
    assert response.json() == {"removed": True}
    assert not Photo.objects.exists()


def test_without_the_patient_s_session_nothing_is_kept(db, token, photo_storage):
    response = add(PageClient(), sharp_photo())
    assert response.status_code == 403
    assert response.json() == {"error": "Open the link in your text.", "next": PHOTOS}
    assert not Photo.objects.exists()
    assert not stored_blobs(photo_storage)


def test_a_cancelled_request_takes_no_more_photos(patient_client, photo_request, clinician):
    request_services.cancel_request(by=clinician, photo_request=photo_request)
    response = add(patient_client, sharp_photo())
    assert response.status_code == 403
    assert response.json()["error"] == "This request has been cancelled."
    assert not Photo.objects.exists()


def test_another_patient_cannot_replace_or_remove_someone_else_s_photo(
    patient_client, practice, clinician, patient
):
    other_client = client_for(make_request(clinician, patient))
    theirs = add(other_client, blurry_photo()).json()["photo"]

    response = add(patient_client, sharp_photo(), replaces=theirs["id"])
    assert response.status_code == 201  # kept as the patient's own new photo, nothing replaced
    assert patient_client.post(theirs["remove_url"], **JSON).json() == {"removed": False}
    assert Photo.objects.filter(id=theirs["id"]).exists()
    assert Photo.objects.count() == 2


def test_a_post_without_the_form_s_csrf_token_is_refused(token, photo_storage):
    client = PageClient(enforce_csrf_checks=True)
    link = reverse("patient_upload:open_link", args=[token])
    client.post(link, {**dob_form(), "csrfmiddlewaretoken": _csrf_token(client.get(link))})
    response = add(client, sharp_photo())
    assert response.status_code == 403
    assert not Photo.objects.exists()
    # With the token from the page, as the script sends it, the photo is kept.
    csrf = _csrf_token(client.get(PHOTOS))
    assert add(client, sharp_photo(), csrfmiddlewaretoken=csrf).status_code == 201


def _csrf_token(response) -> str:
    return response.page.form().value("csrfmiddlewaretoken")


def test_continuing_after_the_script_sent_the_photos_posts_only_labels_and_note(patient_client):
    photo = add(patient_client, sharp_photo(), label="close_up").json()["photo"]
    response = patient_client.post(
        PHOTOS, {f"label_of_{photo['id']}": "where", "label_1": "close_up", "note": "Itchy."}
    )
    assert response["Location"] == CHECK
    assert Photo.objects.get().label == "where"
    page = patient_client.get(CHECK).page
    assert "1 photo" in page.text and "Itchy." in page.text


def test_without_javascript_the_check_page_gives_the_advice_beside_the_photo(patient_client):
    response = patient_client.post(
        PHOTOS,
        {
            "photo_1": upload("sharp.jpg", sharp_photo()),
            "label_1": "where",
            "photo_2": upload("blurry.jpg", blurry_photo(seed=6)),
            "label_2": "close_up",
            "note": "",
        },
    )
    assert response["Location"] == CHECK
    items = _chosen_items(patient_client.get(CHECK).page)
    assert len(items) == 2
    assert "Photo 1: where the problem is on your body" in items[0]
    assert "looks blurry" not in items[0]
    assert "Photo 2: a close-up" in items[1]
    assert "This photo looks blurry" in items[1] and BLURRY_ADVICE in items[1]
    assert "send it as it is" in items[1]
    # The same beside the photo on the choose-photos page, and sending anyway is just sending.
    assert "This photo looks blurry" in patient_client.get(PHOTOS).page.text
    assert patient_client.post(CHECK, {"agree": "on"})["Location"] == reverse("patient_upload:sent")
    assert Photo.objects.filter(response__isnull=False).count() == 2


def test_a_form_post_cut_off_part_way_keeps_nothing(patient_client, photo_storage):
    """The phone lost its signal while sending the second of two photos: the first, which
    arrived whole, is not kept either (nothing half-sent survives)."""
    boundary = "----cut-off"
    parts = [
        ("note", None, b"On my arm"),
        ("label_1", None, b"where"),
        ("photo_1", "one.jpg", sharp_photo()),
        ("label_2", None, b"close_up"),
        ("photo_2", "two.jpg", sharp_photo(seed=7)),
    ]
    body = b"".join(_part(boundary, *part) for part in parts) + f"--{boundary}--\r\n".encode()
    cut = body[: len(body) - 200_000]
    response = patient_client.generic(
        "POST", PHOTOS, cut, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 400
    assert "did not finish sending, so none of them were kept" in response.page.text
    assert not Photo.objects.exists()
    assert not stored_blobs(photo_storage)


def _part(boundary: str, name: str, filename: str | None, content: bytes) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n"
    if filename:
        head += "Content-Type: image/jpeg\r\n"
    return head.encode() + b"\r\n" + content + b"\r\n"


def _chosen_items(page) -> list[str]:
    return page.text_of("li.app-chosen-photo")


def _uuid(value: str):
    import uuid

    return uuid.UUID(value)


def test_photos_sent_at_once_keep_the_order_of_their_places_on_the_page(patient_client):
    """The script sends each photo as it is chosen; the second may arrive first."""
    add(patient_client, blurry_photo(), position="2")
    add(patient_client, sharp_photo(), label="where", position="1")
    items = _chosen_items(patient_client.get(CHECK).page)
    assert "Photo 1: where the problem is on your body" in items[0]
    assert "looks blurry" not in items[0]
    assert "Photo 2: a close-up" in items[1] and "looks blurry" in items[1]


@pytest.mark.parametrize(
    "position",
    # str.isdigit() takes all three, and int() fails on them: each was a server error, and
    # the patient's photo was lost with it.
    ["²", "9" * 5000, "٣²"],
    ids=["superscript-two", "5000-digits", "arabic-indic-then-superscript"],
)
def test_a_place_in_the_list_that_makes_no_sense_puts_the_photo_last(patient_client, position):
    first = add(patient_client, jpeg(), position="1").json()["photo"]
    response = add(patient_client, sharp_photo(), position=position)
    assert response.status_code == 201
    assert response.json()["photo"]["number"] == 2
    assert [str(i) for i in Photo.objects.order_by("position").values_list("id", flat=True)] == [
        first["id"],
        response.json()["photo"]["id"],
    ]


@pytest.mark.parametrize(
    "label", ["²", "where\x00", "x" * 5000], ids=["superscript-two", "nul-byte", "5000-chars"]
)
def test_a_label_that_makes_no_sense_keeps_the_photo_as_a_close_up(patient_client, label):
    response = add(patient_client, sharp_photo(), label=label)
    assert response.status_code == 201
    assert Photo.objects.get().label == "close_up"

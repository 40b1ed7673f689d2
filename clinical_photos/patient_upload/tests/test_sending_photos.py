from datetime import date

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patient_upload import services
from clinical_photos.patient_upload.models import CONSENT_VERSION, PatientResponse
from clinical_photos.photo_requests.models import PhotoRequest
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos import storage
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg, png

from .conftest import client_for
from .factories import upload

PHOTOS = reverse("patient_upload:choose_photos")
CHECK = reverse("patient_upload:check")
DONE = reverse("patient_upload:sent")


def choose(client, *files, note="", labels=None):
    data = {"note": note}
    for number, content in enumerate(files, start=1):
        name, body = content if isinstance(content, tuple) else (f"photo{number}.jpg", content)
        data[f"photo_{number}"] = upload(name, body)
        data[f"label_{number}"] = (labels or {}).get(number, "close_up")
    return client.post(PHOTOS, data)


def test_the_agreement_says_what_the_patient_agrees_to(patient_client, practice, clinician):
    response = patient_client.get(reverse("patient_upload:agreement"))
    page = response.page
    content = page.text
    assert page.h1 == f"{practice.name} has asked you for photos"
    for words in [
        clinician.full_name,
        "We would like to see the rash",  # the template's words
        "Please show the back of your hand too.",  # the staff note
        "You do not have to send photos",
        "The surgery keeps them securely, as part of your care record",
        "Only the people caring for you can look at them",
        "Never send photos of intimate areas",
        "Never take or send intimate photos of anyone under 18",
        "call 111",
        "call 999",
        "I don't want to send photos",
    ]:
        assert words in content, words
    assert "Photos of a child" not in page.source
    assert "<p>" not in content  # the request's words are shown, not their markup


def test_a_child_s_request_says_who_should_take_the_photos(patient_client, patient):
    patient.date_of_birth = date.today().replace(year=date.today().year - 9)
    patient.save()
    content = patient_client.get(reverse("patient_upload:agreement")).page.text
    assert "Photos of a child" in content
    assert "A parent or carer should take the photos" in content
    assert "Never photograph a child's intimate areas" in content


def test_a_patient_can_choose_not_to_send_photos_and_the_practice_is_told(
    patient_client, photo_request, clinician
):
    page = patient_client.get(reverse("patient_upload:decline"))
    assert page.page.h1
    response = patient_client.post(
        reverse("patient_upload:decline"), {"reason": "I would rather come in."}
    )
    assert response["Location"] == DONE
    done = patient_client.get(DONE)
    assert done.page.h1
    assert "We told" in done.page.text
    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.DECLINED
    answer = photo_request.response
    assert answer.kind == PatientResponse.Kind.DECLINED
    assert b"come in" not in bytes(answer.text_encrypted)
    assert answer.text == "I would rather come in."
    from conftest import logged_in_client

    staff = logged_in_client(clinician).get(
        reverse("photo_requests:detail", args=[photo_request.id])
    )
    assert "Chose not to send photos" in staff.page.text
    assert "I would rather come in." in staff.page.text
    assert AuditEntry.objects.filter(action=Action.PHOTOS_DECLINED).count() == 1


def test_a_reason_that_is_too_long_is_refused(patient_client, photo_request):
    response = patient_client.post(reverse("patient_upload:decline"), {"reason": "x" * 601})
    assert "Your reason must be 600 characters or fewer" in response.page.text
    photo_request.refresh_from_db()
    assert photo_request.is_open


def test_five_photos_go_through_check_and_send(patient_client, photo_request, clinician):
    assert patient_client.get(reverse("patient_upload:tips")).page.h1
    assert patient_client.get(PHOTOS).page.h1
    response = choose(
        patient_client,
        jpeg(),
        jpeg(),
        ("hand.png", png()),
        jpeg(),
        jpeg(),
        note="It itches at night.",
        labels={1: "where"},
    )
    assert response["Location"] == CHECK
    page = patient_client.get(CHECK)
    assert page.page.h1
    assert "5 photos" in page.page.text
    assert "It itches at night." in page.page.text

    response = patient_client.post(CHECK, {"agree": "on"})
    assert response["Location"] == DONE
    done = patient_client.get(DONE)
    assert done.page.h1
    assert "We sent 5 photos" in done.page.text

    photo_request.refresh_from_db()
    assert photo_request.status == PhotoRequest.Status.ANSWERED
    answer = photo_request.response
    assert answer.consent_version == CONSENT_VERSION
    assert answer.text == "It itches at night."
    photos = list(answer.photos.order_by("position"))
    assert [p.label for p in photos] == ["where"] + ["close_up"] * 4
    for photo in photos:
        assert storage.read_photo(photo)[:2] in (b"\xff\xd8", b"\x89P")
    assert photo_request.current_link.used_at is not None
    assert AuditEntry.objects.filter(action=Action.PHOTOS_SENT).count() == 1


def test_a_sixth_photo_is_refused_and_the_five_are_kept(patient_client):
    choose(patient_client, jpeg(), jpeg(), jpeg(), jpeg(), jpeg())
    response = patient_client.get(PHOTOS)
    assert "the most you can send" in response.page.text
    assert Photo.objects.filter(response__isnull=True).count() == 5
    # A sixth posted anyway (an old page, a crafted post) is turned away.
    link = Photo.objects.first().link
    _, problems = services.add_photos(link, [(jpeg(), "six.jpg", "close_up")])
    assert "up to 5 photos" in problems[0].message
    assert Photo.objects.count() == 5


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rash.jpg", b"<html><script>alert(1)</script></html>"),
        ("rash.jpg", b""),
        ("rash.jpg", jpeg()[:200]),
        ("notes.pdf", b"%PDF-1.4 1 0 obj << >> endobj"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_the_good_ones_kept(
    patient_client, name, content
):
    response = choose(patient_client, jpeg(), (name, content), note="Keep this note")
    page = response.page
    assert page.title.startswith("Error: ")
    assert name in page.text
    assert Photo.objects.filter(response__isnull=True).count() == 1
    assert page.form(field="note").value("note") == "Keep this note"


def test_a_post_over_the_total_size_is_refused_before_reading_it(patient_client, settings):
    settings.PATIENT_UPLOAD_MAX_BYTES = 10_000
    response = choose(patient_client, jpeg(size=(1600, 1200)))
    assert "too much to send at once" in response.page.text
    assert not Photo.objects.exists()


def test_sending_needs_the_consent_tick(patient_client, photo_request):
    choose(patient_client, jpeg())
    response = patient_client.post(CHECK, {})
    # Post/redirect/get, so that going Back to the page never sends the form again.
    assert response.status_code == 302
    response = patient_client.get(response["Location"])
    page = response.page
    assert page.title.startswith("Error: ")
    assert "Tick the box to agree" in response.page.text
    photo_request.refresh_from_db()
    assert photo_request.is_open


def test_sending_twice_saves_one_answer(patient_client, photo_request):
    choose(patient_client, jpeg())
    patient_client.post(CHECK, {"agree": "on"})
    again = patient_client.post(CHECK, {"agree": "on"})
    assert again["Location"] == DONE  # the session's pages lead to the confirmation now
    assert PatientResponse.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.PHOTOS_SENT).count() == 1


def test_after_sending_the_link_says_it_was_used(patient_client, photo_request, token):
    choose(patient_client, jpeg())
    patient_client.post(CHECK, {"agree": "on"})
    response = PageClient().get(reverse("patient_upload:open_link", args=[token]))
    assert "This link has already been used" in response.page.text
    # The patient's own pages lead only to the confirmation now.
    assert patient_client.get(PHOTOS)["Location"] == DONE


def test_a_photo_can_be_removed_before_sending(patient_client):
    choose(patient_client, jpeg(), jpeg())
    photo = Photo.objects.order_by("position").first()
    response = patient_client.post(reverse("patient_upload:remove_photo", args=[photo.id]))
    assert response["Location"] == PHOTOS
    assert Photo.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.PHOTO_REMOVED).count() == 1


def test_another_links_photo_cannot_be_removed(patient_client, practice, clinician, patient):
    other_client = client_for(make_request(clinician, patient))
    choose(other_client, jpeg())
    photo = Photo.objects.get()
    patient_client.post(reverse("patient_upload:remove_photo", args=[photo.id]))
    assert Photo.objects.filter(id=photo.id).exists()


def test_staff_cancelling_ends_the_patient_s_session(patient_client, photo_request, clinician):
    from clinical_photos.photo_requests import services as request_services

    request_services.cancel_request(by=clinician, photo_request=photo_request)
    response = patient_client.get(PHOTOS)
    assert "This request has been cancelled" in response.page.text


def test_a_note_that_is_too_long_is_refused_and_the_photos_are_kept(patient_client):
    response = choose(patient_client, jpeg(), png(), note="x" * 601, labels={1: "where"})
    page = response.page
    assert page.error_summary() == {"#id_note": "Your note must be 600 characters or fewer"}
    # The photos are kept, as the page's script would have kept them, and shown as chosen.
    assert [p.label for p in Photo.objects.order_by("position")] == ["where", "close_up"]
    assert page.text_of(".app-chosen-photo__name") == [
        "Photo 1: where the problem is on your body",
        "Photo 2: a close-up",
    ]
    assert page.text_of(".app-photo-slot > legend")[0].startswith("Photo 3")
    assert page.form(field="note").value("note") == "x" * 601
    # Only the note is left to put right.
    response = patient_client.post(PHOTOS, {"note": "It itches."})
    assert response["Location"] == CHECK
    assert Photo.objects.filter(response__isnull=True).count() == 2


def test_each_refused_file_is_named_beside_its_own_photo_slot(patient_client):
    pdf = b"%PDF-1.4 1 0 obj << >> endobj"
    response = choose(
        patient_client,
        jpeg(),
        ("notes.pdf", pdf),
        ("empty.jpg", b""),
        labels={1: "where", 2: "where"},
    )
    page = response.page
    assert Photo.objects.count() == 1
    assert len(page.select(".app-chosen-photo")) == 1
    summary = page.error_summary()
    # The two slots after the photo kept, each to choose its photo again.
    assert list(summary) == ["#id_photo_1", "#id_photo_2"]
    for (target, message), name in zip(summary.items(), ["notes.pdf", "empty.jpg"], strict=True):
        assert message.startswith(f"{name} was not added. ")
        slot = page.select_one(f".app-photo-slot:has({target})")
        group = slot.select_one(".nhsuk-form-group--error")
        assert group.select_one(f"input{target}[type=file]")
        assert group.select_one(".nhsuk-error-message").get_text(" ", strip=True) == (
            f"Error: {message}"
        )
    # What the patient said each one shows is still said.
    assert page.form(field="label_1").checked("label_1") == ["where"]
    assert page.form(field="label_2").checked("label_2") == ["close_up"]


def test_a_photo_over_20_mb_is_refused_with_what_to_do(patient_client):
    too_big = jpeg() + b"\0" * (20 * 1024 * 1024)
    response = choose(patient_client, ("big.jpg", too_big), jpeg())
    body = response.page.text
    assert "big.jpg" in body and "20 MB" in body
    assert Photo.objects.filter(response__isnull=True).count() == 1


def test_the_note_can_be_changed_with_five_photos_chosen(patient_client):
    choose(patient_client, jpeg(), jpeg(), jpeg(), jpeg(), jpeg(), note="It itches.")
    check = patient_client.get(CHECK).page
    [change] = [link for link in check.links() if link.text == "Change your note"]
    path, _, target = change.href.partition("#")
    page = patient_client.get(path).page
    assert "the most you can send" in page.text
    # The link leads to the note's box, holding the note as it stands.
    assert target == "id_note" and page.select_one(f"#{target}").name == "textarea"
    assert page.form(field="note").value("note") == "It itches."
    response = patient_client.post(PHOTOS, {"note": "It itches at night."})
    assert response["Location"] == CHECK
    assert "It itches at night." in patient_client.get(CHECK).page.text
    assert Photo.objects.filter(response__isnull=True).count() == 5

"""What a newcomer sees after `make demo`: the seeded practice, page by page.

The demo app is installed only by the local settings, so the command is run from its class
rather than found by name. Seeding draws and stores a score of photos, so each test looks at
much of what one seeding made.
"""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clinical_photos.accounts.models import User
from clinical_photos.audit.models import AuditEntry
from clinical_photos.audit.services import verify_chain
from clinical_photos.core.jinja_helpers import date_long
from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.demo.management.commands.seed_demo import Command
from clinical_photos.messaging.models import TextMessage
from clinical_photos.messaging.text import link_expiry
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest
from clinical_photos.photos.models import Photo
from clinical_photos.records.models import Filing
from conftest import logged_in_client

pytestmark = pytest.mark.django_db

EVERYTHING_SEEDED = (
    Patient,
    User,
    PhotoRequest,
    PatientLink,
    TextMessage,
    PatientResponse,
    Photo,
    Filing,
    AuditEntry,
)


@pytest.fixture
def seeded(settings):
    # As the local settings: the seeded staff log in with their password alone.
    settings.SECOND_FACTOR_REQUIRED = False
    call_command(Command(), stdout=io.StringIO())


def as_staff(email: str) -> Client:
    return logged_in_client(User.objects.get(email=email))


def patient(given: str) -> Patient:
    return Patient.objects.get(given_name=given)


def test_the_clinician_sees_photos_over_time_and_compares_them(seeded):
    gp = as_staff("gp@riverside.demo")
    olivia = patient("Olivia")
    response = gp.get(reverse("record:timeline", args=[olivia.id]))
    check_page(response)
    page = response.content.decode()
    visits = PatientResponse.objects.filter(photo_request__patient=olivia).order_by("created_at")
    dates = [date_long(visit.created_at) for visit in visits]
    assert len(set(dates)) == 3
    # One group, oldest first, each visit a photo of where it is and a close-up.
    assert re.findall(r'<h2 id="group-\d+">([^<]+)</h2>', page) == ["Forearm"]
    shown = re.findall(r'<img class="app-timeline__image" src="[^"]+" alt="([^"]+)"', page)
    assert shown == [
        f"{kind} of the forearm, {day}"
        for day in dates
        for kind in ("Photo showing where it is", "Close-up")
    ]
    compare = re.search(r'href="([^"]*/compare/\?a=[^"]+)"', page).group(1).replace("&amp;", "&")
    response = gp.get(compare)
    check_page(response)
    # By default the first close-up beside the latest.
    compared = re.findall(
        r'<img class="app-compare__image[^"]*" src="[^"]+" alt="([^"]+)"', response.content.decode()
    )
    assert compared[:2] == [
        f"Earlier photo: Close-up of the forearm, {dates[0]}",
        f"Later photo: Close-up of the forearm, {dates[-1]}",
    ]
    preview = gp.get(reverse("record:photo_preview", args=[olivia.photos.first().id]))
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    # Two more patients' problems, each at one body site on two dates.
    for given, site in (("Mohammed", "Back"), ("Harry", "Lower leg")):
        photos = patient(given).photos.all()
        assert len({photo.body_site_code for photo in photos}) == 1
        assert photos.values("response").distinct().count() == 2
        page = gp.get(reverse("record:timeline", args=[patient(given).id])).content.decode()
        assert f">{site}</h2>" in page
    # The checks found nothing wrong with any photo in the record.
    assert not Photo.objects.filter(patient__isnull=False).exclude(problems=[]).exists()


def test_the_inbox_has_answers_to_file_one_declined_and_two_needing_attention(seeded):
    reception = as_staff("reception@riverside.demo")
    response = reception.get(reverse("inbox:list"))
    check_page(response)
    page = response.content.decode()
    assert page.count(", not filed") == 2
    assert "1 of 2 photos may be blurry" in page
    assert "Declined" in page
    assert "Link locked" in page and "Expired" in page
    assert "Not filed for" not in page  # nothing has waited too long
    waiting = PatientResponse.objects.get(
        photo_request__patient=patient("Amara"), filing__isnull=True
    )
    response = reception.get(reverse("filing:submission", args=[waiting.id]))
    check_page(response)
    assert "<img" not in response.content.decode()
    # The request waiting for photos: its text's link opens with the patient's date of birth.
    mei = patient("Mei")
    [text] = TextMessage.objects.filter(photo_request__patient=mei)
    link = urlsplit(re.search(r"https?://\S+", text.body).group()).path
    born = mei.date_of_birth
    response = Client().post(
        link,
        {
            "date_of_birth_0": str(born.day),
            "date_of_birth_1": str(born.month),
            "date_of_birth_2": str(born.year),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_upload:agreement")


def test_its_past_holds_together_and_a_second_run_adds_nothing(seeded, photo_storage):
    for photo_request in PhotoRequest.objects.exclude(response=None):
        answer = photo_request.response
        assert photo_request.created_at < answer.created_at == photo_request.answered_at
        for photo in answer.photos.all():
            assert photo_request.created_at < photo.created_at < answer.created_at
        if (filing := getattr(answer, "filing", None)) is not None:
            assert answer.created_at < filing.filed_at
    # Each text was sent when its request was made, and gives its link's end.
    for text in TextMessage.objects.select_related("photo_request"):
        link = text.photo_request.links.get()
        assert abs(text.created_at - text.photo_request.created_at) < timedelta(minutes=1)
        assert abs(link.created_at - text.photo_request.created_at) < timedelta(minutes=1)
        assert f"Use this link until {link_expiry(link.expires_at)}:" in text.body
    assert verify_chain() is None

    counts = {model: model.objects.count() for model in EVERYTHING_SEEDED}
    blobs = sorted(photo_storage.rglob("*"))
    call_command(Command(), stdout=io.StringIO())
    assert {model: model.objects.count() for model in EVERYTHING_SEEDED} == counts
    assert sorted(photo_storage.rglob("*")) == blobs


def test_the_clinician_has_photos_to_review_with_the_patients_worrying_note(seeded):
    from clinical_photos.records.models import Review

    gp = as_staff("gp@riverside.demo")
    waiting = Review.objects.get(reviewed_at=None)
    assert waiting.filing.patient == patient("Mohammed")

    listing = gp.get(reverse("review:list"))
    check_page(listing)
    assert "To review (1)" in listing.content.decode()
    screen = gp.get(reverse("review:detail", args=[waiting.id]))
    check_page(screen)
    text = screen.content.decode()
    assert "It is bigger now and it bled once last week." in text
    assert "Compare with the new photo" in text  # the mole's earlier photos
    # Every other filed submission was reviewed, the clinician named with the outcome.
    assert Review.objects.exclude(reviewed_at=None).count() == Filing.objects.count() - 1


def test_the_wound_has_a_follow_up_series_whose_photos_line_up(seeded):
    from clinical_photos.photo_requests.models import FollowUpSeries

    harry = patient("Harry")
    [series] = FollowUpSeries.objects.filter(patient=harry)
    sent, *to_come = series.follow_ups.order_by("number")
    assert sent.photo_request.status == PhotoRequest.Status.ANSWERED
    assert [f.photo_request for f in to_come] == [None, None]
    assert all(f.due_on > sent.due_on for f in to_come)

    gp = as_staff("gp@riverside.demo")
    timeline = gp.get(reverse("record:timeline", args=[harry.id])).content.decode()
    assert "(follow-up 1 of 3)" in timeline
    assert "Follow-up photos asked for, by Dr Aisha Okafor" in timeline
    assert (
        "every 2 weeks, 3 times"
        in gp.get(reverse("patients:detail", args=[harry.id])).content.decode()
    )

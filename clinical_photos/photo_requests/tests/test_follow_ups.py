"""Follow-up photos on a schedule: texts on their dates, stopped by staff or by the patient,
a missed one flagged, and the photos in line on the timeline."""

from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import PageClient
from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.patients.tests.factories import dob_form
from clinical_photos.photo_requests.follow_ups import services as follow_ups
from clinical_photos.photo_requests.models import FollowUpSeries, PhotoRequest
from clinical_photos.photo_requests.tests.factories import make_request, texts_for, token_of
from clinical_photos.records.filing.services import file_submission

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def at(year, month, day, hour=10, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def series(clinician, patient):
    """Every 2 weeks, 3 times, started on Tuesday 1 December 2026."""
    with time_machine.travel(at(2026, 12, 1), tick=False):
        first = make_request(clinician, patient)
        return follow_ups.start_series(by=clinician, follows=first, every=2, unit="weeks", times=3)


def requests_of(series) -> list[PhotoRequest]:
    return [f.photo_request for f in series.follow_ups.order_by("number") if f.photo_request]


def test_the_dates_fall_on_working_days():
    assert follow_ups.due_dates(date(2026, 12, 1), every=2, unit="weeks", times=3) == [
        date(2026, 12, 15),
        date(2026, 12, 29),  # the 28th is the Boxing Day bank holiday
        date(2027, 1, 12),
    ]
    # Every 3 days from a Wednesday: Saturday moves to Monday.
    assert follow_ups.due_dates(date(2026, 3, 4), every=3, unit="days", times=1) == [
        date(2026, 3, 9)
    ]


def test_each_text_goes_on_its_date_from_9am_and_only_once(series, patient):
    with time_machine.travel(at(2026, 12, 14, 23, 0), tick=False):
        assert follow_ups.send_due() == 0
    with time_machine.travel(at(2026, 12, 15, 8, 59), tick=False):
        assert follow_ups.send_due() == 0  # not in the night
    with time_machine.travel(at(2026, 12, 15, 9, 0), tick=False):
        assert follow_ups.send_due() == 1
        assert follow_ups.send_due() == 0

    [first] = requests_of(series)
    assert first.patient == patient and first.status == PhotoRequest.Status.OPEN
    assert first.body_site_codes == series.follows.body_site_codes
    [text] = texts_for(first)
    assert "/p/" in text.body
    # The patient is told why the surgery asks again.
    assert "send new photos of a health problem, to see how it has changed" in text.body
    entry = AuditEntry.objects.get(action=Action.FOLLOW_UP_SENT)
    assert entry.detail["number"] == 1


def test_a_worker_that_was_down_catches_up(series):
    with time_machine.travel(at(2027, 2, 1), tick=False):
        assert follow_ups.send_due() == 3
    assert len(requests_of(series)) == 3


def test_the_task_worker_sends_them_on_its_schedule(series, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    # The worker closes its database connection between tasks; here that connection holds
    # the test's own transaction, so it is kept open. Everything else is the real worker.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        call_command("schedule_housekeeping", stdout=StringIO())
        call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())

    assert len(requests_of(series)) == 1


def test_staff_can_stop_the_texts_not_yet_sent(series, clinician, admin_team_client):
    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        follow_ups.send_due()

    page = admin_team_client.post(
        reverse("follow_ups:stop", args=[series.id]), {"confirm": "yes"}, follow=True
    ).page

    assert "No more follow-up texts will be sent" in page.text
    assert "Not sent: the series was stopped" in page.text
    with time_machine.travel(at(2027, 2, 1), tick=False):
        assert follow_ups.send_due() == 0
    assert len(requests_of(series)) == 1  # the one already sent stays


def test_the_patient_can_say_they_no_longer_need_this(series, client):
    from clinical_photos.patient_upload import services as upload_services

    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        follow_ups.send_due()
    [first] = requests_of(series)
    link = first.current_link
    assert upload_services.is_follow_up(link)

    upload_services.decline(link, "It has gone", stop_follow_ups=True)

    series.refresh_from_db()
    assert series.is_stopped and series.stopped_by is None
    entry = AuditEntry.objects.get(action=Action.FOLLOW_UPS_STOPPED)
    assert entry.detail["by_patient"] is True and entry.detail["not_sent"] == 2


def patient_on_decline_page(photo_request):
    patient = PageClient()
    patient.post(reverse("patient_upload:open_link", args=[token_of(photo_request)]), dob_form())
    return patient, patient.get(reverse("patient_upload:decline")).page


def test_a_patient_stops_the_follow_ups_from_the_page_for_not_sending_photos(series):
    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        follow_ups.send_due()
    [first] = requests_of(series)

    patient, page = patient_on_decline_page(first)
    assert "Stop asking me for them" in page.text
    done = patient.post(
        reverse("patient_upload:decline"), {"stop_follow_ups": "on", "reason": ""}, follow=True
    )

    assert done.status_code == 200
    series.refresh_from_db()
    assert series.is_stopped and series.stopped_by is None


def test_a_request_that_is_not_a_follow_up_does_not_offer_to_stop_anything(clinician, patient):
    _, page = patient_on_decline_page(make_request(clinician, patient))
    assert "Stop asking me" not in page.text


def test_a_missed_one_is_flagged(series, clinician_client):
    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        follow_ups.send_due()
    [first] = requests_of(series)
    first.links.update(expires_at=timezone.now())  # the link ran out with no answer

    page = clinician_client.get(reverse("follow_ups:detail", args=[series.id])).page

    assert "Missed: no photos came before the link ran out" in page.text
    assert page.text.count("Not sent yet") == 2


def test_the_series_photos_line_up_on_the_timeline(series, clinician, patient, clinician_client):
    with time_machine.travel(at(2026, 12, 15, 9, 30), tick=False):
        follow_ups.send_due()
    [first] = requests_of(series)
    file_submission(by=clinician, response=send_photos(first, note="Smaller I think"))

    page = clinician_client.get(reverse("record:timeline", args=[patient.id])).page

    assert "(follow-up 1 of 3)" in page.text
    assert "Smaller I think" in page.text


def test_a_clinician_starts_a_series_from_a_request_and_sees_it_on_the_patients_page(
    clinician, patient, clinician_client
):
    first = make_request(clinician, patient)
    url = reverse("follow_ups:new", args=[first.id])

    assert clinician_client.get(url).page.h1 == "Ask for follow-up photos"
    errors = clinician_client.post(url, {"every": "", "unit": "weeks", "times": "0"})
    assert set(errors.page.error_summary()) == {"#id_every", "#id_times"}
    assert not FollowUpSeries.objects.exists()

    page = clinician_client.post(
        url, {"every": "1", "unit": "days", "times": "2"}, follow=True
    ).page
    assert "will be asked for follow-up photos every day, 2 times" in page.text
    patient_page = clinician_client.get(reverse("patients:detail", args=[patient.id])).page
    assert "Follow-up photos" in patient_page.text
    assert "every day, 2 times" in patient_page.text


def test_the_admin_team_cannot_start_a_series(clinician, patient, admin_team_client):
    first = make_request(clinician, patient)
    assert admin_team_client.get(reverse("follow_ups:new", args=[first.id])).status_code == 403

"""Clinical review: every filed submission reaches a clinician, who sees the patient's words
beside the photos and records what happens next."""

from datetime import datetime
from itertools import pairwise

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import UserFactory
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.photo_requests.models import FollowUpSeries, PhotoRequest
from clinical_photos.records.review import services
from clinical_photos.records.review.models import Outcome, Review
from clinical_photos.records.tests.factories import file_photos, on, submission_to_review

NOTE = "It is bigger now and bled once"


def review_url(review) -> str:
    return reverse("review:detail", kwargs={"review_id": review.id})


def audited(action, review) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_id=str(review.id)))


@pytest.fixture
def colleague(practice):
    return UserFactory(practice=practice, role=Role.CLINICIAN, email="nurse@riverside.test")


# Where a filed submission goes


def test_filing_puts_a_clinicians_photos_in_their_own_review_list(
    clinician, admin_user, patient, clinician_client
):
    mail.outbox.clear()
    review = submission_to_review(asked_by=clinician, filed_by=admin_user, patient=patient)

    assert review.assigned_to == clinician
    assert not review.is_done
    page = clinician_client.get(reverse("review:list")).page
    assert "To review (1)" in page.text  # the header
    assert patient.full_name in page.text
    # The clinician who asked is emailed, with nothing about the patient in it.
    [email] = [m for m in mail.outbox if m.subject == "Photos are ready for you to review"]
    assert email.to == [clinician.email]
    assert review_url(review) in email.body
    assert patient.full_name not in email.body and patient.nhs_number not in email.body


def test_photos_the_admin_team_asked_for_wait_in_the_practice_queue_for_any_clinician(
    admin_user, clinician, colleague, patient, practice
):
    review = submission_to_review(asked_by=admin_user, patient=patient)

    assert review.assigned_to is None
    assert services.count_to_review(clinician) == 1
    assert services.count_to_review(colleague) == 1

    services.assign(by=colleague, review=review, to=colleague)  # "Take this review"

    assert services.count_to_review(clinician) == 0
    assert services.count_to_review(colleague) == 1
    assert len(audited(Action.REVIEW_ASSIGNED, review)) == 1


def test_a_review_can_be_passed_to_a_colleague_who_is_emailed(clinician, colleague, patient):
    review = submission_to_review(asked_by=clinician, patient=patient)
    mail.outbox.clear()

    services.assign(by=clinician, review=review, to=colleague)

    review.refresh_from_db()
    assert review.assigned_to == colleague
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_reviews_go_only_to_the_practices_clinicians(clinician, admin_user, patient):
    review = submission_to_review(asked_by=clinician, patient=patient)
    with pytest.raises(Exception, match="clinicians"):
        services.assign(by=clinician, review=review, to=admin_user)


# The review screen


def test_the_review_screen_shows_the_patients_note_beside_the_photos(
    clinician, patient, clinician_client
):
    earlier = file_photos(by=clinician, patient=patient, sent_on=on(2026, 9, 1))
    review = submission_to_review(asked_by=clinician, patient=patient, note=NOTE)

    page = clinician_client.get(review_url(review)).page

    assert page.h1 == f"Review photos of {patient.full_name}"
    assert NOTE in page.select_one(".app-patient-note").get_text()
    # The photos, each opening full size; the earlier photos of the site, to compare.
    photo_pages = {a["href"] for a in page.select("a") if a["href"].startswith("/record/photos/")}
    new_photos = review.filing.response.photos.all()
    assert {f"/record/photos/{p.id}/" for p in list(new_photos) + earlier} <= photo_pages
    previews = [img["src"] for img in page.select("img")]
    assert len(previews) == 4
    assert "Compare with the new photo" in page.text
    # What was asked and why.
    assert "Rash" in page.text
    assert review.filing.response.photo_request.reason in page.text
    assert len(audited(Action.REVIEW_VIEWED, review)) == 1


def test_the_automatic_quality_advice_is_on_the_review_screen(clinician, patient, clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)
    photo = review.filing.response.photos.first()
    photo.problems = ["blurry"]
    photo.save(update_fields=["problems"])

    assert "Automatic check: may be blurry" in clinician_client.get(review_url(review)).page.text


# Outcomes


def record(client, review, **fields):
    return client.post(review_url(review), fields, follow=True)


@pytest.mark.parametrize(
    "outcome", [Outcome.NO_ACTION, Outcome.CONTACT_PATIENT, Outcome.SEEN_URGENTLY]
)
def test_an_outcome_is_recorded_with_who_gave_it(outcome, clinician, patient, clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)

    page = record(clinician_client, review, outcome=outcome, note="Discussed with Dr B").page

    review.refresh_from_db()
    assert (review.outcome, review.reviewed_by) == (outcome, clinician)
    assert review.outcome_note == "Discussed with Dr B"
    assert f"Review recorded for {patient.full_name}" in page.text
    assert outcome.label in page.text
    [entry] = audited(Action.REVIEW_RECORDED, review)
    assert entry.detail["outcome"] == outcome
    # Done: it leaves the list, and the header's count.
    assert services.count_to_review(clinician) == 0
    timeline = clinician_client.get(reverse("record:timeline", args=[patient.id])).page
    assert f"{outcome.label}, by {clinician.full_name}" in timeline.text


def test_asking_for_better_photos_texts_the_patient_now_with_the_clinicians_words(
    clinician, patient, clinician_client
):
    review = submission_to_review(asked_by=clinician, patient=patient)

    record(
        clinician_client,
        review,
        outcome=Outcome.BETTER_PHOTOS,
        better_photos_reason="Hold the phone further away, in daylight",
    )

    review.refresh_from_db()
    new = review.new_request
    assert new.status == PhotoRequest.Status.OPEN
    assert new.note_to_patient == "Hold the phone further away, in daylight"
    assert new.body_site_codes == review.filing.response.photo_request.body_site_codes
    assert TextMessage.objects.filter(photo_request=new).count() == 1


def test_asking_for_follow_up_photos_starts_a_series(clinician, patient, clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)

    page = record(
        clinician_client, review, outcome=Outcome.FOLLOW_UP, every=2, unit="weeks", times=3
    ).page

    review.refresh_from_db()
    series = review.follow_up_series
    assert (series.every, series.unit, series.times, series.patient) == (2, "weeks", 3, patient)
    # Each due about two weeks after the one before (later where a bank holiday is in the way).
    due = [f.due_on for f in series.follow_ups.all()]
    assert len(due) == 3
    assert all(14 <= (b - a).days <= 17 for a, b in pairwise(due))
    assert "See the follow-up photos asked for" in page.text
    # Nothing is texted until the first date.
    assert not series.follow_ups.exclude(photo_request=None).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({}, "outcome", "Choose what happens next"),
        ({"outcome": "maybe"}, "outcome", "Choose what happens next"),
        ({"outcome": "follow_up", "unit": "weeks", "times": "3"}, "every", "how often"),
        (
            {"outcome": "follow_up", "every": "2", "unit": "weeks", "times": "40"},
            "times",
            "1 to 12",
        ),
        ({"outcome": "follow_up", "every": "400", "unit": "days", "times": "2"}, "every", "365"),
        ({"outcome": "better_photos"}, "better_photos_reason", "what the patient should do"),
        ({"outcome": "no_action", "note": "x" * 1001}, "note", "1000 characters"),
    ],
)
def test_an_outcome_that_is_not_complete_says_what_to_do_and_records_nothing(
    fields, field, message, clinician, patient, clinician_client
):
    review = submission_to_review(asked_by=clinician, patient=patient)

    response = clinician_client.post(review_url(review), fields)

    assert response.status_code == 200
    assert response.page.title.startswith("Error: ")
    assert message.lower() in " ".join(response.page.error_summary().values()).lower()
    review.refresh_from_db()
    assert not review.is_done
    assert not FollowUpSeries.objects.exists()


def test_a_review_is_recorded_once(clinician, colleague, patient, clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)
    services.record_outcome(by=colleague, review=review, outcome=Outcome.NO_ACTION)

    page = record(clinician_client, review, outcome=Outcome.SEEN_URGENTLY).page

    review.refresh_from_db()
    assert (review.outcome, review.reviewed_by) == (Outcome.NO_ACTION, colleague)
    assert f"Reviewed, no action needed, by {colleague.full_name}" in page.text
    with pytest.raises(services.AlreadyReviewed):
        services.record_outcome(by=clinician, review=review, outcome=Outcome.SEEN_URGENTLY)


# Not reviewed in time


def test_a_review_not_done_in_the_practices_time_is_flagged_once_to_the_manager(
    clinician, manager, patient, practice, manager_client
):
    with time_machine.travel(on(2026, 11, 27), tick=False):  # a Friday
        review = submission_to_review(asked_by=clinician, patient=patient)
    assert timezone.localtime(review.due_at).date().isoformat() == "2026-12-01"  # Monday's end
    mail.outbox.clear()

    with time_machine.travel(on(2026, 11, 30), tick=False):
        assert services.flag_overdue() == 0
    with time_machine.travel(timezone.make_aware(datetime(2026, 12, 1, 0, 5)), tick=False):
        assert services.flag_overdue() == 1
        assert services.flag_overdue() == 0  # once
        page = manager_client.get(reverse("review:list")).page

    [email] = mail.outbox
    assert email.to == [manager.email]
    # A manager cannot see photos: the email leads to the page that gives the review to someone.
    assert reverse("review:assign", args=[review.id]) in email.body
    assert "Reviews (1 overdue)" in page.text
    assert "Overdue" in page.text
    assert len(audited(Action.REVIEW_OVERDUE, review)) == 1


def test_an_overdue_review_of_a_colleague_shows_in_the_practice_queue(
    clinician, colleague, patient
):
    review = submission_to_review(asked_by=clinician, patient=patient)
    Review.objects.filter(pk=review.pk).update(due_at=timezone.now())

    queues = services.queues(colleague)

    assert [r.id for r in queues.practice] == [review.id]


def test_the_practice_sets_how_many_working_days_reviews_take(
    clinician, manager, patient, practice, manager_client
):
    response = manager_client.post(reverse("practice:review_time"), {"review_within_days": "3"})
    assert response.status_code == 302
    with time_machine.travel(on(2026, 11, 27), tick=False):
        review = submission_to_review(asked_by=clinician, patient=patient)

    assert timezone.localtime(review.due_at).date().isoformat() == "2026-12-03"


# Who may


def test_the_admin_team_cannot_review(admin_user, clinician, patient, admin_team_client):
    review = submission_to_review(asked_by=clinician, patient=patient)

    assert admin_team_client.get(review_url(review)).status_code == 403
    assert admin_team_client.get(reverse("review:list")).status_code == 403


def test_a_practice_manager_sees_the_list_in_words_and_can_move_a_review(
    clinician, colleague, patient, manager_client
):
    review = submission_to_review(asked_by=clinician, patient=patient)

    page = manager_client.get(reverse("review:list")).page
    assert not page.select("img")
    assert manager_client.get(review_url(review)).status_code == 403

    manager_client.post(
        reverse("review:assign", args=[review.id]), {"to": str(colleague.id)}, follow=True
    )
    review.refresh_from_db()
    assert review.assigned_to == colleague


def test_another_practices_review_is_not_found(clinician, patient, other_clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)
    for name in ("review:detail", "review:assign"):
        assert other_clinician_client.get(reverse(name, args=[review.id])).status_code == 404


def test_the_subject_access_export_names_the_outcome_and_who_gave_it(clinician, patient):
    from clinical_photos.records.subject_access.services import _filed_photos, _request_facts

    review = submission_to_review(asked_by=clinician, patient=patient)
    services.record_outcome(by=clinician, review=review, outcome=Outcome.CONTACT_PATIENT)

    facts = _request_facts(_filed_photos(patient)[0])

    assert facts["review"]["outcome_words"] == "Will contact the patient"
    assert facts["review"]["reviewed_by"]["name"] == clinician.full_name


def test_photos_filed_into_another_patients_record_are_followed_up_with_that_patient(
    clinician, patient, practice
):
    from clinical_photos.patients.tests.factories import PatientFactory

    review = submission_to_review(asked_by=clinician, patient=patient)
    other = PatientFactory(practice=practice)
    type(review.filing).objects.filter(pk=review.filing_id).update(patient=other)
    review.refresh_from_db()

    services.record_outcome(
        by=clinician,
        review=review,
        outcome=Outcome.FOLLOW_UP,
        follow_up=services.FollowUpPlan(every=1, unit="weeks", times=1),
    )

    review.refresh_from_db()
    assert review.follow_up_series.patient == other


def test_the_request_page_says_where_the_review_stands(clinician, patient, clinician_client):
    review = submission_to_review(asked_by=clinician, patient=patient)
    url = reverse("photo_requests:detail", args=[review.filing.response.photo_request_id])

    waiting = clinician_client.get(url).page
    assert f"Waiting for review by {clinician.full_name}" in waiting.text
    assert review_url(review) in waiting.hrefs()

    services.record_outcome(by=clinician, review=review, outcome=Outcome.SEEN_URGENTLY)
    assert (
        f"Patient to be seen urgently, by {clinician.full_name}"
        in clinician_client.get(url).page.text
    )

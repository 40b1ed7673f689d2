"""The clinical loop: the admin team files a patient's photos, they reach the clinician who
asked in "To review", the clinician sees the patient's words beside the photos and records an
outcome: each kind of outcome in turn, and a follow-up series whose first text the worker
sends on its date (the clock moved forward) and whose photos then line up on the timeline.
axe-core checks every step, on a small phone with and without JavaScript and on a desktop."""

import re
from datetime import datetime, time

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload.tests.factories import send_photos
from clinical_photos.photo_requests.models import FollowUpSeries, PhotoRequest
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.photos.tests.images import jpeg
from clinical_photos.records.filing.services import file_submission
from clinical_photos.records.review.models import Outcome, Review
from clinical_photos.records.review.tasks import run_clinical_loop
from clinical_photos.records.tests.factories import submission_to_review

from .conftest import check_accessibility, login_as

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "It is bigger now and bled once"


def open_from_header(page, words: str):
    # On a small phone the header may fold its links into a menu; follow the link's address.
    link = page.locator("header a[href='/review/']")
    expect(link).to_contain_text(words)
    page.goto(link.get_attribute("href"))


def given_the_admin_has_filed_the_photos(page, admin_user, patient):
    login_as(page, admin_user)
    page.goto("/inbox/")
    page.get_by_role("link", name=f"File the photos from {patient.full_name}").click()
    page.get_by_role("button", name=f"File into {patient.full_name}'s record").click()
    expect(page.get_by_text(f"2 photos filed into {patient.full_name}'s record")).to_be_visible()


def when_the_clinician_opens_to_review(page, clinician, patient):
    login_as(page, clinician)
    page.goto("/")
    open_from_header(page, "To review (1)")
    expect(page.get_by_role("heading", name="To review", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Assigned to you"))).to_contain_text(
        patient.full_name
    )
    check_accessibility(page, "review-01-list")
    page.get_by_role("link", name=f"Review photos of {patient.full_name}").first.click()
    expect(
        page.get_by_role("heading", name=f"Review photos of {patient.full_name}")
    ).to_be_visible()


def then_the_note_is_beside_the_photos(page, patient):
    expect(page.get_by_role("heading", name=f"What {patient.given_name} wrote")).to_be_visible()
    expect(page.locator(".app-patient-note")).to_have_text(NOTE)
    previews = page.locator("img.app-timeline__image")
    expect(previews).to_have_count(2)
    for preview in previews.all():
        # Drawn, not a broken image.
        expect(preview).to_have_js_property("complete", True)
        assert preview.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_role("link", name=re.compile("Open full size")).first).to_be_visible()
    check_accessibility(page, "review-02-screen")


def when_i_choose(page, outcome: Outcome):
    page.get_by_role("radio", name=re.compile(f"^{re.escape(outcome.label)}")).check()


def then_the_outcome_is_recorded(page, patient, outcome: Outcome):
    expect(page.get_by_text(f"Review recorded for {patient.full_name}")).to_be_visible()
    expect(page.get_by_text(re.compile(f"{re.escape(outcome.label)}, by "))).to_be_visible()


@pytest.mark.screens("phone", "phone-without-javascript", "desktop")
def test_a_clinician_reviews_and_asks_for_follow_up_photos_that_come_on_their_dates(
    page, other_page, admin_user, clinician, patient
):
    photo_request = make_request(clinician, patient)
    send_photos(
        photo_request,
        note=NOTE,
        photos=[jpeg(size=(800, 600), colour=(200, 90, 80), striped=True)] * 2,
    )
    given_the_admin_has_filed_the_photos(other_page, admin_user, patient)

    when_the_clinician_opens_to_review(page, clinician, patient)
    then_the_note_is_beside_the_photos(page, patient)

    when_i_choose(page, Outcome.FOLLOW_UP)
    page.get_by_label("Ask every").fill("2")
    page.get_by_role("radio", name="weeks").check()
    page.get_by_label("How many times").fill("3")
    check_accessibility(page, "review-03-follow-up-chosen")
    page.get_by_role("button", name="Record the outcome").click()
    then_the_outcome_is_recorded(page, patient, Outcome.FOLLOW_UP)
    check_accessibility(page, "review-04-recorded")
    page.get_by_role("link", name="See the follow-up photos asked for").click()
    expect(page.get_by_role("heading", name=re.compile("Follow-up photos for"))).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Not sent yet")
    check_accessibility(page, "review-05-series")

    series = FollowUpSeries.objects.get()
    first = series.follow_ups.get(number=1)
    assert TextMessage.objects.filter(photo_request__follow_up__isnull=False).count() == 0
    # The clock moves to 10am on the first date; the worker's clock task runs.
    ten_am = timezone.make_aware(datetime.combine(first.due_on, time(10)))
    with time_machine.travel(ten_am, tick=True):
        run_clinical_loop.enqueue()
        first.refresh_from_db()
        follow_up_request = first.photo_request
        assert follow_up_request.status == PhotoRequest.Status.OPEN
        assert TextMessage.objects.filter(photo_request=follow_up_request).count() == 1
        # The patient answers; the admin files; the photos line up on the timeline.
        send_photos(follow_up_request, note="Smaller now, I think")
        file_submission(by=admin_user, response=follow_up_request.response)
        login_as(page, clinician)
        page.goto(f"/record/patients/{patient.id}/")
        visits = page.locator(".app-timeline__visit")
        expect(visits).to_have_count(2)
        expect(visits.nth(1)).to_contain_text("(follow-up 1 of 3)")
        expect(visits.nth(1)).to_contain_text("Smaller now, I think")
        expect(visits.nth(0)).to_contain_text(NOTE)
        expect(visits.nth(0)).to_contain_text("Follow-up photos asked for, by")
        check_accessibility(page, "review-06-timeline-with-follow-up")


@pytest.mark.screens("desktop", "phone-without-javascript")
def test_each_kind_of_outcome_is_recorded(page, admin_user, clinician, patient):
    outcomes = [Outcome.NO_ACTION, Outcome.CONTACT_PATIENT, Outcome.SEEN_URGENTLY]
    reviews = {
        outcome: submission_to_review(asked_by=clinician, filed_by=admin_user, patient=patient)
        for outcome in [*outcomes, Outcome.BETTER_PHOTOS]
    }
    login_as(page, clinician)
    page.goto("/review/")
    expect(page.locator("header a[href='/review/']")).to_contain_text("To review (4)")

    for outcome in outcomes:
        page.goto(f"/review/{reviews[outcome].id}/")
        when_i_choose(page, outcome)
        page.get_by_label("Note for colleagues (optional)").fill(f"About {outcome.label}")
        page.get_by_role("button", name="Record the outcome").click()
        then_the_outcome_is_recorded(page, patient, outcome)

    # Better photos: without words for the patient, the page says what to do.
    page.goto(f"/review/{reviews[Outcome.BETTER_PHOTOS].id}/")
    when_i_choose(page, Outcome.BETTER_PHOTOS)
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what the patient should do")
    check_accessibility(page, "review-07-better-photos-error")
    page.get_by_label("What should the patient do differently?").fill(
        "Stand by a window in daylight, and hold the phone a bit further away"
    )
    page.get_by_role("button", name="Record the outcome").click()
    then_the_outcome_is_recorded(page, patient, Outcome.BETTER_PHOTOS)
    page.get_by_role("link", name="See the request for better photos").click()
    expect(page.get_by_text("Stand by a window in daylight")).to_be_visible()

    expect(page.locator("header a[href='/review/']")).to_have_text(re.compile(r"^\s*To review\s*$"))
    assert set(Review.objects.values_list("outcome", flat=True)) == set(Outcome) - {
        Outcome.FOLLOW_UP
    }

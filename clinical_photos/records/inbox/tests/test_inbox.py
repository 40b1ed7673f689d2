"""The practice inbox: what it lists, in what order, its filters, its counts and its cost."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload.models import PatientResponse
from clinical_photos.patient_upload.tests.factories import decline, send_photos
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.models import PatientLink
from clinical_photos.photo_requests.tests.factories import make_request
from clinical_photos.records.filing import services as filing_services
from clinical_photos.records.inbox import presenters
from clinical_photos.records.inbox import services as inbox_services
from clinical_photos.records.inbox.context_processors import InboxCounts, inbox
from clinical_photos.records.inbox.services import InboxFilter, Show

pytestmark = pytest.mark.django_db

INBOX = reverse("inbox:list")
ROW = re.compile(r"/requests/([0-9a-f-]{36})/")


def listed(response) -> list[str]:
    """The requests a page lists, in order (each row links to its request once)."""
    return [found[1] for href in response.page.hrefs("main") if (found := ROW.fullmatch(href))]


def answered_at(response: PatientResponse, when: datetime) -> PatientResponse:
    PatientResponse.objects.filter(pk=response.pk).update(created_at=when)
    response.refresh_from_db()
    return response


def lock_link(photo_request):
    PatientLink.objects.filter(photo_request=photo_request).update(locked_at=timezone.now())


def expire_link(photo_request):
    PatientLink.objects.filter(photo_request=photo_request).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def fail_text(photo_request):
    TextMessage.objects.filter(photo_request=photo_request).update(status=TextMessage.Status.FAILED)


@pytest.fixture
def every_kind(clinician, admin_user, patient):
    """One request of each kind the inbox knows, and two it leaves out."""
    made = {
        "photos": make_request(clinician, patient),
        "declined": make_request(admin_user, patient),
        "locked": make_request(clinician, patient),
        "not_delivered": make_request(clinician, patient),
        "expired": make_request(clinician, patient),
        "waiting": make_request(clinician, patient),
        "cancelled": make_request(clinician, patient),
    }
    send_photos(made["photos"])
    decline(made["declined"])
    lock_link(made["locked"])
    fail_text(made["not_delivered"])
    expire_link(made["expired"])
    request_services.cancel_request(by=clinician, photo_request=made["cancelled"])
    return made


# What it lists


def test_an_empty_inbox_says_so(clinician_client):
    response = clinician_client.get(INBOX)
    assert response.page.h1 == "Inbox"
    assert "The inbox is empty." in response.page.text


def test_it_lists_answers_and_requests_needing_attention_with_their_status(
    clinician_client, every_kind
):
    response = clinician_client.get(INBOX)

    assert response.page.h1
    ids = set(listed(response))
    shown = {"photos", "declined", "locked", "not_delivered", "expired"}
    assert ids == {str(every_kind[kind].id) for kind in shown}
    text = response.page.text
    for words in (
        "2 photos, not filed",
        "Declined",
        "Link locked",
        "Text not delivered",
        "Expired",
    ):
        assert words in text
    assert "Ada Lovelace (943 476 5919)" in text
    assert "Rash" in text


def test_each_row_says_who_asked_and_when_it_was_answered(clinician_client, admin_user, patient):
    answer = decline(make_request(admin_user, patient))
    answered_at(answer, timezone.make_aware(datetime(2026, 3, 2, 10, 5)))

    text = clinician_client.get(INBOX).page.text

    assert admin_user.full_name in text
    assert "Answered 2 March 2026 at 10:05am" in text


def test_only_the_practices_own_requests_are_listed(
    clinician_client, other_clinician_client, clinician, other_clinician, patient, other_practice
):
    ours = send_photos(make_request(clinician, patient)).photo_request
    theirs_patient = PatientFactory(practice=other_practice, given_name="Zara")
    theirs = send_photos(make_request(other_clinician, theirs_patient)).photo_request

    assert listed(clinician_client.get(INBOX)) == [str(ours.id)]
    other = other_clinician_client.get(INBOX)
    assert listed(other) == [str(theirs.id)]
    assert "Ada" not in other.page.source


@pytest.mark.parametrize("who", ["clinician_client", "admin_team_client", "manager_client"])
def test_every_role_of_the_practice_may_view_it(request, who, every_kind):
    response = request.getfixturevalue(who).get(INBOX)
    assert response.page.h1
    assert len(listed(response)) == 5


def test_a_practice_manager_is_not_offered_filing(manager_client, admin_team_client, every_kind):
    answer = every_kind["photos"].response
    file_url = reverse("filing:submission", kwargs={"response_id": answer.id})
    assert file_url not in manager_client.get(INBOX).page.source
    assert file_url in admin_team_client.get(INBOX).page.hrefs("main")


def test_viewing_it_writes_one_audit_entry(clinician_client, clinician, every_kind):
    before = AuditEntry.objects.count()
    clinician_client.get(INBOX, {"show": "unfiled"})

    [entry] = AuditEntry.objects.order_by("sequence")[before:]
    assert entry.action == Action.INBOX_VIEWED
    assert entry.user == clinician
    assert entry.detail == {"show": "unfiled", "mine": False, "page": 1, "rows": 1}


def test_newest_answer_first_then_pages_of_25(clinician_client, clinician, patient):
    start = timezone.now() - timedelta(days=40)
    made = []
    for day in range(30):
        answer = decline(make_request(clinician, patient))
        # Answered in the opposite order to asking, so the order shown is by the answer.
        answered_at(answer, start + timedelta(days=30 - day))
        made.append(str(answer.photo_request_id))

    first = clinician_client.get(INBOX)
    second = clinician_client.get(INBOX, {"page": 2})

    assert first.page.h1
    assert second.page.h1
    assert listed(first) == made[:25]
    assert listed(second) == made[25:]
    assert "?page=2" in first.page.hrefs("main")


def test_the_page_links_keep_the_filters(clinician_client, clinician, patient):
    for _ in range(26):
        decline(make_request(clinician, patient))

    page = clinician_client.get(INBOX, {"show": "declined", "mine": "on"}).page

    assert "?show=declined&mine=on&page=2" in page.hrefs("main")


# Filters


def test_the_unfiled_filter(clinician_client, admin_user, every_kind):
    response = clinician_client.get(INBOX, {"show": "unfiled"})
    assert response.page.h1
    assert listed(response) == [str(every_kind["photos"].id)]

    filing_services.file_submission(by=admin_user, response=every_kind["photos"].response)

    response = clinician_client.get(INBOX, {"show": "unfiled"})
    assert listed(response) == []
    assert "Nothing matches these filters." in response.page.text
    # Still in the inbox as a whole, now filed.
    assert "2 photos, filed" in clinician_client.get(INBOX).page.text


def test_the_declined_filter(clinician_client, every_kind):
    response = clinician_client.get(INBOX, {"show": "declined"})
    assert listed(response) == [str(every_kind["declined"].id)]


def test_the_needs_attention_filter(clinician_client, every_kind):
    response = clinician_client.get(INBOX, {"show": "attention"})
    assert set(listed(response)) == {
        str(every_kind[kind].id) for kind in ("locked", "not_delivered", "expired")
    }


def test_sending_again_or_cancelling_clears_attention(clinician_client, clinician, every_kind):
    request_services.resend_request(by=clinician, photo_request=every_kind["locked"])
    request_services.resend_request(by=clinician, photo_request=every_kind["not_delivered"])
    request_services.cancel_request(by=clinician, photo_request=every_kind["expired"])

    assert listed(clinician_client.get(INBOX, {"show": "attention"})) == []


def test_the_mine_filter(admin_team_client, every_kind):
    response = admin_team_client.get(INBOX, {"mine": "on"})
    assert response.page.h1
    assert listed(response) == [str(every_kind["declined"].id)]


def day(name: str, day: int, month: int, year: int = 2026) -> dict:
    """A date typed into the NHS date input's day, month and year boxes."""
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def test_the_dates_are_typed_as_day_month_and_year(clinician_client):
    page = clinician_client.get(INBOX, day("date_from", 27, 3)).page

    # The NHS date input, not the browser's own picker (which reads mm/dd/yyyy in some places).
    assert page.select("input[type=date]") == []
    for name, legend in (("date_from", "From"), ("date_to", "To")):
        boxes = page.select(f"input[name^={name}_]")
        assert [box["name"] for box in boxes] == [f"{name}_0", f"{name}_1", f"{name}_2"]
        assert all(box["inputmode"] == "numeric" for box in boxes)
        assert boxes[0].find_parent("fieldset").legend.get_text(strip=True) == legend
    form = page.form(field="date_from_0")
    assert [form.value(f"date_from_{n}") for n in range(3)] == ["27", "3", "2026"]


def test_a_link_from_before_the_date_boxes_still_filters(clinician_client, clinician, patient):
    answer = decline(make_request(clinician, patient))
    answered_at(answer, timezone.make_aware(datetime(2026, 3, 2, 12, 0)))

    response = clinician_client.get(INBOX, {"date_from": "2026-03-02", "date_to": "2026-03-02"})

    assert listed(response) == [str(answer.photo_request_id)]
    # The boxes show the dates the link asked for.
    form = response.page.form(field="date_from_0")
    assert [form.value(f"date_to_{n}") for n in range(3)] == ["2", "3", "2026"]
    assert listed(clinician_client.get(INBOX, {"date_from": "2026-03-03"})) == []


def test_the_date_filter_on_the_answer_date(clinician_client, clinician, patient):
    early = decline(make_request(clinician, patient))
    late = decline(make_request(clinician, patient))
    answered_at(early, timezone.make_aware(datetime(2026, 3, 2, 23, 30)))
    answered_at(late, timezone.make_aware(datetime(2026, 3, 3, 0, 30)))

    on_the_2nd = clinician_client.get(INBOX, {**day("date_from", 2, 3), **day("date_to", 2, 3)})
    from_the_3rd = clinician_client.get(INBOX, day("date_from", 3, 3))

    assert on_the_2nd.page.h1
    assert listed(on_the_2nd) == [str(early.photo_request_id)]
    assert listed(from_the_3rd) == [str(late.photo_request_id)]


def test_the_date_filter_uses_the_request_date_with_no_answer(clinician_client, clinician, patient):
    photo_request = make_request(clinician, patient)
    lock_link(photo_request)
    today = timezone.localdate()

    from_today = day("date_from", today.day, today.month, today.year)
    assert listed(clinician_client.get(INBOX, from_today)) == [str(photo_request.id)]
    tomorrow = today + timedelta(days=1)
    from_tomorrow = day("date_from", tomorrow.day, tomorrow.month, tomorrow.year)
    assert listed(clinician_client.get(INBOX, from_tomorrow)) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (day("date_from", 31, 2), "From must be a real date"),
        ({"date_to_0": "soon", "date_to_1": "3", "date_to_2": "2026"}, "To must be a real date"),
        ({"date_from_0": "5", "date_from_2": "2026"}, "From must include a month"),
        ({"date_to_1": "3"}, "To must include a day and a year"),
        (
            {**day("date_from", 5, 3), "date_from_2": "26"},
            "From must have a 4-number year, like 2026",
        ),
        (
            {**day("date_from", 5, 3), **day("date_to", 1, 3)},
            "To must be the same as or after From",
        ),
        ({"date_to": "soon"}, "To must be a real date"),
        ({"show": "everything-please"}, "Choose what to show"),
    ],
)
def test_bad_filters_are_explained_not_a_500(clinician_client, every_kind, query, message):
    response = clinician_client.get(INBOX, query)

    assert response.status_code == 200
    page = response.page
    assert page.title.startswith("Error: ")
    assert message in response.page.text
    # The rest of the inbox is still there.
    assert listed(response)


def test_a_page_past_the_end_shows_the_last_page(clinician_client, every_kind):
    response = clinician_client.get(INBOX, {"page": "99"})
    assert response.status_code == 200
    assert len(listed(response)) == 5
    assert clinician_client.get(INBOX, {"page": "x"}).status_code == 200


# Holding copies: flagged, never deleted


def test_a_submission_waiting_more_than_3_working_days_is_flagged(clinician, patient):
    answer = send_photos(make_request(clinician, patient))
    # Sent on a Monday.
    answered_at(answer, timezone.make_aware(datetime(2026, 3, 2, 9, 0)))
    [row] = inbox_services.inbox_requests(patient.practice)

    thursday = presenters.inbox_row(row, today=date(2026, 3, 5))
    friday = presenters.inbox_row(row, today=date(2026, 3, 6))
    next_monday = presenters.inbox_row(row, today=date(2026, 3, 9))

    assert [t.text for t in thursday.tags] == ["2 photos, not filed"]
    assert thursday.overdue_days is None
    assert [t.text for t in friday.tags] == ["2 photos, not filed", "Not filed for 4 working days"]
    assert next_monday.overdue_days == 5


def test_the_flag_shows_on_the_page(clinician_client, clinician, patient):
    answer = send_photos(make_request(clinician, patient))
    answered_at(answer, timezone.now() - timedelta(days=14))

    assert "Not filed for 10 working days" in clinician_client.get(INBOX).page.text


def test_an_overdue_submission_is_never_removed(clinician_client, clinician, patient):
    answer = send_photos(make_request(clinician, patient))
    answered_at(answer, timezone.now() - timedelta(days=400))

    clinician_client.get(INBOX)

    assert PatientResponse.objects.filter(pk=answer.pk).exists()
    assert answer.photos.count() == 2
    assert inbox_services.count_unfiled(patient.practice) == 1


# Counts and cost


def test_the_counts(every_kind, practice, admin_user):
    assert inbox_services.counts(practice) == inbox_services.Counts(unfiled=1, needing_attention=3)

    filing_services.file_submission(by=admin_user, response=every_kind["photos"].response)

    assert inbox_services.counts(practice).unfiled == 0


def test_the_counts_are_the_practices_own(every_kind, other_practice):
    assert inbox_services.counts(other_practice) == inbox_services.Counts(0, 0)


def test_the_context_processor_counts_only_when_read(clinician, every_kind):
    request = RequestFactory().get("/")
    request.user = clinician

    with CaptureQueriesContext(connection) as nothing_read:
        counts = inbox(request)["inbox_counts"]
    with CaptureQueriesContext(connection) as read_twice:
        assert counts.nav_text == "Inbox (1 to file, 3 to check)"
        assert (counts.unfiled, counts.needing_attention, counts.total) == (1, 3, 4)

    assert len(nothing_read) == 0
    assert len(read_twice) == 2


def test_the_context_processor_gives_nothing_to_patients():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/p/abc")
    request.user = AnonymousUser()
    assert inbox(request)["inbox_counts"] is None


def test_the_header_words_when_empty(practice):
    assert InboxCounts(practice).nav_text == "Inbox"


def test_the_inbox_page_makes_the_same_number_of_queries_however_many_rows(
    clinician_client, clinician, patient, django_assert_max_num_queries
):
    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as context:
            response = clinician_client.get(INBOX)
        assert response.status_code == 200
        return len(context)

    send_photos(make_request(clinician, patient))
    one_row = queries_for_page()

    for index in range(12):
        photo_request = make_request(clinician, patient)
        if index % 3 == 0:
            send_photos(photo_request)
        elif index % 3 == 1:
            decline(photo_request)
        else:
            lock_link(photo_request)
    many_rows = queries_for_page()

    assert many_rows == one_row
    with django_assert_max_num_queries(one_row):
        clinician_client.get(
            INBOX, {"show": "unfiled", "mine": "on", **day("date_from", 1, 1, 2020)}
        )


def test_the_inbox_query_filters_on_indexed_columns(practice):
    sql = str(inbox_services.inbox_requests(practice, InboxFilter(show=Show.UNFILED)).query)
    assert '"photo_requests_photorequest"."practice_id" =' in sql
    assert "ORDER BY" in sql


def test_a_date_far_in_the_future_is_refused_not_an_error(admin_team_client):
    response = admin_team_client.get(reverse("inbox:list"), day("date_to", 31, 12, 9999))
    assert response.status_code == 200
    assert "Enter a date between 2000 and 2100" in response.page.text

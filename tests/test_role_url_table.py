"""One table of what each role gets at every URL of the service, checked by walking them all.

Every named URL is read from the URL configuration, its ids filled from practice A's records,
and asked for (GET) by each role: nobody logged in, practice A's admin, clinician and practice
manager, and a clinician of practice B. There is one test per URL name (and per row), so a
failure names its URL: an answer that differs from the row fails, and so does a URL with no row
(a new page must say who may open it) or a row for a URL that is gone.

Reading a row: LOGIN means "sent to the login page"; 405 means the URL only takes a POST (its
rules are tested with its own tests); 403 is "your role may not", 404 is "not your practice's".
Patients' pages (/p/...) answer to a patient's own session, never to a staff login, so every
role gets the same there.
"""

import pytest
from django.urls import reverse

from clinical_photos.core.tests.page_checks import PageClient
from conftest import logged_in_client
from tests.conftest import named_patterns, url_for

LOGIN = "login"
ROLES = ("anonymous", "admin", "clinician", "practice_manager", "other_clinician")

# url name: (anonymous, admin, clinician, practice manager, another practice's clinician)
TABLE: dict[str, tuple] = {
    # Open to all
    "core:privacy": (200, 200, 200, 200, 200),
    "core:accessibility": (200, 200, 200, 200, 200),
    "accounts:login": (200, 200, 200, 200, 200),
    # Staff, any role
    "home": (LOGIN, 200, 200, 200, 200),
    # Logging in: a logged-in user has nothing left to do here and goes to the start page.
    "accounts:verify_code": (LOGIN, 302, 302, 302, 302),
    "accounts:set_up_code": (LOGIN, 302, 302, 302, 302),
    "accounts:change_password": (LOGIN, 302, 302, 302, 302),
    "accounts:logout": (405, 405, 405, 405, 405),
    # The practice manager's pages
    "practice:home": (LOGIN, 403, 403, 200, 403),
    "practice:users": (LOGIN, 403, 403, 200, 403),
    "practice:add_user": (LOGIN, 403, 403, 200, 403),
    "practice:disable_user": (LOGIN, 403, 403, 200, 404),
    # The user is not disabled, so there is nothing to enable: back to the list.
    "practice:enable_user": (LOGIN, 403, 403, 302, 404),
    "request_templates:list": (LOGIN, 403, 403, 200, 403),
    "request_templates:add": (LOGIN, 403, 403, 200, 403),
    "request_templates:edit": (LOGIN, 403, 403, 200, 404),
    "practice:link_lifetime": (LOGIN, 403, 403, 200, 403),
    "practice:review_time": (LOGIN, 403, 403, 200, 403),
    # Patients and requests
    "patients:search": (LOGIN, 200, 200, 200, 200),
    "patients:add": (LOGIN, 200, 200, 200, 200),
    "patients:detail": (LOGIN, 200, 200, 200, 404),
    "photo_requests:list": (LOGIN, 200, 200, 200, 200),
    "photo_requests:new": (LOGIN, 200, 200, 403, 404),
    "photo_requests:detail": (LOGIN, 200, 200, 200, 404),
    "photo_requests:cancel": (LOGIN, 200, 200, 403, 404),
    "photo_requests:resend": (LOGIN, 200, 200, 403, 404),
    "messaging:outbox": (LOGIN, 200, 200, 200, 200),
    # GOV.UK Notify's callback: a POST with its own bearer token, no login.
    "messaging:notify_callback": (405, 405, 405, 405, 405),
    # Patients' pages: without the patient's own session (a link opened, the date of birth
    # given) every page but the link itself is refused, whoever is logged in.
    "patient_upload:open_link": (200, 200, 200, 200, 200),
    "patient_upload:agreement": (403, 403, 403, 403, 403),
    "patient_upload:decline": (403, 403, 403, 403, 403),
    "patient_upload:tips": (403, 403, 403, 403, 403),
    "patient_upload:choose_photos": (403, 403, 403, 403, 403),
    "patient_upload:add_photo": (403, 403, 403, 403, 403),
    "patient_upload:remove_photo": (403, 403, 403, 403, 403),
    # A chosen photo's preview, for the patient who chose it: never to a staff login.
    "patient_upload:photo_preview": (403, 403, 403, 403, 403),
    "patient_upload:check": (403, 403, 403, 403, 403),
    "patient_upload:sent": (403, 403, 403, 403, 403),
    # The record: everyone of the practice sees what is there; only clinicians see images,
    # compare, correct and remove.
    "record:timeline": (LOGIN, 200, 200, 200, 404),
    "record:photo": (LOGIN, 200, 200, 200, 404),
    "record:photo_image": (LOGIN, 403, 200, 403, 404),
    "record:photo_preview": (LOGIN, 403, 200, 403, 404),
    "record:compare": (LOGIN, 403, 200, 403, 404),
    "record:change_details": (LOGIN, 403, 200, 403, 404),
    "record:entered_in_error": (LOGIN, 403, 200, 403, 404),
    "record:remove": (LOGIN, 403, 200, 403, 404),
    # The inbox and filing without seeing: admins and clinicians file, managers do not.
    "inbox:list": (LOGIN, 200, 200, 200, 200),
    "filing:submission": (LOGIN, 200, 200, 403, 404),
    # Only clinicians file into another patient; this submission is already filed, so the
    # clinician is sent back to it.
    "filing:another_patient": (LOGIN, 403, 302, 403, 404),
    # Clinical review: clinicians review; practice managers see the list in words and move
    # a review to a clinician (overdue ones are flagged to them); the admin team does neither.
    "review:list": (LOGIN, 403, 200, 200, 200),
    "review:detail": (LOGIN, 403, 200, 403, 404),
    "review:take": (LOGIN, 403, 405, 403, 405),
    "review:assign": (LOGIN, 403, 200, 200, 404),
    # Follow-up series: clinicians start one; anyone sees it; whoever may ask may stop it.
    "follow_ups:new": (LOGIN, 403, 200, 403, 404),
    "follow_ups:detail": (LOGIN, 200, 200, 200, 404),
    "follow_ups:stop": (LOGIN, 200, 200, 403, 404),
    # The demo's mailbox exists only while the demo's email backend is in use (not in tests).
    "mailbox:mailbox": (LOGIN, 404, 404, 404, 404),
    # Subject access: practice managers only.
    "export:patient": (LOGIN, 403, 403, 200, 404),
    # A patient's own view of their photos: clinicians send the link; the pages answer to the
    # patient's own session, never to a staff login.
    "patient_view:send": (LOGIN, 403, 200, 403, 404),
    "patient_view:revoke": (LOGIN, 403, 200, 403, 404),
    "patient_view:open_link": (200, 200, 200, 200, 200),
    "patient_view:photos": (403, 403, 403, 403, 403),
    "patient_view:image": (403, 403, 403, 403, 403),
    "patient_view:download": (403, 403, 403, 403, 403),
}


@pytest.fixture
def users(admin_user, clinician, manager, other_clinician) -> dict:
    return {
        "anonymous": None,
        "admin": admin_user,
        "clinician": clinician,
        "practice_manager": manager,
        "other_clinician": other_clinician,
    }


def _answer(url: str, user) -> int | str:
    # A fresh client for each request, so that no page can change what the next one sees.
    client = PageClient() if user is None else logged_in_client(user)
    response = client.get(url)
    if response.status_code == 302 and response["Location"].split("?")[0] == reverse(
        "accounts:login"
    ):
        return LOGIN
    return response.status_code


PATTERNS = dict(named_patterns())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(PATTERNS) | set(TABLE)))
def test_role_answers(name, practice_a_ids, users):
    assert name in PATTERNS, f"TABLE has a row for {name}, a URL that no longer exists"
    url, missing = url_for(name, PATTERNS[name], practice_a_ids)
    assert not missing, f"{name} takes {missing}: add a practice-A record for it"
    answers = tuple(_answer(url, users[role]) for role in ROLES)
    assert name in TABLE, (
        f"{name} ({url}) has no row in TABLE. Decide what each role should get, then add it "
        f"(what it answers today, to check before copying):\n    {name!r}: {answers},"
    )
    differences = [
        f"as {role}: expected {expected}, got {got}"
        for role, expected, got in zip(ROLES, TABLE[name], answers, strict=True)
        if expected != got
    ]
    assert not differences, f"{name} ({url}) " + "; ".join(differences)


def test_the_table_has_a_column_for_every_role():
    assert all(len(row) == len(ROLES) for row in TABLE.values())

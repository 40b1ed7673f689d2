"""Hostile values in every field of every form: never a server error, never half-saved data,
never a lost photo, and when a value is refused, a page that says what to do about it.

How the forms are found: every named URL is read from the URL configuration, its ids filled
from one surgery's records, and opened (GET) by someone allowed to post there: staff by role,
a patient with the session their link gives, a patient with a view link's session. Each
`<form>` on the answer is parsed (inputs, selects, textareas, checkboxes, radios), and its
target (method and URL name) and fields are checked against FORMS below, which fails with the
lines to paste when a page gains a form or a field. (FORMS is written down rather than read at
collection because a test's id is fixed before any page can be opened.) A field a view reads
that no page shows (a script's, a link's, a later step's) is in NOT_ON_ANY_PAGE, with where it
comes from; a URL the test does not post to at all is in NOT_TESTED, with why.

Each (form, field, value) is then its own test: the form as its page shows it, filled with
good values (good_values() gives those the page leaves empty), the one field given the hostile
value, sent as a browser would send it by the person the page was opened as, and any redirect
followed. What is checked is what a user would notice: no 5xx, a well-formed page (one h1, see
page_checks.py), a refusal that says what is wrong in the project's own words (never Django's
defaults), nothing saved when the answer is a refusal, no photo lost, and nothing stored that
PostgreSQL would refuse: SQLite keeps a NUL or an over-long string without complaint, where
PostgreSQL answers with an error, that is, a 500.

The records (and the pages' forms) are made once for the module inside a transaction, and
each test runs in a savepoint of it that is rolled back: each test costs one post, not a
surgery's worth of records, which keeps the thousand of them to about a minute.
"""

import json
import re
from contextlib import suppress
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinical_photos.accounts.middleware import LOGGED_IN_AT
from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import PASSWORD, PracticeFactory, UserFactory
from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patient_upload import services as upload_services
from clinical_photos.patient_upload.journey import UPLOAD
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests import services as request_services
from clinical_photos.photo_requests.follow_ups import services as follow_up_services
from clinical_photos.photo_requests.tests.factories import FOREARM, token_of
from clinical_photos.photos.models import Photo
from clinical_photos.photos.tests.images import jpeg
from clinical_photos.records.patient_view import services as patient_view_services
from clinical_photos.records.patient_view.journey import VIEW
from clinical_photos.records.tests.factories import file_photos, submission_to_review
from conftest import logged_in_client
from tests.conftest import named_patterns

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# The hostile values. Each is a str, bytes sent as they are (not valid UTF-8), or a list (the
# field sent more than once). GOOD in a list stands for the form's good value for the field.

GOOD = object()


@dataclass(frozen=True)
class Upload:
    """A file part as a phone would send it."""

    filename: str
    content: bytes
    content_type: str = "image/jpeg"


TEXT_VALUES = {
    # Digits by Unicode that int() or str.isdigit() take and a person did not mean as a number.
    "superscript-two": "²",
    "arabic-indic-three": "٣",
    "fullwidth-twelve": "\uff11\uff12",
    # A whole valid NHS number (943 476 5919) in Arabic-Indic digits: long enough to reach the
    # 10-digit check, where one digit alone never does.
    "arabic-indic-nhs-number": "\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669",
    "empty": "",
    "whitespace-only": " \t ",
    # Long enough to pass any length limit of a proxy and to break int() (over 4,300 digits).
    "100k-digits": "9" * 100_000,
    "nul-byte": "12\x00",
    "line-break": "1\r\nSet-Cookie: x=1",
    # U+D800 as a browser encodes a lone surrogate: not valid UTF-8.
    "lone-surrogate": b"\xed\xa0\x80",
    "emoji": "📷🩹\u202e",
    "negative": "-1",
    "huge-number": str(2**64),
    "sent-twice": [GOOD, "2"],
}

PHOTO = jpeg(size=(320, 240))
FILE_VALUES = {
    "path-in-filename": Upload("..\\..\\../../etc/photo.jpg", PHOTO),
    # No "/" in it: Django would take what comes before one for a folder and drop it.
    "markup-in-filename": Upload("<img src=x onerror=alert(1)>.jpg", b"not a photo at all"),
    "not-an-image": Upload("photo.jpg", b"%PDF-1.4 a letter, not a photo"),
    "zero-bytes": Upload("photo.jpg", b""),
    "no-filename": Upload("", PHOTO),
    "text-not-a-file": "²",
    "sent-twice": [GOOD, Upload("second.jpg", PHOTO)],
}


# ---------------------------------------------------------------------------------------------
# The forms, as "METHOD url-name" of where each is sent, with each field and its kind (the
# input's type, or select or textarea). test_the_forms_on_the_pages_are_the_ones_listed checks
# this against the pages, so a new form or field fails there until it is listed (and so tested).

FORMS: dict[str, dict[str, str]] = {
    "GET inbox:list": {
        "show": "radio",
        "mine": "checkbox",
        "date_from_0": "text",
        "date_from_1": "text",
        "date_from_2": "text",
        "date_to_0": "text",
        "date_to_1": "text",
        "date_to_2": "text",
    },
    "GET patients:search": {"q": "text"},
    "GET record:compare": {"a": "radio", "b": "radio"},
    "POST accounts:change_password": {"new_password": "password"},
    "POST accounts:login": {"next": "hidden", "email": "email", "password": "password"},
    "POST accounts:logout": {},
    "POST accounts:set_up_code": {"next": "hidden", "code": "text"},
    "POST accounts:verify_code": {"next": "hidden", "code": "text"},
    "POST export:patient": {},
    "POST filing:another_patient": {"nhs_number": "text", "reason": "textarea"},
    "POST filing:submission": {},
    "POST patient_upload:check": {"agree": "checkbox"},
    "POST patient_upload:choose_photos": {
        "photo_1": "file",
        "label_1": "radio",
        "photo_2": "file",
        "label_2": "radio",
        "photo_3": "file",
        "label_3": "radio",
        "photo_4": "file",
        "label_4": "radio",
        "note": "textarea",
    },
    "POST patient_upload:decline": {"reason": "textarea"},
    "POST patient_upload:open_link": {
        "date_of_birth_0": "text",
        "date_of_birth_1": "text",
        "date_of_birth_2": "text",
    },
    "POST patient_upload:remove_photo": {"back": "hidden"},
    "POST patient_view:open_link": {
        "date_of_birth_0": "text",
        "date_of_birth_1": "text",
        "date_of_birth_2": "text",
    },
    "POST patient_view:send": {"body_site": "radio"},
    "POST patient_view:revoke": {},
    "POST patients:add": {
        "nhs_number": "text",
        "given_name": "text",
        "family_name": "text",
        "date_of_birth_0": "text",
        "date_of_birth_1": "text",
        "date_of_birth_2": "text",
        "mobile": "tel",
    },
    "POST photo_requests:cancel": {},
    "POST photo_requests:new": {
        "template": "radio",
        "body_sites": "checkbox",
        "note_to_patient": "textarea",
    },
    "POST photo_requests:resend": {},
    "POST request_templates:add": {
        "name": "text",
        "patient_message": "textarea",
        "admins_may_use": "checkbox",
    },
    "POST practice:add_user": {
        "full_name": "text",
        "email": "email",
        "role": "radio",
        "is_caldicott_guardian": "checkbox",
    },
    "POST practice:disable_user": {},
    "POST request_templates:edit": {
        "name": "text",
        "patient_message": "textarea",
        "admins_may_use": "checkbox",
        "is_active": "checkbox",
    },
    "POST practice:enable_user": {},
    "POST practice:link_lifetime": {"link_lifetime_days": "text"},
    "POST practice:review_time": {"review_within_days": "text"},
    "POST review:detail": {
        "outcome": "radio",
        "every": "text",
        "unit": "radio",
        "times": "text",
        "better_photos_reason": "textarea",
        "note": "textarea",
    },
    "POST review:take": {},
    "POST review:assign": {"to": "radio"},
    "POST follow_ups:new": {"every": "text", "unit": "radio", "times": "text"},
    "POST follow_ups:stop": {},
    "POST record:change_details": {"body_site": "select", "condition": "text"},
    "POST record:entered_in_error": {},
    "POST record:remove": {"reason": "radio", "detail": "textarea"},
}

_SCRIPT = "the choose-photos page's script, which sends each photo as soon as it is chosen"
# Fields a view reads that no page's form shows: (kind, where they come from). A name in
# braces is filled from the module's records.
NOT_ON_ANY_PAGE: dict[str, dict[str, tuple[str, str]]] = {
    "POST patient_upload:add_photo": {
        "photo": ("file", _SCRIPT),
        "label": ("radio", _SCRIPT),
        "position": ("hidden", _SCRIPT + ", placing it in the list"),
        "replaces": ("hidden", _SCRIPT + ", when the patient swaps a photo for another"),
    },
    "POST patient_upload:choose_photos": {
        "label_of_{chosen_photo}": ("radio", "the script: the labels of photos it sent already"),
    },
    "POST filing:another_patient": {
        "confirmed": ("hidden", "the confirmation page a good first post leads to"),
    },
    "GET inbox:list": {
        "page": ("link", "the links to the next and previous pages"),
        "date_from": ("link", "links made before the date boxes, with a whole date"),
        "date_to": ("link", "links made before the date boxes, with a whole date"),
    },
    "GET record:compare": {
        "rotate_earlier": ("link", "the links that turn the earlier photo to look at it"),
        "rotate_later": ("link", "the links that turn the later photo to look at it"),
    },
    "GET record:photo_image": {"rotate": ("link", "the compare page's image of a turned photo")},
    "GET record:timeline": {"order": ("link", "the link to show the newest or oldest first")},
    "GET record:photo": {"size": ("link", "the links that zoom the photo in and out")},
    "GET photo_requests:list": {"page": ("link", "the links to the next and previous pages")},
    "GET accounts:login": {
        "next": ("link", "the redirect to log in, naming the page that was asked for"),
        "ended": ("link", "the redirect when a session ends, saying why"),
    },
    "GET accounts:verify_code": {"next": ("link", "the login page, after the password")},
    "GET accounts:set_up_code": {"next": ("link", "the login page, after the password")},
}

# Pages that do not show themselves to the person who opens them here (status), and why.
NOT_SHOWN: dict[str, int] = {
    # The demo's stand-in for email: there only while the demo's email backend is in use.
    "mailbox:mailbox": 404,
    # There only once the patient has answered; until then it leads back to the start.
    "patient_upload:sent": 302,
}

# URLs that take a post this test does not send, and why.
NOT_TESTED: dict[str, str] = {
    "messaging:notify_callback": "GOV.UK Notify posts JSON to it with a bearer token; "
    "messaging/tests/test_notify_callback.py sends it bad bodies",
}


def good_values(target: str, surgery: "Surgery", form: "Form") -> dict:
    """Values that the form takes, for the fields the page leaves empty or a script fills."""
    extra, users = surgery.extra, surgery.users
    filed = surgery.photos["filed"]
    dob = {"date_of_birth_0": "7", "date_of_birth_1": "3", "date_of_birth_2": "1984"}
    values = {
        "POST accounts:login": {"email": "manager@riverside.test", "password": PASSWORD},
        # A code from the app, as it is when the form is sent.
        "POST accounts:verify_code": lambda: {"code": _current_code(users["password_given"])},
        "POST accounts:set_up_code": lambda: {"code": _current_code(users["newcomer"])},
        "POST accounts:change_password": {"new_password": "plum orchard lantern 1987"},
        "POST practice:add_user": {
            "full_name": "Mary Seacole",
            "email": "mary@riverside.test",
            "role": Role.CLINICIAN,
        },
        "POST request_templates:add": {
            "name": "Wound",
            "patient_message": "We would like to see how your wound is healing.",
        },
        "GET patients:search": {"q": "Lovelace"},
        "POST patients:add": {
            "nhs_number": "401 023 2137",
            "given_name": "Mary",
            "family_name": "Seacole",
            "date_of_birth_0": "23",
            "date_of_birth_1": "11",
            "date_of_birth_2": "1985",
            "mobile": "07700 900982",
        },
        "POST photo_requests:new": {"template": str(extra["rash"].id), "body_sites": FOREARM},
        "POST filing:another_patient": {
            "nhs_number": extra["other_patient"].nhs_number,
            "reason": "The request went to the wrong patient",
        },
        "GET record:compare": {"a": str(filed[0].id), "b": str(filed[1].id)},
        "POST record:remove": {"reason": "wrong_patient"},
        "POST patient_view:send": {"body_site": FOREARM},
        "POST review:detail": {"outcome": "no_action"},
        "POST follow_ups:new": {"every": "2", "unit": "weeks", "times": "3"},
        "POST patient_view:open_link": dob,
        "POST patient_upload:open_link": dob,
        "POST patient_upload:check": lambda: {"agree": form.options["agree"][0]},
        "POST patient_upload:choose_photos": {"photo_1": Upload("rash.jpg", PHOTO)},
        "POST patient_upload:add_photo": {
            "photo": Upload("rash.jpg", PHOTO),
            "label": "close_up",
            "position": "2",
            "replaces": "",
        },
    }.get(target, {})
    return values() if callable(values) else values


def _current_code(user) -> str:
    device = TOTPDevice.objects.filter(user=user).latest("id")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


# ---------------------------------------------------------------------------------------------
# The records every page needs, made once for the module.


@dataclass
class Surgery:
    """One GP surgery's records, with one of each thing a page can be about."""

    ids: dict
    by_url: dict
    users: dict
    upload_link: object
    view_link: object
    photos: dict
    extra: dict = field(default_factory=dict)
    # actor -> the cookies of a browser that is that person, signed in as far as they get
    cookies: dict = field(default_factory=dict)

    def kwargs_for(self, name: str, pattern) -> dict:
        these = {**self.ids, **self.by_url.get(name, {})}
        return {k: these[k] for k in pattern.pattern.converters}


def _view_token(clinician, patient) -> str:
    patient_view_services.send_view_link(by=clinician, patient=patient, body_site_code=FOREARM)
    body = TextMessage.objects.filter(photo_request__patient=patient).latest("created_at").body
    return re.search(r"/v/([A-Za-z0-9_-]+)", body).group(1)


def _set_up_surgery() -> Surgery:
    practice = PracticeFactory(name="Riverside Surgery", ods_code="Y00001")
    clinician = UserFactory(practice=practice, role=Role.CLINICIAN, email="gp@riverside.test")
    admin = UserFactory(practice=practice, role=Role.ADMIN, email="reception@riverside.test")
    manager = UserFactory(
        practice=practice, role=Role.PRACTICE_MANAGER, email="manager@riverside.test"
    )
    former = UserFactory(practice=practice, role=Role.ADMIN, email="former@riverside.test")
    former.is_active = False
    former.save(update_fields=["is_active"])
    # Halfway through logging in: the password given, the code still to come.
    locum = UserFactory(practice=practice, role=Role.CLINICIAN, email="locum@riverside.test")
    newcomer = UserFactory(
        practice=practice, role=Role.ADMIN, email="newcomer@riverside.test", with_device=False
    )
    given_one_time_password = UserFactory(
        practice=practice, role=Role.ADMIN, email="temp@riverside.test"
    )
    given_one_time_password.must_change_password = True
    given_one_time_password.save(update_fields=["must_change_password"])

    patient = PatientFactory(practice=practice)
    other_patient = PatientFactory(practice=practice, given_name="Grace")
    filed = file_photos(by=clinician, patient=patient, body_site=FOREARM)
    rash = practice.request_templates.get(name="Rash")
    # Answered with photos and waiting to be filed.
    unfiled_request = request_services.create_request(
        by=clinician, patient=patient, template=rash, body_site_codes=[FOREARM]
    )
    upload_services.add_photos(unfiled_request.current_link, [(PHOTO, "a.jpg", "where")])
    unfiled = upload_services.send_photos(unfiled_request.current_link)
    # Open, with one photo chosen and not sent yet.
    open_request = request_services.create_request(
        by=clinician, patient=patient, template=rash, body_site_codes=[FOREARM]
    )
    upload_link = open_request.current_link
    [chosen], _ = upload_services.add_photos(upload_link, [(PHOTO, "b.jpg", "where")])
    view_token = _view_token(clinician, patient)
    ids = {
        "patient_id": patient.id,
        "request_id": open_request.id,
        "user_id": admin.id,
        "template_id": rash.id,
        "photo_id": filed[0].id,
        "response_id": unfiled.id,
        "token": token_of(open_request),
    }
    ids["view_link_id"] = VIEW.find(view_token).id
    # A follow-up series follows the open request.
    # Photos the admin team asked for: in the practice's queue, for a clinician to take.
    ids["review_id"] = submission_to_review(asked_by=admin, patient=patient, body_site=FOREARM).id
    ids["series_id"] = follow_up_services.start_series(
        by=clinician, follows=open_request, every=2, unit="weeks", times=3
    ).id
    by_url = {
        "practice:enable_user": {"user_id": former.id},
        "patient_upload:remove_photo": {"photo_id": chosen.id},
        "patient_upload:photo_preview": {"photo_id": chosen.id},
        "patient_view:open_link": {"token": view_token},
    }
    surgery = Surgery(
        ids=ids,
        by_url=by_url,
        users={
            "clinician": clinician,
            "admin": admin,
            "practice_manager": manager,
            "password_given": locum,
            "newcomer": newcomer,
            "given_one_time_password": given_one_time_password,
        },
        upload_link=upload_link,
        view_link=VIEW.find(view_token),
        photos={"filed": filed, "chosen": chosen},
        extra={"patient": patient, "other_patient": other_patient, "rash": rash},
    )
    surgery.cookies = {actor: _sign_in(actor, surgery) for actor in ACTORS}
    return surgery


@pytest.fixture(scope="module")
def surgery(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(PHOTO_STORAGE_DIR=tmp_path_factory.mktemp("photos")):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
        try:
            with django_db_blocker.unblock():
                built = _set_up_surgery()
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def photo_storage(surgery):
    """The module's photos live where the surgery stored them (replaces the per-test folder)."""
    from django.conf import settings

    return settings.PHOTO_STORAGE_DIR


# ---------------------------------------------------------------------------------------------
# Who opens each page: someone allowed to post there.


def actor_for(url_name: str) -> str:
    namespace, _, name = url_name.rpartition(":")
    if url_name in ("accounts:login", "patient_upload:open_link", "patient_view:open_link"):
        return "anyone"
    if url_name == "accounts:verify_code":
        return "password_given"
    if url_name == "accounts:set_up_code":
        return "newcomer"
    if url_name == "accounts:change_password":
        return "given_one_time_password"
    if namespace == "patient_upload":
        return "patient"
    if namespace == "patient_view" and name not in ("send", "revoke"):
        return "patient_viewing"
    if namespace in ("practice", "request_templates", "export"):
        return "practice_manager"
    # Clinicians may post to every other staff page.
    return "clinician"


ACTORS = (
    "anyone",
    "clinician",
    "practice_manager",
    "password_given",
    "newcomer",
    "given_one_time_password",
    "patient",
    "patient_viewing",
)


def _sign_in(actor: str, surgery: Surgery):
    """The cookies of a browser that has got as far as this person gets. Sessions are made
    once: each test's changes to them are rolled back with the rest of its records."""
    client = Client()
    if actor in ("patient", "patient_viewing"):
        cookie_holder = HttpResponse()
        if actor == "patient":
            UPLOAD.session.start(cookie_holder, surgery.upload_link)
        else:
            VIEW.session.start(cookie_holder, surgery.view_link)
        return cookie_holder.cookies
    if actor in ("password_given", "newcomer"):
        client.force_login(surgery.users[actor])
        session = client.session
        session[LOGGED_IN_AT] = timezone.now().isoformat()
        session.save()
        if actor == "newcomer":
            # The page with the QR code makes the app's key, to be proved with a code from it.
            assert client.get(reverse("accounts:set_up_code")).status_code == 200
    elif actor != "anyone":
        client = logged_in_client(surgery.users[actor])
    return client.cookies


def client_for(actor: str, surgery: Surgery) -> Client:
    client = Client()
    for name, morsel in surgery.cookies[actor].items():
        client.cookies[name] = morsel.value
    return client


# ---------------------------------------------------------------------------------------------
# Reading a page as a browser does.


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    # name -> kind, in page order
    fields: dict = field(default_factory=dict)
    # (name, value) pairs a browser sends when nothing is touched
    defaults: list = field(default_factory=list)
    # name -> the values a checkbox, radio or select offers
    options: dict = field(default_factory=dict)
    # the page it is on: its name, and its h1 (a refusal shows the same page again)
    page_name: str = ""
    page_h1: str = ""

    @property
    def target(self) -> str:
        return f"{self.method} {resolve(self.action).view_name}"


class _PageParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.h1 = ""
        self.error_items: list[str] = []
        self.error_messages: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool, list, list] | None = None
        self._option: list | None = None
        self._textarea: tuple[str, list] | None = None
        # [tag, depth, buffer, destination] of an element whose text is being read
        self._capture: list | None = None
        self._in_summary_list = 0
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self._capture and tag == self._capture[0]:
            self._capture[1] += 1
        if tag == "h1":
            self._in_h1 = True
        if tag == "ul" and "nhsuk-error-summary__list" in classes:
            self._in_summary_list = 1
        elif tag == "ul" and self._in_summary_list:
            self._in_summary_list += 1
        if tag == "li" and self._in_summary_list and not self._capture:
            self._capture = ["li", 1, [], self.error_items]
        if tag == "span" and "nhsuk-error-message" in classes and not self._capture:
            self._capture = ["span", 1, [], self.error_messages]
        if tag == "form":
            action = attrs.get("action") or self.page_path
            self._form = Form(
                method=(attrs.get("method") or "get").upper(),
                action=urlsplit(action).path,
                enctype=attrs.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
        if self._form is None or tag not in ("input", "select", "option", "textarea"):
            return
        if tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, []]
            return
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            self._form.fields.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                self._form.options.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self._form.defaults.append((name, attrs.get("value", "on")))
            elif kind != "file":
                self._form.defaults.append((name, attrs.get("value") or ""))
        elif tag == "select":
            self._form.fields.setdefault(name, "select")
            self._select = (name, "multiple" in attrs, [], [])
        elif tag == "textarea":
            self._form.fields.setdefault(name, "textarea")
            self._textarea = (name, [])

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        if self._capture and tag == self._capture[0]:
            self._capture[1] -= 1
            if self._capture[1] == 0:
                text = " ".join("".join(self._capture[2]).split())
                self._capture[3].append(text)
                self._capture = None
        if tag == "ul" and self._in_summary_list:
            self._in_summary_list -= 1
        if tag == "option" and self._option is not None and self._select is not None:
            value, selected, text = self._option
            value = value if value is not None else "".join(text).strip()
            self._select[2].append(value)
            self._form.options.setdefault(self._select[0], []).append(value)
            if selected:
                self._select[3].append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            name, multiple, values, selected = self._select
            chosen = selected or ([] if multiple or not values else values[:1])
            self._form.defaults.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.defaults.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._capture:
            self._capture[2].append(data)
        if self._in_h1:
            self.h1 += data
        if self._option is not None:
            self._option[2].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)


def read_page(response, path: str) -> _PageParser:
    page = _PageParser(path)
    page.feed(response.content.decode())
    page.h1 = " ".join(page.h1.split())
    return page


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


# ---------------------------------------------------------------------------------------------
# Finding every form.


def _pages(surgery: Surgery):
    """(url name, path) for every named URL, its ids from the surgery."""
    for name, pattern in named_patterns():
        yield name, reverse(name, kwargs=surgery.kwargs_for(name, pattern))


@dataclass
class Discovered:
    # target -> (page name, Form) of the first page the form is on
    found: dict
    # target -> its fields over all the pages it is on
    fields: dict
    # URLs that answer a GET with 405: they only take posts
    post_only: list
    # URLs that did not show their page to the person who opened it: url name -> status
    not_shown: dict


def forms_on_pages(surgery: Surgery) -> Discovered:
    found: dict[str, tuple[str, Form]] = {}
    fields: dict[str, dict] = {}
    post_only, not_shown = [], {}
    for name, path in _pages(surgery):
        response = client_for(actor_for(name), surgery).get(path)
        if response.status_code == 405:
            post_only.append(name)
        elif response.status_code != 200:
            not_shown[name] = response.status_code
        if response.status_code != 200 or not is_html(response):
            continue
        page = read_page(response, path)
        for form in page.forms:
            form.page_name, form.page_h1 = name, page.h1
            found.setdefault(form.target, (name, form))
            fields.setdefault(form.target, {}).update(form.fields)
    return Discovered(found, fields, post_only, not_shown)


@pytest.fixture(scope="module")
def discovered(surgery, django_db_blocker):
    # Opening pages writes audit entries and sessions: kept apart from every test's records.
    with django_db_blocker.unblock(), transaction.atomic():
        result = forms_on_pages(surgery)
        transaction.set_rollback(True)
    return result


def test_every_page_opens_for_the_person_it_is_opened_as(discovered):
    """Else its forms would go unseen, and untested, without a word."""
    assert discovered.not_shown == NOT_SHOWN, (
        "Each page must show itself to the person actor_for() opens it as; fix actor_for(), or "
        "give the surgery what the page needs, or list the page in NOT_SHOWN saying why"
    )


def test_the_forms_on_the_pages_are_the_ones_listed(discovered):
    found, fields = discovered.found, discovered.fields
    new = {t: f for t, f in fields.items() if FORMS.get(t) != f}
    gone = set(FORMS) - set(fields)
    assert not new, (
        "These forms are not in FORMS as the pages show them. Give each field a good value in "
        "good_values() if the page leaves it empty, then paste:\n"
        + "\n".join(f"    {t!r}: {f!r},  # on {found[t][0]}" for t, f in sorted(new.items()))
    )
    assert not gone, f"FORMS lists forms that no page shows any more: {sorted(gone)}"
    targets = {t.split()[1] for t in [*FORMS, *NOT_ON_ANY_PAGE]}
    unexplained = set(discovered.post_only) - targets - set(NOT_TESTED)
    assert not unexplained, (
        f"{sorted(unexplained)} take only posts, and no page has a form for them: list their "
        "fields in NOT_ON_ANY_PAGE (saying where they come from), or say in NOT_TESTED why not"
    )


def test_every_listed_url_exists():
    names = {name for name, _ in named_patterns()}
    listed = {t.split()[1] for t in [*FORMS, *NOT_ON_ANY_PAGE]} | set(NOT_TESTED)
    assert listed <= names, f"listed but gone from the URLs: {sorted(listed - names)}"


# ---------------------------------------------------------------------------------------------
# Sending a form as a browser would.

BOUNDARY = "----bad-input-boundary-7d2f"


def _multipart(pairs: list[tuple[str, object]]) -> bytes:
    """Django's test client drops the folders from a file's name and cannot send bytes that are
    not UTF-8 in a file's name; a browser can, so the body is written out here."""
    lines = []
    for name, value in pairs:
        lines.append(f"--{BOUNDARY}".encode())
        if isinstance(value, Upload):
            disposition = f'form-data; name="{name}"; filename="{value.filename}"'
            lines.append(f"Content-Disposition: {disposition}".encode())
            lines.append(f"Content-Type: {value.content_type}".encode())
            lines += [b"", value.content]
        else:
            lines.append(f'Content-Disposition: form-data; name="{name}"'.encode())
            lines += [b"", value if isinstance(value, bytes) else value.encode()]
    lines += [f"--{BOUNDARY}--".encode(), b""]
    return b"\r\n".join(lines)


@dataclass
class Sent:
    form: Form
    answers: list  # the answer, then each page a redirect led to
    client: Client
    # The records and the audit log's last entry just before the form was sent.
    before: dict
    audit_from: int


def send(surgery, discovered, target: str, field_name: str | None = None, value=None) -> Sent:
    method, url_name = target.split()
    found = discovered.found.get(target)
    if found is not None:
        # The form as its page shows it: every test starts from the same records, so the
        # page read once for the module shows every test the same form.
        form = found[1]
        client = client_for(actor_for(form.page_name), surgery)
    else:
        client = client_for(actor_for(url_name), surgery)
        pattern = dict(named_patterns())[url_name]
        extra_fields = NOT_ON_ANY_PAGE[target]
        form = Form(
            method=method,
            action=reverse(url_name, kwargs=surgery.kwargs_for(url_name, pattern)),
            enctype="multipart/form-data"
            if any(kind == "file" for kind, _ in extra_fields.values())
            else "application/x-www-form-urlencoded",
        )
    values: dict[str, list] = {}
    for name, default in form.defaults:
        values.setdefault(name, []).append(default)
    for name, good in good_values(target, surgery, form).items():
        values[name] = good if isinstance(good, list) else [good]
    if field_name is not None:
        good = values.get(field_name) or [""]
        hostile = value if isinstance(value, list) else [value]
        values[field_name] = [g for v in hostile for g in (good if v is GOOD else [v])]
    pairs = [(name, v) for name, vs in values.items() for v in vs]
    before, audit_from = _records(), _last_audit_sequence()
    headers = {}
    if url_name == "patient_upload:add_photo":
        headers["Accept"] = "application/json"  # as the page's script asks
    if method == "GET":
        response = client.get(f"{form.action}?{urlencode(pairs)}", headers=headers)
    elif form.enctype == "multipart/form-data":
        response = client.post(
            form.action,
            _multipart(pairs),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            headers=headers,
        )
    else:
        assert not any(isinstance(v, Upload) for _, v in pairs), "a file in a form without files"
        response = client.post(
            form.action,
            urlencode(pairs),
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )
    answers = [response]
    while 300 <= answers[-1].status_code < 400 and len(answers) < 5:
        answers.append(client.get(answers[-1]["Location"]))
    return Sent(form, answers, client, before, audit_from)


# ---------------------------------------------------------------------------------------------
# What a user would notice.


def _django_default_messages() -> re.Pattern:
    """Django's own wording of a refusal ("This field is required.", "Enter a whole number.");
    the project's forms say what to do in their own words."""
    from django import forms
    from django.core import validators

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    texts = set()
    for cls in [forms.Field, *subclasses(forms.Field)]:
        if cls.__module__.startswith("clinical_photos."):
            continue  # the project's own fields speak its own words
        texts.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    for name in dir(validators):
        validator = getattr(validators, name)
        if isinstance(validator, type) and hasattr(validator, "message"):
            # A message with a plural form has no text until given a number: added below.
            with suppress(KeyError, TypeError):
                texts.add(str(validator.message))
    patterns = [
        re.sub(r"%\\\(\w+\\\)[sdr]|\\\{\w+\\\}", ".*", re.escape(text)) for text in texts if text
    ]
    patterns.append(r"Ensure this value has at (most|least) \d+ characters?")
    patterns.append(r"Ensure that there are no more than \d+")
    return re.compile("|".join(f"(?:{p})" for p in patterns))


DJANGO_DEFAULT_MESSAGE = _django_default_messages()

# Audit entries that record a look or a failed attempt rather than a change: the only ones a
# refusal may leave behind.
LOOKS_AND_FAILED_ATTEMPTS = {
    Action.LOGIN_FAILED,
    Action.DATE_OF_BIRTH_WRONG,
    Action.LINK_OPENED,
    Action.PATIENT_VIEWED,
    Action.PATIENT_SEARCHED,
    Action.REQUEST_VIEWED,
    Action.OUTBOX_VIEWED,
    Action.INBOX_VIEWED,
    Action.FILING_VIEWED,
    Action.PHOTO_VIEWED,
    Action.PHOTO_VIEW_REFUSED,
    Action.TIMELINE_VIEWED,
    Action.PHOTOS_COMPARED,
    Action.PATIENT_VIEWED_OWN_PHOTOS,
}

# Counted on a wrong date of birth, which is a refusal that is meant to leave a mark.
COUNTED_ATTEMPTS = {"failed_date_of_birth_attempts", "locked_at"}

# Posts that remove photos the patient chose and has not sent, when that is what was asked.
DISCARD_UNSENT_PHOTOS = {"POST patient_upload:remove_photo", "POST patient_upload:decline"}

# Refusals that keep, on purpose, what was good in the same post: the tables they may write to
# and the audit entries they may leave.
KEPT_ON_PURPOSE = {
    # Each good photo is kept whatever else the post got wrong (another photo refused, a note
    # refused), so the patient chooses only the refused ones again; a good note waits with them.
    "POST patient_upload:choose_photos": (
        {"photos.Photo", "photo_requests.PatientLink"},
        {Action.PHOTO_ADDED},
    ),
}


def _records() -> dict:
    """Every row of the service's own tables but the audit log: {model: {pk: {column: value}}}."""
    rows = {}
    for model in apps.get_models():
        if not model.__module__.startswith("clinical_photos.") or model._meta.app_label == "audit":
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        rows[model] = {
            row[model._meta.pk.attname]: {
                k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()
            }
            for row in model.objects.values(*names)
        }
    return rows


def _compared(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in COUNTED_ATTEMPTS}


def _changed(before: dict, after: dict, *, except_in=frozenset()) -> list[str]:
    changes = []
    for model, rows in after.items():
        if model._meta.label in except_in:
            continue
        old = before.get(model, {})
        added = set(rows) - set(old)
        removed = set(old) - set(rows)
        changed = {pk for pk in set(rows) & set(old) if _compared(rows[pk]) != _compared(old[pk])}
        for kind, pks in (("added", added), ("removed", removed), ("changed", changed)):
            if pks:
                changes.append(f"{len(pks)} {model._meta.label} {kind}")
    return changes


POSTGRES_RANGES = PostgresOperations.integer_field_ranges


def _refused_by_postgresql(model, row: dict) -> list[str]:
    """What PostgreSQL would refuse (with a 500) that SQLite stores without a word."""
    problems = []
    for f in model._meta.concrete_fields:
        value = row.get(f.attname)
        where = f"{model._meta.label}.{f.name}"
        if isinstance(value, str):
            if "\x00" in value:
                problems.append(f"{where} holds a NUL")
            if isinstance(f, models.CharField) and f.max_length and len(value) > f.max_length:
                problems.append(f"{where} is longer than {f.max_length}")
        elif isinstance(value, int) and not isinstance(value, bool):
            low, high = POSTGRES_RANGES.get(f.get_internal_type(), (None, None))
            if low is not None and not low <= value <= high:
                problems.append(f"{where} = {value} is out of its column's range")
        elif isinstance(f, models.JSONField) and "\\u0000" in json.dumps(value):
            problems.append(f"{where} holds a NUL")
    return problems


def _new_rows_postgresql_refuses(before: dict, after: dict, audit_from: int) -> list[str]:
    problems = []
    for model, rows in after.items():
        old = before.get(model, {})
        for pk, row in rows.items():
            if old.get(pk) != row:
                problems += _refused_by_postgresql(model, row)
    names = [f.attname for f in AuditEntry._meta.concrete_fields]
    for row in AuditEntry.objects.filter(sequence__gt=audit_from).values(*names):
        problems += _refused_by_postgresql(AuditEntry, row)
    return problems


def _last_audit_sequence() -> int:
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def check_what_the_user_sees(sent: Sent, target: str):
    """The checks every answer must pass; returns whether the value was refused."""
    method = target.split()[0]
    before, audit_from = sent.before, sent.audit_from
    first = sent.answers[0]
    for answer in sent.answers:
        assert answer.status_code < 500, f"a server error: {answer.status_code}"
    refused = 400 <= first.status_code < 500
    for answer in sent.answers:
        if is_html(answer) and not 300 <= answer.status_code < 400:
            check_page(answer)
    said = []
    if is_html(first) and first.status_code in (200, *range(400, 500)):
        page = read_page(first, sent.form.action)
        said = page.error_items + page.error_messages
        came_back = page.h1 == sent.form.page_h1
        if came_back and method == "POST":
            refused = True
            assert page.error_items, "the form came back without saying what is wrong"
    elif first.get("Content-Type", "").startswith("application/json") and refused:
        said = [first.json().get("error") or ""]
        assert said[0].strip(), "a refusal in JSON with no message for the patient"
    elif refused:
        pytest.fail(f"a {first.status_code} that is neither a page nor a message: {first!r}")
    for text in said:
        assert not DJANGO_DEFAULT_MESSAGE.search(text), f"Django's own wording: {text!r}"
    for answer in sent.answers:
        # A file's name is shown back to the patient when the file is refused.
        if is_html(answer):
            assert b"<img src=x" not in answer.content, "a file's name shown as markup"

    after = _records()
    if refused or method == "GET":
        may_keep, may_audit = KEPT_ON_PURPOSE.get(target, (set(), set()))
        changes = _changed(before, after, except_in=may_keep)
        assert not changes, f"saved in part: {changes}"
        done = set(
            AuditEntry.objects.filter(sequence__gt=audit_from).values_list("action", flat=True)
        )
        not_looks = done - LOOKS_AND_FAILED_ATTEMPTS - may_audit
        assert not not_looks, f"audited as done: {not_looks}"
    if not (target in DISCARD_UNSENT_PHOTOS and not refused):
        lost = set(before[Photo]) - set(after[Photo])
        assert not lost, f"{len(lost)} photo(s) lost"
    refusals = _new_rows_postgresql_refuses(before, after, audit_from)
    assert not refusals, f"stored what PostgreSQL refuses (a 500 there): {refusals}"
    return refused


# ---------------------------------------------------------------------------------------------
# The tests.


def test_the_checks_can_fail():
    """Each check above, shown catching what it is for, so that none passes for want of teeth."""
    refused = _refused_by_postgresql(Photo, {"label": "where\x00", "position": 40_000})
    assert refused == [
        "photos.Photo.position = 40000 is out of its column's range",
        "photos.Photo.label holds a NUL",
    ]
    assert _refused_by_postgresql(TextMessage, {"to": "0" * 17}) == [
        "messaging.TextMessage.to is longer than 16"
    ]
    assert DJANGO_DEFAULT_MESSAGE.search("Null characters are not allowed.")
    assert DJANGO_DEFAULT_MESSAGE.search("Ensure this value has at most 10 characters (it has 11).")
    assert DJANGO_DEFAULT_MESSAGE.search(
        "Select a valid choice. ² is not one of the available choices."
    )
    assert not DJANGO_DEFAULT_MESSAGE.search("Enter your date of birth")
    before = {Photo: {1: {"label": "where"}}}
    assert _changed(before, {Photo: {1: {"label": "where"}, 2: {"label": "where"}}}) == [
        "1 photos.Photo added"
    ]
    assert _changed(before, {Photo: {1: {"label": "close_up"}}}) == ["1 photos.Photo changed"]
    page = _PageParser("/")
    page.feed(
        '<h1>Add a user</h1><div class="nhsuk-error-summary"><ul class="nhsuk-list '
        'nhsuk-error-summary__list"><li><a href="#id_email">Enter an <b>email</b></a></li></ul>'
        '</div><form method="post"><select name="role"><option value="a">A</option>'
        '<option value="b" selected>B</option></select><textarea name="note">\nHi</textarea>'
        '<input type="checkbox" name="mine" value="yes"><input type="file" name="photo"></form>'
    )
    assert page.error_items == ["Enter an email"]
    [form] = page.forms
    assert form.fields == {
        "role": "select",
        "note": "textarea",
        "mine": "checkbox",
        "photo": "file",
    }
    assert form.defaults == [("role", "b"), ("note", "Hi")]


def _fields(target: str) -> dict[str, str]:
    extra = {name: kind for name, (kind, _) in NOT_ON_ANY_PAGE.get(target, {}).items()}
    return {**FORMS.get(target, {}), **extra}


def _cases():
    for target in sorted({*FORMS, *NOT_ON_ANY_PAGE}):
        for field_name, kind in _fields(target).items():
            values = FILE_VALUES if kind == "file" else TEXT_VALUES
            for value_name, value in values.items():
                yield pytest.param(
                    target, field_name, value, id=f"{target} {field_name}={value_name}"
                )


def _field_name(name: str, surgery: Surgery) -> str:
    return name.format(chosen_photo=surgery.photos["chosen"].id)


@pytest.mark.parametrize("target", sorted({*FORMS, *NOT_ON_ANY_PAGE}))
def test_the_good_values_are_taken(surgery, discovered, target):
    """Without this, a hostile value's refusal could be the refusal of a good one beside it."""
    sent = send(surgery, discovered, target)
    refused = check_what_the_user_sees(sent, target)
    assert not refused, f"the good values were refused: {sent.answers[0].status_code}"
    if is_html(sent.answers[0]):
        assert not read_page(sent.answers[0], sent.form.action).error_items


@pytest.mark.parametrize(("target", "field_name", "value"), list(_cases()))
def test_a_hostile_value_is_refused_clearly_or_taken_safely(
    surgery, discovered, target, field_name, value
):
    sent = send(surgery, discovered, target, _field_name(field_name, surgery), value)
    check_what_the_user_sees(sent, target)

"""Seeds the demo practice: three staff, a dozen patients, the usual kinds of request, and
photo requests at every stage (demo/history.py): photos over time in three patients' records,
answers waiting to be filed, a declined request, one waiting for photos, and two needing
attention.

Run again, it changes nothing. Every person here is made up: NHS numbers come from the range
that is never issued, and phone numbers from Ofcom's range kept for drama (07700 900xxx).
"""

import random
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from nhs_number import generate

from clinical_photos.accounts.models import Practice, Role, User
from clinical_photos.core.jinja_helpers import date_long
from clinical_photos.patients.models import Patient
from clinical_photos.photo_requests.models import RequestTemplate

from ... import history

PASSWORD = "demo-password-2026"  # noqa: S105 (the demo's published password)

STAFF = [
    ("manager@riverside.demo", "Priya Shah", Role.PRACTICE_MANAGER, True),
    ("reception@riverside.demo", "Tom Jones", Role.ADMIN, False),
    ("gp@riverside.demo", "Dr Aisha Okafor", Role.CLINICIAN, False),
]

TEMPLATES = [
    (
        "Rash",
        "We would like to see the rash you told us about, so a clinician can decide what "
        "to do next.",
        True,
    ),
    ("Mole", "We would like to see the mole or mark on your skin you are worried about.", False),
    ("Wound", "We would like to see how your wound is healing.", False),
    ("Eczema", "We would like to see how your eczema looks now.", True),
]

PATIENTS = [
    ("Olivia", "Smith", date(1984, 3, 15)),
    ("Mohammed", "Khan", date(1959, 11, 2)),
    ("Grace", "Williams", date(2012, 6, 21)),
    ("Jack", "Taylor", date(1991, 1, 30)),
    ("Amara", "Osei", date(1977, 8, 9)),
    ("Harry", "Brown", date(1948, 12, 24)),
    ("Sofia", "Kowalski", date(2003, 4, 5)),
    ("Ethan", "Evans", date(1968, 9, 17)),
    ("Mei", "Chen", date(1995, 7, 12)),
    ("Noah", "Wright", date(2019, 2, 28)),
    ("Fatima", "Ali", date(1986, 10, 3)),
    ("George", "Roberts", date(1939, 5, 1)),
]


WAITING_FOR_PHOTOS_BORN = next(born for given, _, born in PATIENTS if given == "Mei")


class Command(BaseCommand):
    help = "Create the demo practice, its staff and patients (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        practice, _ = Practice.objects.get_or_create(
            ods_code="Y99999",
            defaults={"name": "Riverside Surgery (demo)", "phone": "0161 496 0000"},
        )
        for email, name, role, guardian in STAFF:
            if not User.objects.filter(email=email).exists():
                User.objects.create_user(
                    email=email,
                    password=PASSWORD,
                    full_name=name,
                    practice=practice,
                    role=role,
                    is_caldicott_guardian=guardian,
                )
        for name, words, admins in TEMPLATES:
            RequestTemplate.objects.get_or_create(
                practice=practice,
                name=name,
                defaults={"patient_message": words, "admins_may_use": admins},
            )
        if not practice.patients.exists():
            rng = random.Random(2026)  # noqa: S311 (made-up demo data, not security)
            random.seed(2026)  # nhs_number.generate draws from the global generator
            numbers = generate(quantity=len(PATIENTS))
            for index, ((given, family, born), number) in enumerate(
                zip(PATIENTS, numbers, strict=True)
            ):
                Patient.objects.create(
                    practice=practice,
                    nhs_number=number,
                    given_name=given,
                    family_name=family,
                    date_of_birth=born,
                    mobile=f"+447700900{100 + index * 7 + rng.randint(0, 6):03d}",
                )
        # Only into a practice nobody has asked for photos yet: not again, and not over what
        # someone trying the demo has done.
        if not practice.photo_requests.exists():
            history.seed(practice)
        self.stdout.write(self.style.SUCCESS(_banner(practice)))


def _banner(practice: Practice) -> str:
    lines = [
        "",
        f"The demo is ready: {practice.name}, {practice.patients.count()} patients.",
        f"Open {settings.SERVICE_BASE_URL} and log in as one of:",
    ]
    lines += [f"  {email:<28} {role.label}" for email, _, role, _ in STAFF]
    lines += [
        f"Password for all three: {PASSWORD}",
        "The demo skips the security-code step; the real service never does.",
        "Texts are kept in the outbox (Outbox in the menu), not sent.",
        "",
        "Photos over time: Olivia Smith, Mohammed Khan and Harry Brown (log in as the clinician).",
        "Photos to file, a declined request and two that need attention: the Inbox.",
        "Mei Chen has been asked for photos: her text is in the Outbox, and her link opens",
        f"with her date of birth, {date_long(WAITING_FOR_PHOTOS_BORN)}.",
        "",
    ]
    return "\n".join(lines)

"""Patients, with NHS numbers that pass the modulus 11 check and mobiles that reach no one."""

import itertools
from collections.abc import Iterator
from datetime import date

import factory
from factory.django import DjangoModelFactory
from nhs_number import calculate_checksum

from clinical_photos.accounts.tests.factories import PracticeFactory
from clinical_photos.patients.models import Patient

# The patient most tests meet, and one more, each with a valid NHS number.
NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "9434765870"
DATE_OF_BIRTH = date(1984, 3, 7)
MOBILE = "+447700900123"


def valid_nhs_numbers(first_stem: int = 999_100_000) -> Iterator[str]:
    """NHS numbers in the 999 range, which NHS England keeps for testing, each with its right
    check digit; the stems whose check digit would be 10 have no valid number and are skipped."""
    for stem in itertools.count(first_stem):
        check = calculate_checksum(str(stem))
        if check != 10:
            yield f"{stem}{check}"


class PatientFactory(DjangoModelFactory):
    class Meta:
        model = Patient

    practice = factory.SubFactory(PracticeFactory)
    nhs_number = factory.Iterator(valid_nhs_numbers(), cycle=False)
    given_name = "Ada"
    family_name = "Lovelace"
    date_of_birth = DATE_OF_BIRTH
    # Ofcom keeps 07700 900000 to 900999 for drama: a text to one reaches no one.
    mobile = factory.Sequence(lambda n: f"+447700900{n % 1000:03d}")


def dob_form(born: date = DATE_OF_BIRTH, *, day=None, month=None, year=None) -> dict:
    """The date-of-birth boxes as a patient fills them in (any box can be given as typed)."""
    return {
        "date_of_birth_0": str(born.day if day is None else day),
        "date_of_birth_1": str(born.month if month is None else month),
        "date_of_birth_2": str(born.year if year is None else year),
    }

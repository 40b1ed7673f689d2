"""Fixtures for the patient tests: a patient, and a reader for a page's error summary."""

import html
import re
from datetime import date

import pytest

from clinical_photos.core.tests.page_checks import check_page
from clinical_photos.patients.models import Patient

# Valid NHS numbers (they pass the modulus 11 check).
NHS_NUMBER = "9434765919"
OTHER_NHS_NUMBER = "9434765870"


def make_patient(practice, *, nhs_number=NHS_NUMBER, **fields) -> Patient:
    return Patient.objects.create(
        practice=practice,
        nhs_number=nhs_number,
        given_name=fields.pop("given_name", "Amelia"),
        family_name=fields.pop("family_name", "Okonkwo-Hartley"),
        date_of_birth=fields.pop("date_of_birth", date(1984, 3, 7)),
        mobile=fields.pop("mobile", "+447700900123"),
        **fields,
    )


@pytest.fixture
def patient(practice) -> Patient:
    return make_patient(practice)


def error_summary(response) -> dict[str, str]:
    """The error summary's messages by the href each links to, after checking the page.

    Every link must point at an element on the page, or it takes the user nowhere.
    """
    page = check_page(response)
    content = response.content.decode()
    summary = re.search(r'nhsuk-error-summary__list">(.*?)</ul>', content, re.S)
    assert summary, "the page has no error summary"
    links = re.findall(r'<a href="#([^"]+)">\s*(.*?)\s*</a>', summary.group(1), re.S)
    for target, _ in links:
        assert page.ids[target] == 1, f"the error summary links to #{target}, not on the page"
    assert page.title.startswith("Error: ")
    return {f"#{target}": html.unescape(text) for target, text in links}

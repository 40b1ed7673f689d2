"""The body sites staff may pick: never an intimate area, each a well-formed SNOMED CT code."""

import pytest

from clinical_photos.photo_requests import body_sites
from clinical_photos.photo_requests.forms import PhotoRequestForm

from .factories import BREAST_STRUCTURE

# Verhoeff's tables, which SNOMED CT uses for the check digit of every identifier.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_ok(number: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


def is_snomed_concept_id(code: str) -> bool:
    """6 to 18 digits, no leading zero, partition "00" (a concept), and a good check digit."""
    return (
        code.isdigit()
        and 6 <= len(code) <= 18
        and not code.startswith("0")
        and code[-3:-1] == "00"
        and verhoeff_ok(code)
    )


def test_the_check_catches_a_mistyped_code():
    assert is_snomed_concept_id("85562004")
    assert not is_snomed_concept_id("85562005")
    assert not is_snomed_concept_id("85526004")


@pytest.mark.parametrize("site", body_sites.BODY_SITES, ids=lambda site: site.label)
def test_no_site_is_an_intimate_area(site):
    words = f"{site.display} {site.label}".lower()
    touched = [term for term in body_sites.INTIMATE_TERMS if term in words]
    assert not touched, f"{site.code} touches {touched}"


def test_the_breast_is_not_offered():
    assert body_sites.get(BREAST_STRUCTURE) is None


@pytest.mark.parametrize("site", body_sites.BODY_SITES, ids=lambda site: site.label)
def test_every_site_is_a_well_formed_snomed_concept_with_its_source(site):
    assert is_snomed_concept_id(site.code), site.code
    assert site.group in body_sites.GROUPS
    assert site.source in body_sites.SOURCES
    # The display text comes from the first source the code was read in.
    assert body_sites.CONFIRMED_IN[site.code][0] == site.source
    assert set(body_sites.CONFIRMED_IN[site.code]) <= set(body_sites.SOURCES)
    assert site.as_coding() == {
        "system": "http://snomed.info/sct",
        "code": site.code,
        "display": site.display,
    }


def test_codes_and_labels_are_each_used_once():
    codes = [site.code for site in body_sites.BODY_SITES]
    labels = [site.label for site in body_sites.BODY_SITES]
    assert len(set(codes)) == len(codes)
    assert len(set(labels)) == len(labels)
    assert set(body_sites.CONFIRMED_IN) == set(codes)


def test_the_form_offers_exactly_the_listed_sites(clinician):
    form = PhotoRequestForm(user=clinician)

    offered = [code for code, _ in form.fields["body_sites"].choices]
    assert offered == [site.code for site in body_sites.BODY_SITES]

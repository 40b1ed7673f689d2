"""What a patient's pages do beyond the journey's steps: the type they are set in."""

import pytest

from clinical_photos.photo_requests.tests.factories import token_of

from .conftest import check_accessibility

pytestmark = pytest.mark.django_db(transaction=True)


def font_of(page, selector: str) -> list[str]:
    families = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).fontFamily")
    return [family.strip().strip("'\"").lower() for family in families.split(",")]


@pytest.mark.screens("phone")
def test_the_pages_are_set_in_the_nhs_font_or_arial_never_a_serif(page, photo_request):
    # A page every patient sees first, with a form: its text and its controls.
    page.goto(f"/p/{token_of(photo_request)}")
    for element in ("body", "h1", "input", "button"):
        families = font_of(page, element)
        # Frutiger where the phone has it (the NHS font, never fetched from another host),
        # then Arial, then whatever sans-serif the phone has: never the browser's serif.
        assert families[0].startswith("frutiger"), (element, families)
        assert families[-2:] == ["arial", "sans-serif"], (element, families)
    check_accessibility(page, "patient-font")

import re

import pytest
from django.urls import reverse

from clinical_photos.core.tests.page_checks import PageClient

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@pytest.mark.django_db
def test_every_page_carries_the_strict_policy_and_headers(client):
    response = client.get(reverse("accounts:login"))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert response["Content-Security-Policy"] == EXPECTED_CSP.format(nonce=nonce)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    scripts = response.page.select("script")
    assert scripts and all(script["nonce"] == nonce for script in scripts)


@pytest.mark.django_db
def test_each_response_gets_a_fresh_nonce(client):
    first = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    second = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    assert first != second


@pytest.mark.django_db
def test_staff_pages_need_a_login(client):
    response = client.get(reverse("patients:search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(clinician):
    from conftest import logged_in_client

    client = logged_in_client(clinician)
    strict = PageClient(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post(reverse("patients:add"), {"nhs_number": "9434765919"})
    assert response.status_code == 403
    assert "This form has expired" in response.page.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "accepted"),
    [
        # What a browser sends under Referrer-Policy: no-referrer, from the service's own page.
        ({"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        # The same from another site's page.
        ({"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"}, False),
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
        ({"HTTP_ORIGIN": "null"}, False),
    ],
)
def test_form_posts_are_checked_by_origin_and_fetch_metadata(headers, accepted):
    client = PageClient(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["__Host-csrftoken"].value
    response = client.post(
        reverse("accounts:login"),
        {"email": "nobody@example.test", "password": "x", "csrfmiddlewaretoken": token},
        **headers,
    )
    assert (response.status_code == 200) is accepted
    if not accepted:
        assert "This form has expired" in response.page.text


def test_staff_pages_are_never_kept_by_the_browser(clinician):
    from conftest import logged_in_client

    response = logged_in_client(clinician).get(reverse("patients:search"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]

"""Only practice managers may open the practice pages, and only for their own practice."""

import pytest
from django.urls import reverse

PAGES = [
    ("practice:home", None),
    ("practice:users", None),
    ("practice:add_user", None),
    ("practice:disable_user", "user"),
    ("practice:enable_user", "user"),
    ("request_templates:list", None),
    ("request_templates:add", None),
    ("request_templates:edit", "template"),
    ("practice:link_lifetime", None),
]


def _url(name, kind, clinician, practice):
    if kind == "user":
        return reverse(name, args=[clinician.id])
    if kind == "template":
        return reverse(name, args=[practice.request_templates.first().id])
    return reverse(name)


@pytest.mark.parametrize(("name", "kind"), PAGES)
@pytest.mark.parametrize("client_fixture", ["clinician_client", "admin_team_client"])
def test_other_roles_are_refused(request, name, kind, client_fixture, clinician, practice):
    client = request.getfixturevalue(client_fixture)
    url = _url(name, kind, clinician, practice)

    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 403
        assert response.page.h1
        assert "You cannot open this page" in response.page.text


@pytest.mark.parametrize(
    "name", ["practice:disable_user", "practice:enable_user", "request_templates:edit"]
)
@pytest.mark.parametrize("client_fixture", ["other_manager_client", "other_clinician_client"])
def test_another_practices_staff_get_not_found(request, name, client_fixture, clinician, practice):
    """Whatever their role: the id is looked up in their own practice before the role check."""
    client = request.getfixturevalue(client_fixture)
    url = _url(name, "template" if "template" in name else "user", clinician, practice)

    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 404
        assert response.page.h1


def test_logged_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("practice:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_home_links_to_each_section_and_shows_link_lifetime(manager_client, practice):
    practice.link_lifetime_days = 9
    practice.save()

    response = manager_client.get(reverse("practice:home"))

    assert response.status_code == 200
    page = response.page
    for name in ("practice:users", "request_templates:list", "practice:link_lifetime"):
        assert reverse(name) in page.hrefs("main")
    assert "9 days" in page.text

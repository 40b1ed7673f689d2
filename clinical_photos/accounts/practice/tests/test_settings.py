"""How long patients' links last."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry

URL = reverse("practice:link_lifetime")


def test_manager_sees_the_current_lifetime(manager_client, practice):
    response = manager_client.get(URL)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "How long links last"
    assert page.form().value("link_lifetime_days") == "7"


def test_manager_changes_the_lifetime(manager_client, manager, practice):
    response = manager_client.post(URL, {"link_lifetime_days": "10"})

    assert response.status_code == 302
    assert response["Location"] == reverse("practice:home")
    practice.refresh_from_db()
    assert practice.link_lifetime_days == 10
    entries = AuditEntry.objects.filter(action=Action.PRACTICE_SETTINGS_CHANGED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == manager
    assert entry.practice == practice
    assert entry.detail == {"field": "link_lifetime_days", "from": 7, "to": 10}

    home = manager_client.get(response["Location"])
    assert home.page.h1
    assert "Links sent from now on will last 10 days" in home.page.text


def test_saving_the_same_lifetime_changes_nothing(manager_client, practice):
    response = manager_client.post(URL, {"link_lifetime_days": "7"}, follow=True)

    assert response.page.h1
    assert "Nothing was changed" in response.page.text
    assert not AuditEntry.objects.filter(action=Action.PRACTICE_SETTINGS_CHANGED).exists()


@pytest.mark.parametrize("value", ["", "0", "15", "-3", "seven", "2.5", "100000000000000"])
def test_a_bad_number_of_days_is_refused(manager_client, practice, value):
    response = manager_client.post(URL, {"link_lifetime_days": value})

    assert response.status_code == 200
    page = response.page
    assert page.title.startswith("Error: How long links last")
    assert page.error_summary() == {"#id_link_lifetime_days": "Enter a number of days from 1 to 14"}
    practice.refresh_from_db()
    assert practice.link_lifetime_days == 7
    assert not AuditEntry.objects.filter(action=Action.PRACTICE_SETTINGS_CHANGED).exists()


@pytest.mark.parametrize("value", ["1", "14", " 3 "])
def test_the_ends_of_the_range_are_allowed(manager_client, practice, value):
    manager_client.post(URL, {"link_lifetime_days": value})

    practice.refresh_from_db()
    assert practice.link_lifetime_days == int(value)

"""The practice manager's request templates: list, add and change."""

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.photo_requests.models import RequestTemplate

LIST_URL = reverse("request_templates:list")
ADD_URL = reverse("request_templates:add")
NEVER_INTIMATE = "This service must never be used to ask for photos of"


def _edit_url(template) -> str:
    return reverse("request_templates:edit", args=[template.id])


def _template_data(**overrides) -> dict:
    return {
        "name": "Wound",
        "patient_message": "We would like to see how your wound is healing.",
        **overrides,
    }


@pytest.fixture
def rash(practice) -> RequestTemplate:
    return practice.request_templates.get(name="Rash")


# The list


def test_manager_sees_the_practices_templates_only(manager_client, practice, other_practice):
    mole = practice.request_templates.get(name="Mole")
    mole.is_active = False
    mole.save()
    RequestTemplate.objects.create(
        practice=other_practice, name="Insect bite", patient_message="Show us the bite."
    )

    response = manager_client.get(LIST_URL)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Request templates"
    assert "Rash" in page.text and "Mole" in page.text
    assert "Insect bite" not in page.source
    assert "Not active" in page.text
    for template in practice.request_templates.all():
        assert _edit_url(template) in page.hrefs("main")


# Adding a template


def test_manager_sees_the_add_form(manager_client):
    response = manager_client.get(ADD_URL)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Add a request template"
    form = page.form()
    assert form.element.select_one("[data-maxlength]")["data-maxlength"] == "600"
    assert "admins_may_use" in form.names
    # A new template is always active: there is nothing to switch off yet.
    assert "is_active" not in form.names
    assert 'name="is_active"' not in page.source


def test_manager_adds_a_template(manager_client, manager, practice):
    response = manager_client.post(ADD_URL, _template_data(admins_may_use="on"), follow=True)

    assert response.page.h1
    assert "The template Wound has been added" in response.page.text
    template = practice.request_templates.get(name="Wound")
    assert template.patient_message == "We would like to see how your wound is healing."
    assert template.admins_may_use
    assert template.is_active
    entries = AuditEntry.objects.filter(action=Action.TEMPLATE_CREATED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == manager
    assert entry.object_id == str(template.id)
    assert entry.detail == {"admins_may_use": True}


def test_the_admin_team_may_not_use_a_new_template_unless_ticked(manager_client, practice):
    manager_client.post(ADD_URL, _template_data())

    assert not practice.request_templates.get(name="Wound").admins_may_use


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_template_data(name=""), "name", "Enter a name for the template"),
        (_template_data(name="  "), "name", "Enter a name for the template"),
        (_template_data(name="x" * 61), "name", "Name must be 60 characters or fewer"),
        (_template_data(patient_message=""), "patient_message", "Enter what the patient reads"),
        (
            _template_data(patient_message="x" * 601),
            "patient_message",
            "What the patient reads must be 600 characters or fewer",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(manager_client, practice, data, field, message):
    response = manager_client.post(ADD_URL, data)

    assert response.status_code == 200
    page = response.page
    assert page.title.startswith("Error: Add a request template")
    errors = page.error_summary()
    assert list(errors) == [f"#id_{field}"]
    assert message in errors[f"#id_{field}"]
    assert practice.request_templates.count() == 2
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CREATED).exists()


@pytest.mark.parametrize("name", ["Rash", "rash", " RASH "])
def test_a_name_already_used_in_the_practice_is_refused(manager_client, practice, name):
    response = manager_client.post(ADD_URL, _template_data(name=name))

    assert response.status_code == 200
    assert response.page.h1
    assert "Your practice already has a template with this name" in response.page.text
    assert practice.request_templates.count() == 2
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CREATED).exists()


def test_a_name_used_by_another_practice_is_fine(manager_client, practice, other_practice):
    RequestTemplate.objects.create(
        practice=other_practice, name="Wound", patient_message="Show us the wound."
    )

    manager_client.post(ADD_URL, _template_data())

    assert practice.request_templates.filter(name="Wound").exists()


@pytest.mark.parametrize(
    ("field", "text", "word"),
    [
        ("name", "Breast lump", "Breast"),
        ("name", "GROIN rash", "GROIN"),
        ("patient_message", "Please send a photo of the rash on your buttock.", "buttock"),
        ("patient_message", "We would like to see your genitals.", "genitals"),
        ("patient_message", "The area near the anus.", "anus"),
        ("patient_message", "A perianal rash.", "perianal"),
        ("patient_message", "Anal itching.", "Anal"),
        ("patient_message", "The nipple area.", "nipple"),
        ("patient_message", "Swelling of the testicle.", "testicle"),
        ("patient_message", "Sores on the vulva or vagina.", "vulva"),
        ("patient_message", "Your penis or scrotum.", "penis"),
        ("patient_message", "The labia.", "labia"),
    ],
)
def test_intimate_areas_are_refused(manager_client, practice, field, text, word):
    response = manager_client.post(ADD_URL, _template_data(**{field: text}))

    assert response.status_code == 200
    errors = response.page.error_summary()
    assert list(errors) == [f"#id_{field}"]
    assert NEVER_INTIMATE in response.page.text
    assert f'Remove "{word}"' in errors[f"#id_{field}"]
    assert practice.request_templates.count() == 2
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CREATED).exists()


@pytest.mark.parametrize(
    "text", ["Take an analgesic first.", "Show us the rash on your upper arm.", "Breastbone"]
)
def test_words_that_only_contain_an_intimate_word_are_fine(manager_client, practice, text):
    manager_client.post(ADD_URL, _template_data(patient_message=text))

    assert practice.request_templates.filter(name="Wound").exists()


# Changing a template


def test_manager_sees_the_template_in_the_edit_form(manager_client, rash):
    response = manager_client.get(_edit_url(rash))

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Change a request template"
    form = page.form()
    assert form.value("patient_message") == rash.patient_message
    assert "is_active" in form.names
    assert form.checked("admins_may_use") == ["on"]


def test_manager_changes_a_template(manager_client, manager, rash):
    response = manager_client.post(
        _edit_url(rash),
        {"name": "Rash or spots", "patient_message": rash.patient_message, "is_active": "on"},
        follow=True,
    )

    assert response.page.h1
    assert "The template Rash or spots has been changed" in response.page.text
    rash.refresh_from_db()
    assert rash.name == "Rash or spots"
    assert not rash.admins_may_use
    assert rash.is_active
    entries = AuditEntry.objects.filter(action=Action.TEMPLATE_CHANGED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.user == manager
    assert entry.object_id == str(rash.id)
    assert entry.detail == {"fields": ["name", "admins_may_use"], "admins_may_use": False}


def test_manager_switches_a_template_off(manager_client, rash):
    manager_client.post(
        _edit_url(rash),
        {"name": rash.name, "patient_message": rash.patient_message, "admins_may_use": "on"},
    )

    rash.refresh_from_db()
    assert not rash.is_active
    entry = AuditEntry.objects.get(action=Action.TEMPLATE_CHANGED)
    assert entry.detail == {"fields": ["is_active"], "is_active": False}


def test_saving_without_a_change_writes_nothing(manager_client, rash):
    response = manager_client.post(
        _edit_url(rash),
        {
            "name": rash.name,
            "patient_message": rash.patient_message,
            "admins_may_use": "on",
            "is_active": "on",
        },
        follow=True,
    )

    assert response.page.h1
    assert "Nothing was changed" in response.page.text
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


def test_renaming_to_another_templates_name_is_refused(manager_client, rash):
    response = manager_client.post(
        _edit_url(rash), {"name": "mole", "patient_message": rash.patient_message}
    )

    assert response.status_code == 200
    page = response.page
    assert page.title.startswith("Error: Change a request template")
    assert "Your practice already has a template with this name" in response.page.text
    rash.refresh_from_db()
    assert rash.name == "Rash"
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


def test_changing_the_case_of_its_own_name_is_fine(manager_client, rash):
    manager_client.post(
        _edit_url(rash),
        {"name": "RASH", "patient_message": rash.patient_message, "is_active": "on"},
    )

    rash.refresh_from_db()
    assert rash.name == "RASH"


def test_an_intimate_area_cannot_be_added_by_changing_a_template(manager_client, rash):
    response = manager_client.post(
        _edit_url(rash),
        {
            "name": rash.name,
            "patient_message": "Show us the rash in your groin.",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert response.page.h1
    assert NEVER_INTIMATE in response.page.text
    rash.refresh_from_db()
    assert "groin" not in rash.patient_message
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CHANGED).exists()


def test_an_old_template_that_names_an_intimate_area_can_still_be_switched_off(
    manager_client, practice
):
    old = RequestTemplate.objects.create(
        practice=practice, name="Groin rash", patient_message="Show us the rash."
    )

    kept_on = manager_client.post(
        _edit_url(old),
        {"name": old.name, "patient_message": old.patient_message, "is_active": "on"},
    )
    assert NEVER_INTIMATE in kept_on.page.text

    manager_client.post(_edit_url(old), {"name": old.name, "patient_message": old.patient_message})

    old.refresh_from_db()
    assert not old.is_active


def test_another_practices_template_cannot_be_changed(manager_client, other_practice):
    theirs = other_practice.request_templates.get(name="Rash")

    response = manager_client.post(
        _edit_url(theirs), {"name": "Changed", "patient_message": "Changed."}
    )

    assert response.status_code == 404
    assert response.page.h1
    theirs.refresh_from_db()
    assert theirs.name == "Rash"
    assert not AuditEntry.objects.filter(action=Action.TEMPLATE_CHANGED).exists()

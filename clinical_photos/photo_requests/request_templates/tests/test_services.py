"""The request template services check who is acting and what the words say, whatever calls them."""

import pytest
from django.core.exceptions import PermissionDenied

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import UserFactory
from clinical_photos.audit.models import AuditEntry
from clinical_photos.photo_requests.request_templates import services


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("breasts", "breasts"),
        ("Left BUTTOCK", "BUTTOCK"),
        ("peri-anal skin", "anal"),
        ("rash, groin.", "groin"),
        ("analgesia", None),
        ("anaesthetic", None),
        ("grown", None),
        ("", None),
    ],
)
def test_find_intimate_word(text, word):
    assert services.find_intimate_word(text) == word


@pytest.mark.parametrize("acting", ["clinician", "admin_user", "other_clinician"])
def test_only_the_practices_own_manager_may_change_a_template(request, acting, practice):
    by = request.getfixturevalue(acting)
    rash = practice.request_templates.get(name="Rash")

    with pytest.raises(PermissionDenied):
        services.change_template(by=by, template=rash, name="Spots")
    with pytest.raises(PermissionDenied):
        services.add_template(by=by, name="Wound", patient_message="Show us", admins_may_use=False)
    assert not AuditEntry.objects.exists()


def test_another_practices_manager_may_not_change_a_template(practice, other_practice):
    other_manager = UserFactory(practice=other_practice, role=Role.PRACTICE_MANAGER)
    rash = practice.request_templates.get(name="Rash")

    with pytest.raises(PermissionDenied):
        services.change_template(by=other_manager, template=rash, name="Spots")
    assert not AuditEntry.objects.exists()


def test_the_service_refuses_intimate_words_too(manager):
    with pytest.raises(services.IntimateAreaMentioned):
        services.add_template(
            by=manager, name="Lump", patient_message="The breast lump", admins_may_use=False
        )
    assert not AuditEntry.objects.exists()


def test_a_duplicate_template_name_is_refused_even_past_the_form(manager):
    with pytest.raises(services.DuplicateTemplateName):
        services.add_template(
            by=manager, name="Rash", patient_message="Again", admins_may_use=False
        )
    assert not AuditEntry.objects.exists()

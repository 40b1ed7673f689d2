"""Finding a patient: by NHS number or name, only at the user's own practice, and audited."""

import json

import pytest
from django.urls import reverse

from clinical_photos.audit.models import Action, AuditEntry

from .factories import NHS_NUMBER, OTHER_NHS_NUMBER, PatientFactory

SEARCH = reverse("patients:search")


def search(client, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    return response.page


def found(page) -> list[str]:
    """The patients a search lists, each by the address of their page."""
    add = reverse("patients:add")
    return [h for h in page.hrefs("main") if h.startswith("/patients/") and h != add]


def patient_link(patient) -> str:
    return reverse("patients:detail", args=[patient.id])


def test_the_search_page_renders_without_a_search(clinician_client):
    response = clinician_client.get(SEARCH)

    page = response.page
    assert page.h1 == "Find a patient"
    assert "No patients found" not in page.source
    # Opening the page searched for nothing, so nothing is recorded.
    assert not AuditEntry.objects.filter(action=Action.PATIENT_SEARCHED).exists()


@pytest.mark.parametrize(
    "query",
    [
        "943 476 5919",
        "9434765919",
        "943-476-5919",
        " 943 476 ",
        "okonkwo",
        "HARTLEY",
        "Amel",
        "Amelia Okonkwo-Hartley",
        "okonkwo amelia",
    ],
)
def test_a_patient_is_found_by_nhs_number_or_name(clinician_client, patient, query):
    page = search(clinician_client, query)

    assert "1 patient found" in page.text
    assert found(page) == [patient_link(patient)]
    assert "943 476 5919" in page.text


def test_every_word_of_a_name_must_match(clinician_client, patient):
    page = search(clinician_client, "Amelia Smith")

    assert "No patients found" in page.text
    assert patient_link(patient) not in page.source


def test_no_results_says_what_to_check(clinician_client, patient):
    page = search(clinician_client, "Zebedee")

    assert "No patients found" in page.text
    assert "Check the NHS number or the spelling of the name, or add the patient." in page.text


def test_several_results_are_all_listed(clinician_client, practice, patient):
    brother = PatientFactory(
        practice=practice,
        nhs_number=OTHER_NHS_NUMBER,
        given_name="Tobias",
        family_name="Okonkwo-Hartley",
    )

    page = search(clinician_client, "Okonkwo")

    assert "2 patients found" in page.text
    assert sorted(found(page)) == sorted([patient_link(patient), patient_link(brother)])


def test_another_practices_patients_never_appear(
    clinician_client, practice, other_practice, patient
):
    same_number = PatientFactory(
        practice=other_practice, nhs_number=NHS_NUMBER, family_name="Okonkwo-Hartley"
    )
    own_number = PatientFactory(
        practice=other_practice, nhs_number=OTHER_NHS_NUMBER, given_name="Zara"
    )

    by_name = search(clinician_client, "Okonkwo")
    by_number = search(clinician_client, OTHER_NHS_NUMBER)
    by_their_name = search(clinician_client, "Zara")

    assert "1 patient found" in by_name.text
    assert found(by_name) == [patient_link(patient)]
    assert patient_link(same_number) not in by_name.source
    assert "No patients found" in by_number.text
    assert "No patients found" in by_their_name.text
    assert patient_link(own_number) not in by_number.source + by_their_name.source


def test_a_search_writes_one_audit_entry_without_what_was_searched(
    clinician_client, clinician, patient
):
    search(clinician_client, "943 476 5919")

    entry = AuditEntry.objects.get(action=Action.PATIENT_SEARCHED)
    assert entry.user == clinician
    assert entry.detail == {"results": 1}
    stored = json.dumps(entry.detail) + entry.object_id
    assert "943" not in stored and "9434765919" not in stored


def test_a_name_search_with_no_results_is_audited_without_the_name(clinician_client, patient):
    search(clinician_client, "Zebedee")

    entry = AuditEntry.objects.get(action=Action.PATIENT_SEARCHED)
    assert entry.detail == {"results": 0}
    assert "Zebedee" not in json.dumps(entry.detail)


def test_a_search_that_is_too_long_says_so(clinician_client):
    response = clinician_client.get(reverse("patients:search"), {"q": "x" * 101})
    page = response.page
    assert page.title.startswith("Error: ")
    assert "Search for 100 characters or fewer" in page.text

"""Adding a patient: what is saved, and the message each mistake gets."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from nhs_number import is_valid

from clinical_photos.audit.models import Action, AuditEntry
from clinical_photos.patients import services
from clinical_photos.patients.models import Patient

from .factories import NHS_NUMBER, OTHER_NHS_NUMBER, PatientFactory

ADD = reverse("patients:add")


def form_data(**changes) -> dict:
    data = {
        "nhs_number": "943 476 5919",
        "given_name": "Amelia",
        "family_name": "Okonkwo-Hartley",
        "date_of_birth_0": "7",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1984",
        "mobile": "07700 900 982",
    }
    data.update(changes)
    return data


def test_the_add_page_renders(clinician_client):
    response = clinician_client.get(ADD)

    assert response.status_code == 200
    page = response.page
    assert page.h1 == "Add a patient"
    assert not page.title.startswith("Error")


def test_the_page_draws_the_fields_the_form_reads(clinician_client):
    """A browser sends the names the page draws: each one the form needs must be there."""
    form = clinician_client.get(ADD).page.form()

    assert set(form_data()) <= form.names


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900 982", "+447700900982"),
        ("+44 7700 900982", "+447700900982"),
        ("07911 123456", "+447911123456"),
    ],
)
def test_adding_a_patient_saves_them_and_opens_their_page(
    clinician_client, clinician, practice, typed, stored
):
    response = clinician_client.post(ADD, form_data(mobile=typed))

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("patients:detail", args=[patient.id])
    assert patient.practice == practice
    assert patient.created_by == clinician
    assert patient.nhs_number == NHS_NUMBER
    assert patient.given_name == "Amelia"
    assert patient.family_name == "Okonkwo-Hartley"
    assert patient.date_of_birth == date(1984, 3, 7)
    assert patient.mobile == stored

    page = clinician_client.get(response["Location"])
    assert page.page.notification_banners() == ["Amelia Okonkwo-Hartley has been added"]


def test_adding_a_patient_writes_one_audit_entry(clinician_client, clinician):
    clinician_client.post(ADD, form_data())

    patient = Patient.objects.get()
    entry = AuditEntry.objects.get(action=Action.PATIENT_CREATED)
    assert entry.user == clinician
    assert entry.practice == clinician.practice
    assert (entry.object_type, entry.object_id) == ("patient", str(patient.id))
    assert NHS_NUMBER not in str(entry.detail)
    assert "Amelia" not in str(entry.detail)


def test_an_empty_form_says_what_each_field_needs(clinician_client):
    response = clinician_client.post(ADD, {key: "" for key in form_data()})

    assert response.status_code == 200
    assert response.page.error_summary() == {
        "#id_nhs_number": "Enter the patient's NHS number",
        "#id_given_name": "Enter the patient's first name",
        "#id_family_name": "Enter the patient's last name",
        "#id_date_of_birth_0": "Enter a date of birth",
        "#id_mobile": "Enter the patient's mobile phone number",
    }
    assert not Patient.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.PATIENT_CREATED).exists()


def test_names_of_only_spaces_count_as_empty(clinician_client):
    response = clinician_client.post(ADD, form_data(given_name="   ", family_name="  "))

    errors = response.page.error_summary()
    assert errors["#id_given_name"] == "Enter the patient's first name"
    assert errors["#id_family_name"] == "Enter the patient's last name"
    assert not Patient.objects.exists()


@pytest.mark.parametrize("typed", ["943 476 591", "94347659190", "943476591X", "ABCDEFGHIJ"])
def test_an_nhs_number_that_is_not_10_digits_is_refused(clinician_client, typed):
    response = clinician_client.post(ADD, form_data(nhs_number=typed))

    assert response.page.error_summary() == {
        "#id_nhs_number": "NHS number must be 10 digits, like 485 777 3456"
    }
    assert not Patient.objects.exists()


def test_an_nhs_number_that_fails_the_check_digit_is_refused(clinician_client):
    wrong_check_digit = NHS_NUMBER[:9] + str((int(NHS_NUMBER[9]) + 1) % 10)
    assert is_valid(NHS_NUMBER) and not is_valid(wrong_check_digit)

    response = clinician_client.post(ADD, form_data(nhs_number=wrong_check_digit))

    assert response.page.error_summary() == {
        "#id_nhs_number": "This is not a valid NHS number. Check each digit and try again"
    }
    assert not Patient.objects.exists()


def test_a_landline_is_refused_because_it_cannot_get_a_text(clinician_client):
    response = clinician_client.post(ADD, form_data(mobile="0161 496 0000"))

    errors = response.page.error_summary()
    assert list(errors) == ["#id_mobile"]
    assert "This is not a mobile number, so it cannot get a text message" in errors["#id_mobile"]
    assert not Patient.objects.exists()


@pytest.mark.parametrize(
    "typed", ["+33 6 12 34 56 78", "+1 202 555 0143", "07700 9009821", "not a number"]
)
def test_a_number_that_is_not_a_uk_mobile_is_refused(clinician_client, typed):
    response = clinician_client.post(ADD, form_data(mobile=typed))

    assert response.page.error_summary() == {
        "#id_mobile": "Enter a UK mobile phone number, like 07700 900 982"
    }
    assert not Patient.objects.exists()


def test_fictional_drama_numbers_are_refused_outside_the_demo(clinician_client, settings):
    settings.ACCEPT_FICTIONAL_PHONE_NUMBERS = False
    response = clinician_client.post(ADD, form_data(mobile="07700 900 982"))

    assert "#id_mobile" in response.page.error_summary()
    assert not Patient.objects.exists()


def _tomorrow():
    day = timezone.localdate() + timedelta(days=1)
    return str(day.day), str(day.month), str(day.year)


@pytest.mark.parametrize(
    ("day_month_year", "message"),
    [
        (("31", "02", "1990"), "Date of birth must be a real date"),
        (("15", "13", "1990"), "Date of birth must be a real date"),
        (("15", "3", ""), "Date of birth must include a year"),
        (("", "", "1990"), "Date of birth must include a day and a month"),
        (("15", "3", "84"), "Year must include 4 numbers, like 1984"),
        (("15", "3", "19845"), "Year must include 4 numbers, like 1984"),
        (("031", "3", "1984"), "Date of birth must be a real date"),
        (("fi", "ve", "1990"), "Date of birth must be a real date"),
        (_tomorrow(), "Date of birth must be in the past"),
    ],
)
def test_a_date_of_birth_that_is_not_right_is_refused(clinician_client, day_month_year, message):
    day, month, year = day_month_year

    response = clinician_client.post(
        ADD, form_data(date_of_birth_0=day, date_of_birth_1=month, date_of_birth_2=year)
    )

    assert response.page.error_summary() == {"#id_date_of_birth_0": message}
    assert not Patient.objects.exists()
    # What was typed stays in the boxes, to be corrected rather than typed again.
    if year:
        assert response.page.form().value("date_of_birth_2") == year


def test_good_fields_keep_their_values_when_another_is_wrong(clinician_client):
    response = clinician_client.post(ADD, form_data(mobile="0161 496 0000"))

    form = response.page.form()
    assert form.value("nhs_number") == "943 476 5919"
    assert form.value("family_name") == "Okonkwo-Hartley"


def test_a_patient_already_at_the_practice_is_refused_with_a_link_to_them(
    clinician_client, practice
):
    existing = PatientFactory(practice=practice, nhs_number=NHS_NUMBER)

    response = clinician_client.post(ADD, form_data())

    assert response.page.error_summary() == {
        "#id_nhs_number": "A patient with this NHS number is already registered at your practice"
    }
    assert reverse("patients:detail", args=[existing.id]) in response.page.hrefs("main")
    assert Patient.objects.count() == 1
    assert not AuditEntry.objects.filter(action=Action.PATIENT_CREATED).exists()


def test_the_same_nhs_number_may_be_added_at_another_practice(
    clinician_client, practice, other_practice
):
    PatientFactory(practice=other_practice, nhs_number=NHS_NUMBER)

    response = clinician_client.post(ADD, form_data())

    assert response.status_code == 302
    assert Patient.objects.filter(nhs_number=NHS_NUMBER).count() == 2
    assert practice.patients.get().nhs_number == NHS_NUMBER


def test_a_different_nhs_number_at_the_same_practice_is_fine(clinician_client, practice):
    PatientFactory(practice=practice, nhs_number=NHS_NUMBER)

    response = clinician_client.post(ADD, form_data(nhs_number=OTHER_NHS_NUMBER))

    assert response.status_code == 302
    assert practice.patients.count() == 2


def test_two_people_adding_the_same_patient_at_once_saves_one(clinician, admin_user):
    """The form's check passed for both; the database refuses the second."""
    fields = {
        "nhs_number": NHS_NUMBER,
        "given_name": "Amelia",
        "family_name": "Okonkwo-Hartley",
        "date_of_birth": date(1984, 3, 7),
        "mobile": "+447700900982",
    }
    services.add_patient(by=clinician, **fields)

    with pytest.raises(services.DuplicatePatient):
        services.add_patient(by=admin_user, **fields)

    assert Patient.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.PATIENT_CREATED).count() == 1

from django.db import IntegrityError, transaction

from clinical_photos.accounts.models import User
from clinical_photos.accounts.permissions import Permission, require
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import record

from .models import Patient


class DuplicatePatient(Exception):
    """Another member of staff added the same NHS number a moment ago."""


def add_patient(
    *, by: User, nhs_number: str, given_name: str, family_name: str, date_of_birth, mobile: str
) -> Patient:
    require(by, Permission.ADD_PATIENTS)
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                practice=by.practice,
                nhs_number=nhs_number,
                given_name=given_name,
                family_name=family_name,
                date_of_birth=date_of_birth,
                mobile=mobile,
                created_by=by,
            )
            record(Action.PATIENT_CREATED, user=by, target=patient)
    except IntegrityError as error:
        # The form checked, but two people can add the same patient at the same moment.
        raise DuplicatePatient from error
    return patient


def record_patient_viewed(*, by: User, patient: Patient) -> None:
    with transaction.atomic():
        record(Action.PATIENT_VIEWED, user=by, target=patient)

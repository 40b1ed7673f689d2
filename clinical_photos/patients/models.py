import uuid
from datetime import date

from django.db import models
from django.db.models.functions import Lower


class PatientQuerySet(models.QuerySet):
    def search(self, query: str) -> "PatientQuerySet":
        """Find by NHS number (spaces allowed) or by any part of the name."""
        query = query.strip()
        digits = query.replace(" ", "").replace("-", "")
        if digits.isdigit():
            return self.filter(nhs_number__startswith=digits)
        patients = self
        for word in query.split():
            patients = patients.filter(
                models.Q(given_name__icontains=word) | models.Q(family_name__icontains=word)
            )
        return patients


class Patient(models.Model):
    """A patient in the practice's own index (not yet linked to a GP clinical system)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(
        "accounts.Practice", on_delete=models.PROTECT, related_name="patients"
    )
    nhs_number = models.CharField("NHS number", max_length=10)
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    date_of_birth = models.DateField("Date of birth")
    # E.164, as phonenumbers writes it: +447700900123.
    mobile = models.CharField("Mobile phone number", max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = [Lower("family_name"), Lower("given_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "nhs_number"], name="one_patient_per_nhs_number_per_practice"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

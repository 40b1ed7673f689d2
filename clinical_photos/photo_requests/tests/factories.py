"""Request templates and photo requests.

`PhotoRequestFactory` makes only the row, with no link and no text: for tests of what happens
to a text. `make_request` asks for photos the way staff do, through the service, so the request
has its link and its text like any other.
"""

import re
import secrets
from datetime import timedelta

import factory
from django.conf import settings
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinical_photos.accounts.models import Role
from clinical_photos.accounts.tests.factories import UserFactory
from clinical_photos.messaging.models import TextMessage
from clinical_photos.patients.tests.factories import PatientFactory
from clinical_photos.photo_requests import services
from clinical_photos.photo_requests.models import PatientLink, PhotoRequest, RequestTemplate

# SNOMED CT body structures offered to staff (see photo_requests/body_sites.py for the source).
HAND = "85562004"
FOREARM = "14975008"
KNEE = "72696002"
# A SNOMED CT body structure for the breast: never offered, so never accepted.
BREAST_STRUCTURE = "76752008"

LINK = re.compile(re.escape(settings.SERVICE_BASE_URL) + r"/p/([A-Za-z0-9_-]+)")


class RequestTemplateFactory(DjangoModelFactory):
    class Meta:
        model = RequestTemplate

    practice = factory.SubFactory("clinical_photos.accounts.tests.factories.PracticeFactory")
    name = factory.Sequence(lambda n: f"Wound {n}")
    patient_message = "We would like to see how your wound is healing."
    admins_may_use = False


class PhotoRequestFactory(DjangoModelFactory):
    class Meta:
        model = PhotoRequest

    patient = factory.SubFactory(PatientFactory)
    practice = factory.SelfAttribute("patient.practice")
    requested_by = factory.SubFactory(
        UserFactory, practice=factory.SelfAttribute("..practice"), role=Role.CLINICIAN
    )
    template = factory.LazyAttribute(lambda r: r.practice.request_templates.get(name="Rash"))
    reason = factory.SelfAttribute("template.patient_message")
    body_site_codes = factory.LazyFunction(lambda: [HAND])


class PatientLinkFactory(DjangoModelFactory):
    """A link to a request, made without a text: nobody holds its token."""

    class Meta:
        model = PatientLink

    photo_request = factory.SubFactory(PhotoRequestFactory)
    token_sha256 = factory.LazyFunction(lambda: PatientLink.hash_token(secrets.token_urlsafe(18)))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda link: (
            link.created_at + timedelta(days=link.photo_request.practice.link_lifetime_days)
        )
    )


def make_request(by, patient, *, template_name="Rash", sites=(HAND,), note="") -> PhotoRequest:
    """`by` asks `patient` for photos: the request, its link and the text with the link."""
    return services.create_request(
        by=by,
        patient=patient,
        template=by.practice.request_templates.get(name=template_name),
        body_site_codes=list(sites),
        note_to_patient=note,
    )


def texts_for(photo_request) -> list[TextMessage]:
    return list(TextMessage.objects.filter(photo_request=photo_request).order_by("created_at"))


def token_in(message: TextMessage) -> str:
    """The token in the link of a text, as the patient reads it."""
    [token] = LINK.findall(message.body)
    return token


def token_of(photo_request) -> str:
    """The token in the newest text of a request: the link the patient can use now."""
    return token_in(texts_for(photo_request)[-1])

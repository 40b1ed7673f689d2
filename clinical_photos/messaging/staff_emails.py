"""Emails to staff: telling the person who asked that the patient has answered.

The email says only that a patient has answered, with a link to the request: no name, no NHS
number, nothing clinical, and not whether photos were sent. Email leaves the NHS's systems and
can be read on a locked phone's screen; the page behind the link needs a login.

`tell_requester` is called inside the transaction that records the answer: with the database
task backend the task's row commits with the answer, or neither does.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from clinical_photos.accounts.models import User
from clinical_photos.audit.models import Action
from clinical_photos.audit.services import Ref, record

logger = logging.getLogger(__name__)

SUBJECT = "A patient has answered your photo request"
# Waits between tries when the mail server cannot be reached: 1, 5 and 30 minutes.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


def request_url(photo_request_id) -> str:
    path = reverse("photo_requests:detail", kwargs={"request_id": photo_request_id})
    return f"{settings.SERVICE_BASE_URL.rstrip('/')}{path}"


def email_body(photo_request_id) -> str:
    return (
        "A patient has answered your photo request.\n\n"
        f"Open it: {request_url(photo_request_id)}\n\n"
        "You will need to log in to see it. This email is sent by the clinical photos service "
        "and holds no details about the patient.\n"
    )


def tell_requester(photo_request) -> None:
    """Queue the email to the member of staff who made `photo_request`.

    Call it in the transaction that records the patient's answer.
    """
    about = Ref.to(photo_request)
    send_answer_email.enqueue(about.model_name, about.id, str(photo_request.requested_by_id))


@task
def send_answer_email(about_type: str, photo_request_id: str, requester_id: str, attempt=1) -> str:
    """Send the email. Takes only ids: task arguments are stored in a table."""
    staff = User.objects.select_related("practice").filter(pk=requester_id).first()
    if staff is None:
        return "missing"
    if not staff.is_active or not staff.email:
        # Nobody to tell; the practice inbox still shows the answer.
        return "no recipient"
    try:
        send_mail(SUBJECT, email_body(photo_request_id), settings.DEFAULT_FROM_EMAIL, [staff.email])
    except (OSError, smtplib.SMTPException):
        logger.warning("The email for request %s was not sent (try %s).", photo_request_id, attempt)
        if attempt > len(RETRY_DELAYS):
            return "failed"
        backend = send_answer_email.get_backend()
        if backend.supports_defer:
            send_answer_email.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
                about_type, photo_request_id, requester_id, attempt + 1
            )
            return "retrying"
        return "failed"
    with transaction.atomic():
        record(
            Action.EMAIL_SENT,
            practice=staff.practice,
            target=Ref(about_type, photo_request_id),
            detail={"to_user": str(staff.id), "attempt": attempt},
        )
    return "sent"


# Reviews: photos filed for a clinician to look at, and reviews not done in time.

REVIEW_EMAILS = {
    # kind: (subject, first line, the page it links to)
    "to_review": (
        "Photos are ready for you to review",
        "Photos a patient sent have been filed and are ready for you to review.",
        "review:detail",
    ),
    # To practice managers, who cannot see photos: the page to give the review to someone.
    "overdue": (
        "Photos have not been reviewed in time",
        "Photos filed at your practice have not been reviewed in the time the practice set. "
        "They are at the top of the practice's review queue. You can give them to a "
        "clinician to review.",
        "review:assign",
    ),
}


def review_email_body(kind: str, review_id) -> str:
    path = reverse(REVIEW_EMAILS[kind][2], kwargs={"review_id": review_id})
    return (
        f"{REVIEW_EMAILS[kind][1]}\n\n"
        f"Open it: {settings.SERVICE_BASE_URL.rstrip('/')}{path}\n\n"
        "You will need to log in to see it. This email is sent by the clinical photos service "
        "and holds no details about the patient.\n"
    )


def tell_about_review(review, kind: str, to) -> None:
    """Queue `kind`'s email about `review` to each of the users `to`, in the caller's
    transaction (as `tell_requester`)."""
    about = Ref.to(review)
    for user in to:
        send_review_email.enqueue(kind, about.model_name, about.id, str(user.id))


@task
def send_review_email(kind: str, about_type: str, review_id: str, to_id: str, attempt=1) -> str:
    """Send one review email. Takes only ids: task arguments are stored in a table."""
    staff = User.objects.select_related("practice").filter(pk=to_id).first()
    if staff is None:
        return "missing"
    if not staff.is_active or not staff.email:
        return "no recipient"  # the review queue still shows it
    subject = REVIEW_EMAILS[kind][0]
    try:
        send_mail(
            subject, review_email_body(kind, review_id), settings.DEFAULT_FROM_EMAIL, [staff.email]
        )
    except (OSError, smtplib.SMTPException):
        logger.warning(
            "The %s email for review %s was not sent (try %s).", kind, review_id, attempt
        )
        if attempt > len(RETRY_DELAYS) or not send_review_email.get_backend().supports_defer:
            return "failed"
        send_review_email.using(run_after=timezone.now() + RETRY_DELAYS[attempt - 1]).enqueue(
            kind, about_type, review_id, to_id, attempt + 1
        )
        return "retrying"
    with transaction.atomic():
        record(
            Action.EMAIL_SENT,
            practice=staff.practice,
            target=Ref(about_type, review_id),
            detail={"to_user": str(staff.id), "attempt": attempt, "about": kind},
        )
    return "sent"

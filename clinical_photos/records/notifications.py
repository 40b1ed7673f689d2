"""Where the task that tells a requester their patient answered lived until December 2026.

It is messaging.staff_emails.send_answer_email now. The task queue keeps a task by its path,
so an email queued before that deployment (or a retry of one, up to 36 minutes later) still
names this one; it hands the email to the new task rather than failing to import. Remove it
once no deployment from before then is running.
"""

from django.tasks import task

from clinical_photos.audit.services import Ref
from clinical_photos.messaging import staff_emails
from clinical_photos.photo_requests.models import PhotoRequest


@task
def send_answer_email(photo_request_id: str, attempt: int = 1) -> str:
    photo_request = PhotoRequest.objects.filter(pk=photo_request_id).first()
    if photo_request is None:
        return "missing"
    about = Ref.to(photo_request)
    return staff_emails.send_answer_email.call(
        about.model_name, about.id, str(photo_request.requested_by_id), attempt
    )

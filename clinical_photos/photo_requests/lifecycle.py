"""A photo request's life, and the only code that changes it.

    open ──(staff cancel)──────────────> cancelled
      └───(the patient sends photos)───> answered
      └───(the patient chooses not to)─> declined

Every app that moves a request on (staff cancelling it here, the patient answering it in
patient_upload) calls this module, inside its own transaction. Each step locks the request's
row first and refuses a request that is no longer open, so of two steps at the same moment
(two tabs, two phones, a patient answering while staff cancel) exactly one wins. The database
holds each status to its moment (PhotoRequest's check constraint).
"""

from django.utils import timezone

from .models import PhotoRequest

Status = PhotoRequest.Status


class RequestNotOpen(Exception):
    """The request was cancelled or answered (perhaps in another tab) before this step."""


def lock_open(photo_request: PhotoRequest) -> PhotoRequest:
    """The request's row, locked until the transaction ends; RequestNotOpen if it has ended.

    no_key: the audit entry written in the same transaction refers to this row.
    """
    locked = PhotoRequest.objects.select_for_update(no_key=True).get(pk=photo_request.pk)
    if locked.status != Status.OPEN:
        raise RequestNotOpen
    return locked


def cancel(locked: PhotoRequest, *, by) -> None:
    """Staff no longer want the photos; the request's link stops working at once."""
    locked.status = Status.CANCELLED
    locked.cancelled_at, locked.cancelled_by = timezone.now(), by
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])


def answer(locked: PhotoRequest, *, with_photos: bool) -> None:
    """The patient sent photos, or chose not to; their link has done its one job."""
    locked.status = Status.ANSWERED if with_photos else Status.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "answered_at"])

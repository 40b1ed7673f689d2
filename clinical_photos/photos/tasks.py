"""Housekeeping for stored photos, run by the task worker about once an hour.

`manage.py schedule_housekeeping` queues the first run; each run queues the next, on backends
that can defer a task (django-tasks-db's `db_worker` can), so there is no separate scheduler.
The task takes no arguments and logs only counts.
"""

import logging
from datetime import datetime, timedelta
from itertools import batched

from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from clinical_photos.core import repeating
from clinical_photos.photo_requests.models import PatientLink

from .models import Photo
from .storage import BlobStore, discard_unsent_photo

logger = logging.getLogger(__name__)

SWEEP_INTERVAL = timedelta(hours=1)
# A blob younger than this may belong to an upload whose row is not committed yet.
STRAY_MIN_AGE = timedelta(hours=1)
# Photos left over on a link that was used to send (the patient chose some, then not).
USED_LINK_GRACE = timedelta(days=1)
BATCH_SIZE = 500


@task
def sweep_stray_blobs() -> dict[str, int]:
    """Remove blobs no photo needs and photos that can never be sent; then queue the next run."""
    try:
        now = timezone.now()
        counts = {**_remove_stray_blobs(now), "unsent_photos": _remove_unsendable_photos(now)}
        logger.info(
            "Photo housekeeping removed %(stray_blobs)s stray blobs, %(destroyed_key_blobs)s "
            "blobs of destroyed photos, %(partial_files)s unfinished writes and "
            "%(unsent_photos)s photos that can no longer be sent.",
            counts,
        )
        return counts
    finally:
        # Queued even when this run failed, so one bad run does not stop housekeeping for good.
        schedule_sweep(delay=SWEEP_INTERVAL)


def schedule_sweep(*, delay: timedelta | None = None):
    """Queue a sweep unless one is already waiting; the task's result, or None if not queued.

    With a delay, the sweep is queued only on a backend that can defer tasks.
    """
    return repeating.queue_next(sweep_stray_blobs, delay=delay)


def _remove_stray_blobs(now: datetime) -> dict[str, int]:
    store = BlobStore()
    cutoff = now - STRAY_MIN_AGE
    strays = destroyed = partial = 0
    old_blobs = (name for name, modified in store.blobs() if modified < cutoff)
    for batch in batched(old_blobs, BATCH_SIZE):
        rows = Photo.objects.filter(blob_name__in=batch)
        live = set(rows.filter(wrapped_key__isnull=False).values_list("blob_name", flat=True))
        known = set(rows.values_list("blob_name", flat=True))
        for name in batch:
            if name in live:
                continue
            # A row with a destroyed key whose blob outlived it: the delete after commit
            # never ran (the process stopped). The bytes are unreadable; remove them too.
            if store.delete(name):
                if name in known:
                    destroyed += 1
                else:
                    strays += 1
    for path, modified in store.partial_files():
        if modified < cutoff:
            path.unlink(missing_ok=True)
            partial += 1
    return {"stray_blobs": strays, "destroyed_key_blobs": destroyed, "partial_files": partial}


def _unsendable_photos(now: datetime):
    """Photos chosen but never sent, through a link that can no longer send them."""
    return Photo.objects.filter(response__isnull=True).filter(
        Q(link__in=PatientLink.objects.cannot_send(now))
        | Q(link__used_at__lte=now - USED_LINK_GRACE)
    )


def _remove_unsendable_photos(now: datetime) -> int:
    removed = 0
    ids = list(_unsendable_photos(now).values_list("pk", flat=True))
    for batch in batched(ids, BATCH_SIZE):
        with transaction.atomic():
            # Locked and checked again: a photo sent meanwhile belongs to the record now, and
            # one whose request was sent again meanwhile was carried over to a link that works.
            for photo in (
                _unsendable_photos(now).select_for_update(of=("self",)).filter(pk__in=batch)
            ):
                removed += discard_unsent_photo(photo)
    return removed

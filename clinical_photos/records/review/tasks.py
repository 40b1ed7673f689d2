"""The clinical loop's clock: follow-up texts on their dates, reviews not done in time.

One task, run by the worker every few minutes (queued first by `manage.py
schedule_housekeeping`, then by each run for the next). Both of its jobs are safe to run at
any time and twice at once; it takes no arguments and logs only counts.
"""

import logging
from datetime import timedelta

from django.tasks import task

from clinical_photos.core import repeating
from clinical_photos.photo_requests.follow_ups import services as follow_ups

from . import services

logger = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)


@task
def run_clinical_loop() -> dict[str, int]:
    try:
        counts = {
            "follow_ups_sent": follow_ups.send_due(),
            "reviews_flagged": services.flag_overdue(),
        }
        logger.info(
            "Clinical loop: sent %(follow_ups_sent)s follow-up requests, flagged "
            "%(reviews_flagged)s overdue reviews.",
            counts,
        )
        return counts
    finally:
        # Queued even when this run failed, so one bad run does not stop the clock for good.
        schedule_clinical_loop(delay=EVERY)


def schedule_clinical_loop(*, delay: timedelta | None = None):
    return repeating.queue_next(run_clinical_loop, delay=delay)

"""Queue the service's repeating tasks, once each. Safe to run at every start: a waiting run
is not doubled.

- photo housekeeping (photos/tasks.py), about every hour;
- the clinical loop's clock (records/review/tasks.py): follow-up texts on their dates and
  reviews not done in time, every few minutes.

After the first run, each run queues the next (on a backend that can defer tasks, such as
django-tasks-db's `db_worker`).
"""

from django.core.management.base import BaseCommand

from clinical_photos.photos.tasks import schedule_sweep, sweep_stray_blobs
from clinical_photos.records.review.tasks import schedule_clinical_loop


class Command(BaseCommand):
    help = "Queue the repeating tasks (photo housekeeping, the clinical loop), unless waiting."

    def handle(self, *args, **options):
        backend = sweep_stray_blobs.get_backend()
        for what, every, schedule in (
            ("photo housekeeping", "about every hour", schedule_sweep),
            (
                "the clinical loop (follow-up texts, overdue reviews)",
                "every 5 minutes",
                schedule_clinical_loop,
            ),
        ):
            result = schedule()
            if result is None:
                self.stdout.write(f"{what[0].upper()}{what[1:]} is already queued.")
            elif backend.supports_defer:
                self.stdout.write(f"Queued {what}; it will run {every}.")
            else:
                self.stdout.write(
                    f"Queued {what} once. The task backend {backend.alias!r} cannot "
                    f"defer tasks, so it will not repeat by itself."
                )

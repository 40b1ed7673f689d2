"""Queue photo housekeeping, once. Safe to run at every start: a waiting run is not doubled.

After the first run, each run queues the next an hour later (on a backend that can defer
tasks, such as django-tasks-db's `db_worker`).
"""

from django.core.management.base import BaseCommand

from clinical_photos.photos.tasks import schedule_sweep, sweep_stray_blobs


class Command(BaseCommand):
    help = "Queue the hourly photo housekeeping task, unless one is already waiting."

    def handle(self, *args, **options):
        backend = sweep_stray_blobs.get_backend()
        result = schedule_sweep()
        if result is None:
            self.stdout.write("Photo housekeeping is already queued.")
        elif backend.supports_defer:
            self.stdout.write("Queued photo housekeeping; it will run about every hour.")
        else:
            self.stdout.write(
                f"Queued photo housekeeping once. The task backend {backend.alias!r} cannot "
                f"defer tasks, so it will not repeat by itself."
            )

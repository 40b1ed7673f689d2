from django.core.management.base import BaseCommand, CommandError

from clinical_photos.audit.models import AuditEntry
from clinical_photos.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first entry that was changed or removed."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem is not None:
            raise CommandError(problem.message)
        count = AuditEntry.objects.count()
        self.stdout.write(f"The audit log is whole: {count} entries, none changed or removed.")

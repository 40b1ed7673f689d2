"""Subject access from the command line: one patient's photos, indexes and viewers in a zip."""

from django.core.management.base import BaseCommand, CommandError

from clinical_photos.records.subject_access import services as export_services


class Command(BaseCommand):
    help = (
        "Write a subject access zip for the patient with NHS_NUMBER: every filed photo "
        "(decrypted and checked), index.html, index.json and who viewed each photo. "
        "Name the practice with --practice when the NHS number is registered at more than one. "
        "Refuses to replace an existing file. Exits non-zero, leaving no file, on any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("nhs_number", metavar="NHS_NUMBER")
        parser.add_argument("output", metavar="OUT.zip", help="Where to write the zip.")
        parser.add_argument(
            "--practice", metavar="ODS_CODE", help="The practice's ODS code, like Y00001."
        )

    def handle(self, *args, **options):
        try:
            patient = export_services.find_patient(options["nhs_number"], options["practice"])
            summary = export_services.export_to_path(patient, options["output"])
        except export_services.ExportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote {options['output']}: {summary.files} photo files, {summary.removed} removed "
            f"photos listed, {summary.viewings} viewings listed "
            f"({patient.practice.ods_code})."
        )
        if summary.unreadable:
            self.stderr.write(
                f"Warning: {summary.unreadable} photos failed their integrity check and are not "
                "in the zip; index.html lists them. An alert has been logged."
            )

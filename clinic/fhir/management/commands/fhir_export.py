from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clinic.accounts.models import Clinic
from clinic.fhir.bulk import MANIFEST_NAME, bulk_export


class Command(BaseCommand):
    help = (
        "Export a clinic's records as FHIR R4 Bulk Data: one NDJSON file per resource type "
        "and a manifest.json, streamed so memory stays flat. The export is audited."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--clinic", type=int, required=True, help="The clinic's id.")
        parser.add_argument("--output", type=Path, required=True, help="Directory to write.")

    def handle(self, *args, clinic: int, output: Path, **options) -> None:
        found = Clinic.objects.filter(pk=clinic).first()
        if found is None:
            raise CommandError(f"No clinic with id {clinic}.")
        if output.exists() and not output.is_dir():
            raise CommandError(f"{output} exists and is not a directory.")
        manifest = bulk_export(clinic=found, output_dir=output)
        for item in manifest["output"]:
            self.stdout.write(f"{item['type']}: {item['count']}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output / MANIFEST_NAME}"))

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Rebuilt by `migrate` (content types, permissions) or not worth keeping (sessions, sign-in
# attempts, Django admin's own history).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]


class Command(BaseCommand):
    help = "Write every clinic's data (staff, patients, clinical records, audit trail) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output: str | None, **options):
        if output:
            # The file holds patient data: readable by its owner only, even if it existed.
            os.close(os.open(output, os.O_WRONLY | os.O_CREAT, 0o600))
            os.chmod(output, 0o600)
        # Natural keys for foreign keys (content types, staff) so the backup loads into any
        # freshly migrated database; primary keys are kept so audit entries still point at
        # their records.
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            indent=2,
            output=output,
            stdout=self.stdout,
        )

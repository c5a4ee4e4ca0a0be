from auditlog.context import disable_auditlog
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from clinic.accounts.models import Clinic

NOT_EMPTY = (
    "The database already holds clinic data; restore only into an empty database "
    "(run `manage.py flush` first, after taking a backup of it)."
)


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into a migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (JSON).")

    def handle(self, *args, file: str, **options):
        if Clinic.objects.exists():
            raise CommandError(NOT_EMPTY)
        # The backup carries the audit trail; loading rows must not add entries of its own.
        with disable_auditlog():
            call_command("loaddata", file, stdout=self.stdout)

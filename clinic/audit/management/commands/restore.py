import json
import tempfile
from pathlib import Path

from auditlog.context import disable_auditlog
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from clinic.accounts.models import Clinic

NOT_EMPTY = (
    "The database already holds clinic data; restore only into an empty database "
    "(run `manage.py flush` first, after taking a backup of it)."
)


def upgraded(records: list[dict]) -> list[dict]:
    """Bring a backup from an earlier version to the current models.

    Follow-up checks carry their patient's clinic since `treatment_sessions` 0007, needling
    sessions since 0008; an older backup has none, so it is copied from the session's patient,
    as the migrations did.
    """
    clinic_of_patient = {
        r["pk"]: r["fields"]["clinic"] for r in records if r["model"] == "patients.patient"
    }
    patient_of_session = {
        r["pk"]: r["fields"]["patient"]
        for r in records
        if r["model"] == "treatment_sessions.needlingsession"
    }
    for record in records:
        fields = record["fields"]
        if record["model"] == "treatment_sessions.sorenesscheck" and "clinic" not in fields:
            fields["clinic"] = clinic_of_patient[patient_of_session[fields["session"]]]
        if record["model"] == "treatment_sessions.needlingsession" and "clinic" not in fields:
            fields["clinic"] = clinic_of_patient[fields["patient"]]
    return records


class Command(BaseCommand):
    help = "Load a backup written by `manage.py backup` into a migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (JSON).")

    def handle(self, *args, file: str, **options):
        if Clinic.objects.exists():
            raise CommandError(NOT_EMPTY)
        records = upgraded(json.loads(Path(file).read_text(encoding="utf-8")))
        with tempfile.TemporaryDirectory() as folder:
            current = Path(folder) / "backup.json"
            current.write_text(json.dumps(records), encoding="utf-8")
            # The backup carries the audit trail; loading rows must not add entries of its own.
            with disable_auditlog():
                call_command("loaddata", str(current), stdout=self.stdout)

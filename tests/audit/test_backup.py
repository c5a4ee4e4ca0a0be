import json
from datetime import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from clinic.accounts.models import User
from clinic.audit.management.commands.restore import NOT_EMPTY
from patients.models import AvoidRegion, Patient, Screening, ScreeningAnswer
from sessions.models import NeedlingSession, SorenessCheck
from tests.audit.test_patient_audit import screened_patient
from tests.factories import PatientFactory, SorenessCheckFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forget_content_type_ids():
    """Flushing recreates content types with new ids; the cache must not outlive the test."""
    yield
    ContentType.objects.clear_cache()


def to_milliseconds(rows) -> list[dict]:
    """JSON backups keep times to the millisecond (Django's JSON serializer)."""
    return [
        {
            key: value.replace(microsecond=value.microsecond // 1000 * 1000)
            if isinstance(value, datetime)
            else value
            for key, value in row.items()
        }
        for row in rows
    ]


def snapshot() -> dict:
    return {
        "patients": to_milliseconds(Patient.objects.order_by("pk").values()),
        "screenings": to_milliseconds(Screening.objects.order_by("pk").values()),
        "answers": list(ScreeningAnswer.objects.order_by("pk").values()),
        "avoid_regions": list(AvoidRegion.objects.order_by("pk").values()),
        "staff": list(User.objects.order_by("pk").values("pk", "username", "password", "role")),
        "audit": to_milliseconds(
            LogEntry.objects.order_by("pk").values(
                "pk", "object_id", "action", "changes", "actor", "timestamp"
            )
        ),
    }


def test_backup_then_restore_gives_back_the_same_records(
    tmp_path, clinic, checklist, forget_content_type_ids
):
    screened_patient(clinic, checklist, last_name="Okafor")
    PatientFactory.create_batch(2, clinic=clinic)
    before = snapshot()
    backup = tmp_path / "backup.json"

    call_command("backup", output=str(backup))
    # The test runs in a transaction: PostgreSQL empties tables only once the foreign-key
    # checks deferred to the commit have run.
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)
    assert not Patient.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert snapshot() == before
    assert Patient.objects.get(last_name="Okafor").screenings.get().avoid_regions.count() == 1


def test_restore_refuses_a_database_that_holds_clinic_data(tmp_path, clinic):
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup))

    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(backup))
    assert NOT_EMPTY.startswith("The database already holds clinic data")


def test_a_backup_from_before_checks_and_sessions_carried_their_clinic_restores_them_to_it(
    tmp_path, clinic, forget_content_type_ids
):
    check = SorenessCheckFactory(session__screening__patient__clinic=clinic)
    backup = tmp_path / "backup.json"
    call_command("backup", output=str(backup))
    records = json.loads(backup.read_text())
    for record in records:
        if record["model"] in {
            "treatment_sessions.sorenesscheck",
            "treatment_sessions.needlingsession",
        }:
            del record["fields"]["clinic"]
    backup.write_text(json.dumps(records))
    connection.check_constraints()
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(backup), verbosity=0)

    assert SorenessCheck.objects.get(pk=check.pk).clinic_id == clinic.pk
    assert NeedlingSession.objects.get(pk=check.session_id).clinic_id == clinic.pk


@pytest.mark.parametrize("exists", [False, True])
def test_a_backup_file_is_readable_by_its_owner_only(tmp_path, clinic, exists):
    output = tmp_path / "backup.json"
    if exists:
        output.write_text("")
        output.chmod(0o644)

    call_command("backup", output=str(output))

    assert output.stat().st_mode & 0o777 == 0o600
    assert json.loads(output.read_text())

from auditlog.models import LogEntry
from django.db import transaction

from clinic.accounts.models import User
from patients.models import Patient

from .export import patient_record

EXPORT_NOTE = "patient record exported (JSON)"


@transaction.atomic
def patient_record_export(*, patient: Patient, actor: User) -> dict:
    """The patient's whole record; the export itself is logged as an access to the patient."""
    record = patient_record(patient)
    LogEntry.objects.log_create(
        patient,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"export": EXPORT_NOTE},
    )
    return record

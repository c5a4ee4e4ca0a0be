"""The record version of a patient: raised by every service write to their records, in the
write's transaction, so cached fragments of their pages are never taken for current."""

from django.db.models import F, QuerySet

from ..models import Patient


def record_version_bump(patient_id: int) -> None:
    """One `UPDATE`: the patient's records changed (call inside the write's transaction)."""
    Patient.objects.filter(pk=patient_id).update(record_version=F("record_version") + 1)


def record_versions_bump(patient_ids: QuerySet | list[int]) -> None:
    """The same for several patients at once (a list of ids or a query of them)."""
    Patient.objects.filter(pk__in=patient_ids).update(record_version=F("record_version") + 1)

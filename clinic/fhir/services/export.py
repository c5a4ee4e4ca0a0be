"""FHIR exports and API reads, each logged as an access on the audit trail."""

from auditlog.models import LogEntry
from django.db import transaction

from clinic.accounts.models import Clinic, User
from patients.models import Patient

from ..bundle import everything_bundle, patient_bundle
from ..models import ApiToken

BUNDLE_NOTE = "patient record exported (FHIR bundle)"
API_READ_NOTE = "FHIR API: {what}"
BULK_NOTE = "clinic exported (FHIR bulk NDJSON)"


def fhir_access_log(
    *, patient: Patient, actor: User, note: str, token: ApiToken | None = None
) -> LogEntry:
    data = {"export": note}
    if token is not None:
        data["api_token"] = f"{token.name} ({token.prefix}…)"
    return LogEntry.objects.log_create(
        patient, force_log=True, action=LogEntry.Action.ACCESS, actor=actor, additional_data=data
    )


@transaction.atomic
def patient_bundle_export(*, patient: Patient, actor: User, base_url: str) -> dict:
    bundle = patient_bundle(patient=patient, base_url=base_url)
    fhir_access_log(patient=patient, actor=actor, note=BUNDLE_NOTE)
    return bundle


@transaction.atomic
def patient_api_read(*, patient: Patient, token: ApiToken, what: str) -> None:
    fhir_access_log(
        patient=patient, actor=token.user, note=API_READ_NOTE.format(what=what), token=token
    )


@transaction.atomic
def patient_everything(*, patient: Patient, token: ApiToken, base_url: str) -> dict:
    bundle = everything_bundle(patient=patient, base_url=base_url)
    patient_api_read(patient=patient, token=token, what="Patient/$everything")
    return bundle


def clinic_export_log(*, clinic: Clinic, counts: dict[str, int], output: str) -> LogEntry:
    return LogEntry.objects.log_create(
        clinic,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=None,
        additional_data={"export": BULK_NOTE, "output": output, "counts": counts},
    )

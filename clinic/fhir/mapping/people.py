"""The clinic (Organization), its staff who appear in the records (Practitioner), patients."""

from collections.abc import Iterator

from django.db.models import Prefetch

from clinic.accounts.models import Clinic, Credential, User
from patients.consent.models import SignedConsent
from patients.models import EpisodeOfCare, OutcomeAssessment, Patient, Screening, Sex
from sessions.models import (
    AdverseEvent,
    NeedlingSession,
    SessionAddendum,
    SorenessCheck,
    StrengtheningPlan,
)

from .codes import CREDENTIAL_ID_SYSTEM, CREDENTIAL_SYSTEM, DRY_NEEDLING_CREDENTIAL, mrn_system
from .common import Scope, coding, day, ref, stream

GENDER = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other"}
MRN_TYPE = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
            "code": "MR",
            "display": "Medical record number",
        }
    ]
}
# Every column that names a staff member in a patient's record, by model and patient path.
STAFF_COLUMNS = [
    (Screening, "patient", "therapist"),
    (NeedlingSession, "patient", "therapist"),
    (SessionAddendum, "session__patient", "author"),
    (SorenessCheck, "session__patient", "recorded_by"),
    (AdverseEvent, "session__patient", "reported_by"),
    (AdverseEvent, "session__patient", "decided_by"),
    (StrengtheningPlan, "patient", "therapist"),
    (SignedConsent, "patient", "witness"),
    (SignedConsent, "patient", "withdrawal_witness"),
    (EpisodeOfCare, "patient", "therapist"),
    (OutcomeAssessment, "episode__patient", "recorded_by"),
]


def organization_resource(clinic: Clinic) -> dict:
    return {
        "resourceType": "Organization",
        "id": str(clinic.pk),
        "active": True,
        "name": clinic.name,
    }


def qualification(credential: Credential) -> dict:
    """A dry-needling credential: the course and its hours, valid from the day it was completed
    to its expiry (open-ended when it never expires); the issuer named by its jurisdiction."""
    period = {"start": day(credential.completed_on)}
    if credential.valid_until is not None:
        period["end"] = day(credential.valid_until)
    return {
        "identifier": [{"system": CREDENTIAL_ID_SYSTEM, "value": str(credential.pk)}],
        "code": {
            "coding": [coding(CREDENTIAL_SYSTEM, DRY_NEEDLING_CREDENTIAL)],
            "text": f"{credential.course} ({credential.hours} training hours)",
        },
        "period": period,
        "issuer": {"display": f"Meets the rules of {credential.jurisdiction}"},
    }


def practitioner_resource(user: User) -> dict:
    name = {"text": str(user)}
    if user.last_name:
        name["family"] = user.last_name
    if user.first_name:
        name["given"] = [user.first_name]
    resource = {
        "resourceType": "Practitioner",
        "id": str(user.pk),
        "active": user.is_active,
        "name": [name],
    }
    qualifications = [qualification(c) for c in user.credentials.all()]
    if qualifications:
        resource["qualification"] = qualifications
    return resource


def patient_resource(patient: Patient) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [
            {
                "use": "usual",
                "type": MRN_TYPE,
                "system": mrn_system(patient.clinic_id),
                "value": patient.mrn,
            }
        ],
        "active": patient.archived_at is None,
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "gender": GENDER[patient.sex],
        "birthDate": day(patient.date_of_birth),
        "managingOrganization": ref("Organization", patient.clinic_id),
    }
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", patient.phone), ("email", patient.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    return resource


def organizations(scope: Scope) -> Iterator[dict]:
    yield organization_resource(scope.clinic)


def practitioners(scope: Scope) -> Iterator[dict]:
    """The staff the scope's records name (one small query per column, then the users)."""
    ids: set[int] = set()
    for model, patient_path, column in STAFF_COLUMNS:
        rows = scope.rows(model.objects.all(), patient_path).exclude(**{column: None})
        ids.update(rows.order_by().values_list(column, flat=True).distinct())
    credentials = Prefetch(
        "credentials", queryset=Credential.objects.order_by("completed_on", "pk")
    )
    users = User.objects.filter(pk__in=ids).prefetch_related(credentials).order_by("pk")
    for user in stream(users):
        yield practitioner_resource(user)


def patients(scope: Scope) -> Iterator[dict]:
    queryset = Patient.objects.for_clinic(scope.clinic).order_by("pk")
    if scope.patient is not None:
        queryset = queryset.filter(pk=scope.patient.pk)
    for patient in stream(queryset):
        yield patient_resource(patient)

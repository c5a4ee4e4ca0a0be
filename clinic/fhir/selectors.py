from clinic.accounts.models import Role, User
from clinic.accounts.permissions import Permission, has_permission
from clinic.lib import fragments
from patients.models import Patient, Screening
from sessions.models import NeedlingSession, StrengtheningPlan


def treating_therapists(patient: Patient) -> frozenset[int]:
    """The users who screened, needled or planned exercise for the patient (one query)."""
    mine = {"patient": patient}
    ids = (
        Screening.objects.filter(**mine)
        .order_by()
        .values_list("therapist_id", flat=True)
        .union(
            NeedlingSession.objects.filter(**mine).order_by().values_list("therapist_id"),
            StrengtheningPlan.objects.filter(**mine).order_by().values_list("therapist_id"),
        )
    )
    return frozenset(ids)


def may_export_patient(*, user: User, patient: Patient, from_cache: bool = False) -> bool:
    """Clinic admins and the patient's treating therapists may download the FHIR record.

    `from_cache`: the treating therapists come from the fragment cache, keyed on the patient's
    record version (the patient page's button; `patient` read through
    `fragments.with_versions`). The export itself reads them afresh."""
    if user.clinic_id != patient.clinic_id or not has_permission(user, Permission.VIEW_PATIENTS):
        return False
    if user.role == Role.CLINIC_ADMIN:
        return True
    if from_cache:
        treating = fragments.cached(
            fragments.patient_key("treating", patient),
            lambda: fragments.Rendered(treating_therapists(patient)),
        )
    else:
        treating = treating_therapists(patient)
    return user.pk in treating

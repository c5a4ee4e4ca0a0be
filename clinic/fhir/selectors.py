from django.db.models import Exists, OuterRef

from clinic.accounts.models import Role, User
from clinic.accounts.permissions import Permission, has_permission
from patients.models import Patient, Screening
from sessions.models import NeedlingSession, StrengtheningPlan


def treats(*, user: User, patient: Patient) -> bool:
    """Whether the user screened, needled or planned exercise for the patient (one query)."""
    mine = {"patient": OuterRef("pk"), "therapist": user}
    return (
        Patient.objects.filter(pk=patient.pk)
        .filter(
            Exists(Screening.objects.filter(**mine))
            | Exists(NeedlingSession.objects.filter(**mine))
            | Exists(StrengtheningPlan.objects.filter(**mine))
        )
        .exists()
    )


def may_export_patient(*, user: User, patient: Patient) -> bool:
    """Clinic admins and the patient's treating therapists may download the FHIR record."""
    if user.clinic_id != patient.clinic_id or not has_permission(user, Permission.VIEW_PATIENTS):
        return False
    return user.role == Role.CLINIC_ADMIN or treats(user=user, patient=patient)

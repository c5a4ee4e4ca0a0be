"""What other apps read about consent: the gate, the patient page, the reports."""

from dataclasses import dataclass
from datetime import datetime

from .models import ConsentForm, SignedConsent


@dataclass(frozen=True)
class ConsentStanding:
    """A patient's consent at a moment: the one in force, else the latest one signed by then."""

    at: datetime
    in_force: SignedConsent | None
    latest: SignedConsent | None

    @property
    def withdrawn(self) -> bool:
        """No consent in force because the latest one was withdrawn by then."""
        latest = self.latest
        return (
            self.in_force is None
            and latest is not None
            and latest.withdrawn_at is not None
            and latest.withdrawn_at <= self.at
        )


def consent_standing(*, patient, at: datetime) -> ConsentStanding:
    signed = SignedConsent.objects.filter(patient=patient, signed_at__lte=at).select_related("form")
    in_force = signed.current_at(at).newest_first().first()
    latest = in_force or signed.newest_first().first()
    return ConsentStanding(at=at, in_force=in_force, latest=latest)


def current_form(clinic) -> ConsentForm | None:
    return ConsentForm.objects.for_clinic(clinic).newest_first().first()


def patient_consents(patient):
    """The patient page's list: every consent the patient signed, newest first."""
    return (
        SignedConsent.objects.filter(patient=patient)
        .select_related("form", "witness", "withdrawal_witness")
        .newest_first()
    )

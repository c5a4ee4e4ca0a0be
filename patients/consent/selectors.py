"""What other apps read about consent: the gate, the patient page, the reports."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Exists, OuterRef

from patients.models import EpisodeOfCare

from .models import ConsentForm, SignedConsent


@dataclass(frozen=True)
class ConsentStanding:
    """A patient's consent at a moment: the one in force, else the latest one signed by then,
    and every consent signed by then (newest first)."""

    at: datetime
    signed: list[SignedConsent]

    @cached_property
    def in_force(self) -> SignedConsent | None:
        return next((consent for consent in self.signed if consent.in_force), None)

    @property
    def latest(self) -> SignedConsent | None:
        return self.in_force or next(iter(self.signed), None)

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

    @property
    def episode_closed(self) -> bool:
        """No consent in force because the episode of care the latest one was signed for has
        closed (and it was not withdrawn)."""
        latest = self.latest
        return (
            self.in_force is None
            and latest is not None
            and not self.withdrawn
            and not latest.episode_open
        )


def consent_standing(*, patient, at: datetime) -> ConsentStanding:
    """One query: the patient's consents signed by `at`, each marked whether in force then and
    whether its episode of care was still open then."""
    this = SignedConsent.objects.filter(pk=OuterRef("pk"))
    signed = (
        SignedConsent.objects.filter(patient=patient, signed_at__lte=at)
        .annotate(
            in_force=Exists(this.current_at(at)), episode_open=Exists(this.episode_open_at(at))
        )
        .select_related("form", "witness")
        .newest_first()
    )
    return ConsentStanding(at=at, signed=list(signed))


def open_episodes(patient) -> list[EpisodeOfCare]:
    """The episodes of care a consent can be signed for: the patient's open ones, newest first."""
    return list(EpisodeOfCare.objects.filter(patient=patient).open().newest_first())


def current_form(clinic) -> ConsentForm | None:
    return ConsentForm.objects.for_clinic(clinic).newest_first().first()

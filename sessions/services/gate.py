"""The safety gate: the one place that decides whether needling may be recorded."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.accounts.models import Credential, Role, User
from clinic.formats import shown
from patients.consent.selectors import ConsentStanding, consent_standing
from patients.models import EpisodeOfCare, Patient, Screening, ScreeningOutcome, Side

from ..models import GateOutcome, Muscle, Technique

IMPLANTED_DEVICE_QUESTION = "implanted-device"

NOT_A_THERAPIST = "Only a physical therapist of the patient's clinic can record needling."
PATIENT_ARCHIVED = "This patient is archived; restore them before recording needling."
NO_CURRENT_CREDENTIAL = (
    "{therapist} holds no dry-needling credential current on {day}: a clinic admin "
    "records it under Staff before needling can be recorded."
)

NO_VALID_SCREENING = (
    "No valid screening covers this time: screen the patient before recording needling."
)
SCREENING_EXPIRED = "The screening of {taken} expired on {expired}: screen the patient again."
SCREENING_OTHER_PATIENT = "That screening belongs to another patient."
SCREENING_NOT_CURRENT = (
    "A newer screening is in force for this time: the session must rely on the newest one."
)
REFUSED_REFER = (
    "The screening found a red flag: refer the patient to a physician. No needling until a new "
    "screening clears them."
)
REFUSED_NOT_CLEARED = "The screening found an absolute contraindication: needling is not allowed."
NO_SIGNED_CONSENT = (
    "No signed consent to dry needling: the patient signs the consent form before needling."
)
CONSENT_WITHDRAWN = (
    "The patient withdrew their consent on {withdrawn}: no needling until they sign "
    "the consent form again."
)
CONSENT_EPISODE_CLOSED = (
    "The consent was for an episode of care that has closed: the patient signs the consent "
    "form again for the current episode."
)
CONSENT_NEEDS_RENEWAL = (
    "The clinic published a consent form that requires re-consent: the patient signs it "
    "before needling."
)
SITE_IN_AVOID_REGION = "{muscle} ({side}) is in a region to avoid: {region}."
LUNG_RISK_NOT_ACKNOWLEDGED = (
    "{muscle} carries a pneumothorax risk: tick the lung-risk precaution for this site."
)
ELECTRICAL_WITH_DEVICE = "The patient has an implanted device: no electrical stimulation."
DEPTH_REQUIRED = (
    "{muscle} ({side}): record the depth. The screening found a bleeding disorder: superficial "
    "needling only, at most {limit} mm."
)
TOO_DEEP = (
    "{muscle} ({side}) at {depth} mm is deeper than the clinic's superficial limit of {limit} mm "
    "(bleeding disorder)."
)
NO_OPEN_EPISODE = (
    "No episode of care is open for this patient on that date: open one at intake before "
    "recording needling."
)
EPISODE_OTHER_PATIENT = "That episode of care belongs to another patient."
EPISODE_NOT_OPEN = "That episode of care was not open on that date: its intake was on {opened}."
EPISODE_CLOSED = (
    "That episode of care was discharged on {closed}: choose an open episode, or open "
    "a new one at intake."
)
SITES_REFUSED = "Needling refused at {count} site(s); see the sites below."
NO_SITES = "Record at least one trigger-point site."


class NeedlingRefused(ValidationError):
    """The gate refused: `message` says why; `site_errors` maps site index to its reasons."""

    def __init__(self, message: str, site_errors: Mapping[int, list[str]] | None = None):
        super().__init__(message)
        self.site_errors = dict(site_errors or {})


@dataclass(frozen=True)
class GateResult:
    screening: Screening | None
    episode: EpisodeOfCare | None = None
    refusal: str | None = None
    site_errors: dict[int, list[str]] = field(default_factory=dict)
    precautions: list[str] = field(default_factory=list)
    # The refusal is for want of a signed consent: the patient signs the form to proceed.
    consent_missing: bool = False

    @property
    def allowed(self) -> bool:
        return self.refusal is None and not self.site_errors

    @property
    def outcome(self) -> GateOutcome | None:
        if not self.allowed:
            return None
        if self.screening.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS:
            return GateOutcome.PRECAUTIONS
        return GateOutcome.CLEARED

    def summary(self, sites: Sequence[Mapping[str, Any]]) -> str:
        screening = self.screening
        lines = [
            f"Screening of {shown(screening.taken_at)} "
            f"({screening.get_outcome_display().lower()}), valid until "
            f"{shown(screening.valid_until)}."
        ]
        if self.precautions:
            lines.append("Precautions: " + "; ".join(self.precautions) + ".")
            lines.append(f"Justification: {screening.justification}")
        acknowledged = [
            f"{s['muscle']} ({Side(s['side']).label.lower()})"
            for s in sites
            if s["muscle"].lung_risk
        ]
        if acknowledged:
            lines.append("Lung-risk precaution acknowledged at: " + ", ".join(acknowledged) + ".")
        return "\n".join(lines)


def screening_in_force(
    *, patient: Patient, at: datetime, with_avoid_regions: bool = True
) -> Screening | None:
    """The newest screening of the patient that is valid at the given moment (its regions to
    avoid read with it unless `with_avoid_regions` is False)."""
    screenings = Screening.objects.filter(patient=patient).valid_at(at)
    if with_avoid_regions:
        screenings = screenings.prefetch_related("avoid_regions")
    return screenings.newest_first().first()


def episode_in_force(
    *, patient: Patient, at: datetime, sites: Sequence[Mapping[str, Any]] = ()
) -> EpisodeOfCare | None:
    """The patient's episode of care open at `at`; with several open (different regions), the
    one whose region holds most of the sites, then the newest."""
    episodes = list(
        EpisodeOfCare.objects.filter(patient=patient)
        .open_on(timezone.localtime(at).date())
        .newest_first()
    )
    regions = [site["muscle"].region for site in sites]
    return max(episodes, key=lambda e: regions.count(e.body_region), default=None)


def _episode_refusal(episode: EpisodeOfCare | None, patient: Patient, at: datetime) -> str | None:
    if episode is None:
        return NO_OPEN_EPISODE
    if episode.patient_id != patient.pk:
        return EPISODE_OTHER_PATIENT
    if not episode.is_open:
        return EPISODE_CLOSED.format(closed=shown(episode.closed_on))
    if timezone.localtime(at).date() < episode.opened_on:
        return EPISODE_NOT_OPEN.format(opened=shown(episode.opened_on))
    return None


def needling_gate(
    *,
    patient: Patient,
    therapist: User,
    at: datetime,
    sites: Sequence[Mapping[str, Any]] = (),
    screening: Screening | None = None,
    episode: EpisodeOfCare | None = None,
    with_precautions: bool = True,
    consent: ConsentStanding | None = None,
) -> GateResult:
    """Decide whether `therapist` may record needling of these sites for the patient at `at`,
    within an open episode of care (`episode`, or the one in force).

    Refused outright: a user who is not a therapist of the patient's clinic, an archived
    patient, a therapist without a dry-needling credential current on that day
    (`therapist_refusal`), then what the patient's records refuse (`records_gate`).
    """
    refusal = therapist_refusal(patient=patient, therapist=therapist, at=at)
    if refusal:
        return GateResult(screening=None, refusal=refusal)
    return records_gate(
        patient=patient,
        at=at,
        sites=sites,
        screening=screening,
        episode=episode,
        with_precautions=with_precautions,
        consent=consent,
    )


def records_gate(
    *,
    patient: Patient,
    at: datetime,
    sites: Sequence[Mapping[str, Any]] = (),
    screening: Screening | None = None,
    episode: EpisodeOfCare | None = None,
    with_precautions: bool = True,
    consent: ConsentStanding | None = None,
) -> GateResult:
    """The gate's verdict from the patient's records alone, whoever records: refused outright
    with no screening valid at that minute (or one that is not the newest in force), a red
    flag, an absolute contraindication, no signed consent in force, or no open episode of care
    of the patient on that day. Refused per site: a region to avoid, a lung-risk muscle without
    the precaution ticked, electrical stimulation with an implanted device, and under a
    bleeding disorder a site without its depth or deeper than the clinic's superficial limit.

    `with_precautions=False` (a page that only asks whether needling is allowed, no sites)
    leaves the screening's findings unread and the result's precautions empty. `consent`: the
    patient's consents as already read at the gate's moment (`end_of_minute(at)`), else the
    gate reads them.
    """
    at = end_of_minute(at)
    screening, refusal = _screening_at(
        patient, screening, at, with_avoid_regions=bool(sites) or with_precautions
    )
    if refusal:
        return GateResult(screening=screening, refusal=refusal)

    if screening.outcome == ScreeningOutcome.REFER:
        return GateResult(screening=screening, refusal=REFUSED_REFER)
    if screening.outcome == ScreeningOutcome.NOT_CLEARED:
        return GateResult(screening=screening, refusal=REFUSED_NOT_CLEARED)
    consent_refusal = _consent_refusal(patient, at, consent)
    if consent_refusal:
        return GateResult(screening=screening, refusal=consent_refusal, consent_missing=True)

    if episode is None:
        episode = episode_in_force(patient=patient, at=at, sites=sites)
    else:
        # As stored now: the caller's copy may predate a discharge.
        episode = EpisodeOfCare.objects.get(pk=episode.pk)
    refusal = _episode_refusal(episode, patient, at)
    if refusal:
        return GateResult(screening=screening, refusal=refusal)

    if not sites and not with_precautions:
        return GateResult(screening=screening)
    return _sites_reviewed(patient, screening, episode, sites)


def _screening_at(
    patient: Patient, screening: Screening | None, at: datetime, *, with_avoid_regions: bool
) -> tuple[Screening | None, str | None]:
    """The screening the decision rests on (the one in force at `at` when none is given, its
    regions to avoid read with it if asked), and the refusal when there is none valid at that
    minute or the given one is not the newest."""
    if screening is None:
        screening = screening_in_force(
            patient=patient, at=at, with_avoid_regions=with_avoid_regions
        )
        if screening is None:
            return None, _no_screening_reason(patient)
    elif screening.patient_id != patient.pk:
        return None, SCREENING_OTHER_PATIENT
    elif not screening.is_valid_at(at):
        return screening, _no_screening_reason(patient)
    elif screening != screening_in_force(patient=patient, at=at):
        return screening, SCREENING_NOT_CURRENT
    return screening, None


def _sites_reviewed(
    patient: Patient,
    screening: Screening,
    episode: EpisodeOfCare,
    sites: Sequence[Mapping[str, Any]],
) -> GateResult:
    """Each site against the screening's findings, with the findings as precautions."""
    findings = list(screening.answers.filter(present=True).select_related("question"))
    has_device = any(a.question.code == IMPLANTED_DEVICE_QUESTION for a in findings)
    superficial_only = any(a.question.superficial_only for a in findings)
    depth_limit = patient.clinic.superficial_depth_limit_mm if superficial_only else None
    avoid_regions = list(screening.avoid_regions.all())
    site_errors: dict[int, list[str]] = {}
    for index, site in enumerate(sites):
        errors = _site_errors(site, avoid_regions, has_device, depth_limit)
        if errors:
            site_errors[index] = errors
    return GateResult(
        screening=screening,
        episode=episode,
        site_errors=site_errors,
        precautions=[answer.question.text for answer in findings],
    )


def therapist_refusal(*, patient: Patient, therapist: User, at: datetime) -> str | None:
    """Who may record: a therapist of the patient's clinic holding a dry-needling credential
    current on that day, for a patient who is not archived. Always read afresh: it is the
    viewer's permission."""
    if therapist.role != Role.THERAPIST or therapist.clinic_id != patient.clinic_id:
        return NOT_A_THERAPIST
    if patient.is_archived:
        return PATIENT_ARCHIVED
    day = timezone.localdate(at)
    if not Credential.objects.filter(holder=therapist).current_on(day).exists():
        return NO_CURRENT_CREDENTIAL.format(therapist=therapist, day=shown(day))
    return None


def end_of_minute(at: datetime) -> datetime:
    """Start times are entered to the minute, so a screening taken during that minute (just
    before the needling) covers it."""
    return at.replace(second=0, microsecond=0) + timedelta(minutes=1, microseconds=-1)


def _site_errors(
    site: Mapping[str, Any], avoid_regions, has_device: bool, depth_limit: int | None
) -> list[str]:
    muscle: Muscle = site["muscle"]
    side = Side(site["side"]).label.lower()
    errors = [
        SITE_IN_AVOID_REGION.format(muscle=muscle, side=side, region=avoid)
        for avoid in avoid_regions
        if avoid.covers(muscle.region, site["side"])
    ]
    if muscle.lung_risk and not site.get("lung_risk_acknowledged"):
        errors.append(LUNG_RISK_NOT_ACKNOWLEDGED.format(muscle=muscle))
    if has_device and site.get("technique") == Technique.ELECTRICAL:
        errors.append(ELECTRICAL_WITH_DEVICE)
    if depth_limit is not None:
        depth = site.get("depth_mm")
        if depth is None:
            errors.append(DEPTH_REQUIRED.format(muscle=muscle, side=side, limit=depth_limit))
        elif depth > depth_limit:
            errors.append(TOO_DEEP.format(muscle=muscle, side=side, depth=depth, limit=depth_limit))
    return errors


def _consent_refusal(
    patient: Patient, at: datetime, standing: ConsentStanding | None
) -> str | None:
    """The signed consent is reconfirmed verbally at each session (the session's tick).
    `standing` is used only when read at `at`."""
    if standing is None or standing.at != at:
        standing = consent_standing(patient=patient, at=at)
    if standing.in_force is not None:
        return None
    if standing.withdrawn:
        return CONSENT_WITHDRAWN.format(
            withdrawn=shown(timezone.localdate(standing.latest.withdrawn_at))
        )
    if standing.episode_closed:
        return CONSENT_EPISODE_CLOSED
    if standing.latest is not None:
        return CONSENT_NEEDS_RENEWAL
    return NO_SIGNED_CONSENT


def _no_screening_reason(patient: Patient) -> str:
    latest = Screening.objects.filter(patient=patient).newest_first().first()
    if latest is not None and latest.is_expired:
        taken, expired = timezone.localtime(latest.taken_at), timezone.localtime(latest.valid_until)
        return SCREENING_EXPIRED.format(taken=shown(taken.date()), expired=shown(expired.date()))
    return NO_VALID_SCREENING


def gate_enforce(*, patient, therapist, at, sites, screening=None, episode=None) -> GateResult:
    """Run the gate for a write: raise NeedlingRefused unless every site may be needled."""
    if not sites:
        raise ValidationError(NO_SITES)
    result = needling_gate(
        patient=patient,
        therapist=therapist,
        at=at,
        sites=sites,
        screening=screening,
        episode=episode,
    )
    if result.refusal:
        raise NeedlingRefused(result.refusal)
    if result.site_errors:
        raise NeedlingRefused(
            SITES_REFUSED.format(count=len(result.site_errors)), result.site_errors
        )
    return result

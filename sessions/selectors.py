"""What other apps may read of a patient's care: the sessions app's public interface.

Other apps (the patient page) import from here, never from the app's models, querysets or
figures, so the sessions package can change its insides without touching them.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import mean

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from clinic.lib import fragments
from patients.consent.selectors import ConsentStanding, consent_standing
from patients.models import BodyRegion, Screening

from .figures.bodymap import BodyMap, patient_body_map
from .figures.pain_chart import PainChart, patient_pain_chart
from .models import (
    AdherenceEntry,
    AdverseEvent,
    NeedlingSession,
    StrengtheningPlan,
    TriggerPointSite,
)

# The NPRS MCID rule, for the outcomes of an episode of care read by the patients app.
from .rules.mcid import mcid_reached  # noqa: F401
from .services.gate import end_of_minute, records_gate, therapist_refusal


@dataclass(frozen=True)
class ClinicalSummary:
    sessions: QuerySet[NeedlingSession]
    active_plan: StrengtheningPlan | None
    adverse_events: list[AdverseEvent]
    map_regions: BodyMap
    pain_chart: PainChart | None

    @property
    def major_events(self) -> list[AdverseEvent]:
        return [event for event in self.adverse_events if event.is_major]


@dataclass(frozen=True)
class RecordsStanding:
    """What the patient's records say about needling at the gate's moment, whoever asks: their
    consents, and the records' refusal (None: the records allow needling)."""

    consent: ConsentStanding
    refusal: str | None


def needling_standing(*, patient, viewer) -> tuple[ConsentStanding, str | None]:
    """The patient's consents and why the safety gate would refuse `viewer` needling `patient`
    now (None when it would allow it), both at the gate's moment (the end of the current
    minute), so the consent card and the gate agree.

    The viewer's part (a therapist of the clinic with a current credential, a patient not
    archived) is read on every call. The records' part comes from the fragment cache, keyed on
    the patient's record version (`patient` read through `fragments.with_versions`), until the
    first moment time alone could change it. Recording needling always runs the whole gate on
    the database."""
    at = end_of_minute(timezone.now())
    records = fragments.cached(
        fragments.patient_key("needling-standing", patient), lambda: _records_standing(patient, at)
    )
    refusal = therapist_refusal(patient=patient, therapist=viewer, at=at)
    return records.consent, refusal or records.refusal


def _records_standing(patient, at: datetime) -> fragments.Rendered:
    consent = consent_standing(patient=patient, at=at)
    gate = records_gate(patient=patient, at=at, with_precautions=False, consent=consent)
    standing = RecordsStanding(consent=consent, refusal=gate.refusal)
    stale_at = records_stale_at(patient=patient, consent=consent, screening=gate.screening)
    return fragments.Rendered(standing, stale_at)


def records_stale_at(*, patient, consent: ConsentStanding, screening) -> datetime:
    """The first moment the records' verdict could change with no write: the expiry of the
    screening in force (`screening`; with none in force, of any screening still running), a
    withdrawal dated ahead, or the clinic's next day (episodes of care open and close by the
    day, and a consent lapses the day after its episode's discharge). A minute early, since
    the gate decides at the end of the current minute."""
    now = timezone.now()
    local = timezone.localtime(consent.at)
    moments = [datetime.combine(local.date() + timedelta(days=1), time.min, local.tzinfo)]
    if screening is not None:
        moments.append(screening.valid_until)
    else:
        running = Screening.objects.filter(patient=patient, valid_until__gt=now)
        moments += list(running.values_list("valid_until", flat=True))
    moments += [c.withdrawn_at for c in consent.signed if c.withdrawn_at and c.withdrawn_at > now]
    return min(moments) - timedelta(minutes=1)


def patient_clinical_summary(*, patient, screening=None) -> ClinicalSummary:
    """The patient's needling history (newest first, unevaluated so the caller can page it),
    active plan, adverse events, pain chart and body map with `screening`'s avoid-regions."""
    sessions = (
        NeedlingSession.objects.filter(patient=patient)
        .select_related("therapist")
        .with_sites()
        .with_followup()
        .newest_first()
    )
    active_plan = (
        StrengtheningPlan.objects.filter(patient=patient)
        .active()
        .select_related("therapist")
        .with_items()
        .first()
    )
    adverse_events = list(
        AdverseEvent.objects.filter(session__patient=patient).select_related(
            "session", "site__muscle"
        )
    )
    return ClinicalSummary(
        sessions=sessions,
        active_plan=active_plan,
        adverse_events=adverse_events,
        map_regions=patient_body_map(patient=patient, screening=screening),
        pain_chart=patient_pain_chart(patient=patient),
    )


@dataclass(frozen=True)
class PlanAdherence:
    plan: StrengtheningPlan
    weeks_reported: int
    # Mean of the weekly adherence (sessions done against the plan's weekly target), capped at
    # 100 per week; None before any week is reported.
    percent: int | None


@dataclass(frozen=True)
class EpisodeCare:
    sessions: list[NeedlingSession]
    sites_by_region: list[tuple[str, int]]
    adverse_events: list[AdverseEvent]
    plans: list[PlanAdherence]


def episode_care(*, episode) -> EpisodeCare:
    """The episode's sessions (oldest first), sites needled per region, adverse events and plan
    adherence, for the episode page and its discharge summary (five queries)."""
    sessions = list(
        NeedlingSession.objects.filter(episode=episode)
        .select_related("therapist")
        .order_by("started_at", "pk")
    )
    sites = (
        TriggerPointSite.objects.filter(session__episode=episode)
        .values("muscle__region")
        .annotate(count=Count("pk"))
        .order_by("muscle__region")
    )
    labels = dict(BodyRegion.choices)
    adverse_events = list(
        AdverseEvent.objects.filter(session__episode=episode)
        .select_related("session", "site__muscle")
        .order_by("session__started_at", "pk")
    )
    return EpisodeCare(
        sessions=sessions,
        sites_by_region=[(labels[row["muscle__region"]], row["count"]) for row in sites],
        adverse_events=adverse_events,
        plans=_plan_adherence(episode),
    )


def _plan_adherence(episode) -> list[PlanAdherence]:
    plans = list(
        StrengtheningPlan.objects.filter(episode=episode)
        .annotate(target=Max("items__frequency_per_week"))
        .order_by("start_date", "pk")
    )
    weeks = (
        AdherenceEntry.objects.filter(plan__episode=episode)
        .annotate(week=TruncWeek("date"))
        .values("plan_id", "week")
        .annotate(done=Max("sessions_completed"))
    )
    shares: dict[int, list[float]] = {}
    targets = {plan.pk: plan.target for plan in plans}
    for row in weeks:
        target = targets.get(row["plan_id"])
        if target:
            shares.setdefault(row["plan_id"], []).append(min(1.0, row["done"] / target))
    return [
        PlanAdherence(
            plan=plan,
            weeks_reported=len(shares.get(plan.pk, [])),
            percent=round(100 * mean(shares[plan.pk])) if shares.get(plan.pk) else None,
        )
        for plan in plans
    ]


def pre_treatment_pain(*, episode_ids) -> dict[int, list[tuple[date, int]]]:
    """Each episode's pain before needling at its signed sessions, oldest first (one query):
    the NPRS scores an episode's pain outcome starts from."""
    rows = (
        NeedlingSession.objects.filter(episode_id__in=episode_ids)
        .signed()
        .order_by("started_at", "pk")
        # The local day in SQL: a date reads back several times faster than a timestamp.
        .values_list("episode_id", TruncDate("started_at"), "pain_before")
    )
    pain: dict[int, list[tuple[date, int]]] = {}
    for episode_id, day, before in rows:
        pain.setdefault(episode_id, []).append((day, before))
    return pain

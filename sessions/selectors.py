"""What other apps may read of a patient's care: the sessions app's public interface.

Other apps (the patient page) import from here, never from the app's models, querysets or
figures, so the sessions package can change its insides without touching them.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .figures.bodymap import MapRegion, patient_body_map
from .figures.pain_chart import PainChart, patient_pain_chart
from .models import AdverseEvent, NeedlingSession, StrengtheningPlan
from .services.gate import needling_gate


@dataclass(frozen=True)
class ClinicalSummary:
    sessions: QuerySet[NeedlingSession]
    active_plan: StrengtheningPlan | None
    adverse_events: list[AdverseEvent]
    map_regions: list[MapRegion]
    pain_chart: PainChart | None
    needling_refusal: str | None

    @property
    def major_events(self) -> list[AdverseEvent]:
        return [event for event in self.adverse_events if event.is_major]


def patient_clinical_summary(*, patient, viewer, screening=None) -> ClinicalSummary:
    """The patient's needling history (newest first, unevaluated so the caller can page it),
    active plan, adverse events, pain chart, body map with `screening`'s avoid-regions, and
    why the safety gate would refuse `viewer` needling now (None when it
    would allow it)."""
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
        needling_refusal=needling_gate(
            patient=patient, therapist=viewer, at=timezone.now(), with_precautions=False
        ).refusal,
    )

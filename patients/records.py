"""Episodes of care and outcome measures in a patient's audit history and record export."""

from clinic.audit.export import export_section
from clinic.audit.selectors import patient_record_collector

from .models import EpisodeOfCare, OutcomeAssessment, Patient


@patient_record_collector
def episode_records(patient: Patient):
    return [
        (EpisodeOfCare, EpisodeOfCare.objects.filter(patient=patient)),
        (OutcomeAssessment, OutcomeAssessment.objects.filter(episode__patient=patient)),
    ]


@export_section("episodes_of_care")
def episodes_of_care(patient: Patient) -> list[dict]:
    episodes = (
        EpisodeOfCare.objects.filter(patient=patient)
        .select_related("therapist")
        .prefetch_related("assessments")
        .order_by("opened_on", "pk")
    )
    return [
        {
            "body_region": episode.get_body_region_display(),
            "complaint": episode.complaint,
            "onset_date": episode.onset_date.isoformat() if episode.onset_date else None,
            "goal": episode.goal,
            "referral_source": episode.referral_source,
            "therapist": str(episode.therapist),
            "opened_on": episode.opened_on.isoformat(),
            "closed_on": episode.closed_on.isoformat() if episode.closed_on else None,
            "discharge_reason": episode.get_discharge_reason_display(),
            "discharge_note": episode.discharge_note,
            "outcome_measures": [
                {
                    "instrument": assessment.get_instrument_display(),
                    "timepoint": assessment.get_timepoint_display(),
                    "taken_on": assessment.taken_on.isoformat(),
                    "responses": assessment.responses,
                    "item_labels": assessment.item_labels,
                    "score": str(assessment.score),
                }
                for assessment in episode.assessments.all()
            ],
        }
        for episode in episodes
    ]

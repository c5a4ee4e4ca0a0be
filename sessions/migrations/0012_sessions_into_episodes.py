"""Each patient's existing sessions and plans go into one open episode of care, for the body
region most of their needled sites are in (ties go to the region listed first, head to foot;
a patient whose sessions have no sites gets the first region)."""

from collections import Counter, defaultdict

from django.db import migrations
from django.utils import timezone

MIGRATED_COMPLAINT = "Care recorded before episodes of care"


# Body regions head to foot, as they stood when episodes of care began.
REGIONS = [
    "head_neck",
    "shoulder",
    "thoracic",
    "chest",
    "upper_arm",
    "forearm_hand",
    "lumbar",
    "pelvis_hip",
    "thigh",
    "leg",
    "foot",
]


def sessions_into_episodes(apps, schema_editor):
    NeedlingSession = apps.get_model("treatment_sessions", "NeedlingSession")
    TriggerPointSite = apps.get_model("treatment_sessions", "TriggerPointSite")
    StrengtheningPlan = apps.get_model("treatment_sessions", "StrengtheningPlan")
    Patient = apps.get_model("patients", "Patient")
    EpisodeOfCare = apps.get_model("patients", "EpisodeOfCare")

    regions: dict[int, Counter] = defaultdict(Counter)
    for patient_id, region in TriggerPointSite.objects.values_list(
        "session__patient_id", "muscle__region"
    ):
        regions[patient_id][region] += 1
    first_sessions = {}
    for session in NeedlingSession.objects.order_by("patient_id", "started_at", "pk"):
        first_sessions.setdefault(session.patient_id, session)
    clinics = dict(Patient.objects.filter(pk__in=first_sessions).values_list("pk", "clinic_id"))
    for patient_id, first in first_sessions.items():
        counts = regions.get(patient_id, Counter())
        region = min(REGIONS, key=lambda r: (-counts[r], REGIONS.index(r)))
        episode = EpisodeOfCare.objects.create(
            patient_id=patient_id,
            clinic_id=clinics[patient_id],
            therapist_id=first.therapist_id,
            body_region=region,
            complaint=MIGRATED_COMPLAINT,
            opened_on=timezone.localtime(first.started_at).date(),
        )
        NeedlingSession.objects.filter(patient_id=patient_id).update(episode=episode)
        StrengtheningPlan.objects.filter(patient_id=patient_id).update(episode=episode)


def episodes_removed(apps, schema_editor):
    NeedlingSession = apps.get_model("treatment_sessions", "NeedlingSession")
    StrengtheningPlan = apps.get_model("treatment_sessions", "StrengtheningPlan")
    EpisodeOfCare = apps.get_model("patients", "EpisodeOfCare")
    NeedlingSession.objects.update(episode=None)
    StrengtheningPlan.objects.update(episode=None)
    EpisodeOfCare.objects.filter(complaint=MIGRATED_COMPLAINT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("treatment_sessions", "0011_episode_of_care"),
    ]

    operations = [
        migrations.RunPython(sessions_into_episodes, episodes_removed),
    ]

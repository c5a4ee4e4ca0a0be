"""Ties each consent signed before consents had an episode to the patient's episode of care open
when it was signed. With several open then, the one open longest after it (still open first,
then the latest discharge, then the newest intake), so no consent lapses sooner than it must.
A consent signed when no episode was open keeps no episode: it lapses only by withdrawal or a
form version requiring re-consent (docs/architecture.md, "Signed consent")."""

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone


def tie_to_episodes(apps, schema_editor):
    SignedConsent = apps.get_model("consent", "SignedConsent")
    EpisodeOfCare = apps.get_model("patients", "EpisodeOfCare")
    for consent in SignedConsent.objects.filter(episode__isnull=True).iterator():
        day = timezone.localdate(consent.signed_at)
        episode = (
            EpisodeOfCare.objects.filter(patient_id=consent.patient_id, opened_on__lte=day)
            .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day))
            .order_by(F("closed_on").desc(nulls_first=True), "-opened_on", "-pk")
            .first()
        )
        if episode is not None:
            SignedConsent.objects.filter(pk=consent.pk).update(episode=episode)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_consent_episode_and_form_token"),
    ]

    operations = [migrations.RunPython(tie_to_episodes, migrations.RunPython.noop)]

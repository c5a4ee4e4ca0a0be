"""What a patient answers through a link, written by the services staff entries use."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.models import CollectionMethod, OutcomeAssessment
from patients.services.episode import outcome_record
from sessions.models import AdherenceEntry, ContactMethod, SorenessCheck, TriggerPointSite
from sessions.services.followup import soreness_check_record
from sessions.services.plans import adherence_self_log

from ..models import PatientLink
from ..rules import LINK_EXPIRED
from .links import as_the_patient, link_answered


@transaction.atomic
def check_self_report(
    *,
    link: PatientLink,
    soreness: int,
    resolved: bool,
    sore_sites: Iterable[TriggerPointSite] = (),
    chest_pain: bool | None = None,
    breathlessness: bool | None = None,
    dry_cough: bool | None = None,
) -> SorenessCheck:
    """The patient's answer to a soreness check: recorded, timed and escalated exactly as a
    therapist's entry, with the method "patient self-report", warning signs included."""
    with as_the_patient(link):
        check = soreness_check_record(
            check=link.soreness_check,
            actor=None,
            method=ContactMethod.SELF_REPORT,
            soreness=soreness,
            resolved=resolved,
            sore_sites=sore_sites,
            chest_pain=chest_pain,
            breathlessness=breathlessness,
            dry_cough=dry_cough,
        )
    link_answered(link=link)
    return check


@transaction.atomic
def plan_self_log(
    *, link: PatientLink, logs: Sequence[Mapping[str, Any]], notes: str = ""
) -> AdherenceEntry:
    """The patient's log of today's exercise: one adherence entry, one log per exercise."""
    with as_the_patient(link):
        entry = adherence_self_log(
            plan=link.plan, date=timezone.localdate(), logs=logs, notes=notes
        )
    link_answered(link=link)
    return entry


@transaction.atomic
def outcome_self_report(
    *, link: PatientLink, answers: Mapping[str, tuple[Sequence[int | None], Sequence[str]]]
) -> list[OutcomeAssessment]:
    """The patient's answers to the link's instruments, `answers` mapping each instrument to
    (item responses, PSFS activity names): each scored by the service staff entries use, all or
    none, with the method "patient self-report". The link then stops working.

    The link is locked and checked again here: a second submit, or a revoke or a newer link
    while the patient was answering, records nothing."""
    answerable = (
        PatientLink.objects.live(timezone.now())
        .select_for_update()
        .filter(pk=link.pk, answered_at__isnull=True)
    )
    if not answerable.exists():
        raise ValidationError(LINK_EXPIRED)
    with as_the_patient(link):
        assessments = [
            outcome_record(
                episode=link.episode,
                recorded_by=None,
                method=CollectionMethod.SELF_REPORT,
                instrument=code,
                timepoint=link.timepoint,
                taken_on=timezone.localdate(),
                responses=answers[code][0],
                item_labels=answers[code][1],
            )
            for code in link.instruments
        ]
    link_answered(link=link)
    return assessments

"""Demo clinic data: deterministic, idempotent, built only through the services."""

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from clinic.accounts import services as staff_services
from clinic.accounts.models import Clinic, Role, User
from patients import services as patient_services
from patients.consent import services as consent_services
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import (
    BodyRegion,
    DischargeReason,
    EpisodeOfCare,
    Patient,
    QuestionCategory,
    ScreeningQuestion,
    Sex,
    Side,
)
from patients.services import episode as episode_services
from sessions.models import (
    AdverseEventType,
    ConsentMethod,
    Muscle,
    Severity,
    Technique,
)
from sessions.models.followup import STAFF_METHODS
from sessions.services import followup as followup_services
from sessions.services import needling as session_services
from sessions.services import plans as plan_services

from .data import (
    DEMO_CLINIC,
    DEMO_CREDENTIALS,
    DEMO_INSTRUMENTS,
    DEMO_PASSWORD,
    DEMO_PHONE,
    DEMO_STAFF,
    FIRST_NAMES,
    LAST_NAMES,
    PLAN_GOALS,
    PSFS_ACTIVITIES,
    SCENARIOS,
    SITE_PLANS,
    WITHDRAWN_CONSENT_PATIENT,
)


@dataclass
class DemoResult:
    clinic: Clinic
    staff: list[User]
    patients_created: int


def ensure_staff(clinic: Clinic) -> list[User]:
    staff = []
    for username, first, last, role in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"clinic": clinic, "first_name": first, "last_name": last, "role": role},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        staff.append(user)
    _ensure_credentials(staff)
    return staff


def _ensure_credentials(staff: list[User]) -> None:
    admin = next(member for member in staff if member.role == Role.CLINIC_ADMIN)
    completed = timezone.localdate() - timedelta(days=365)
    for member in staff:
        if member.username not in DEMO_CREDENTIALS or member.credentials.exists():
            continue
        course, hours, jurisdiction, years = DEMO_CREDENTIALS[member.username]
        staff_services.credential_add(
            actor=admin,
            holder=member,
            course=course,
            hours=hours,
            completed_on=completed,
            jurisdiction=jurisdiction,
            valid_until=completed + timedelta(days=365 * years) if years else None,
        )


def build_demo(*, patients: int, progress=lambda items: items) -> DemoResult:
    clinic, _ = Clinic.objects.get_or_create(name=DEMO_CLINIC, defaults={"phone": DEMO_PHONE})
    staff = ensure_staff(clinic)
    therapists = [member for member in staff if member.role == Role.THERAPIST]
    questions = list(ScreeningQuestion.objects.active())
    muscles = {muscle.name: muscle for muscle in Muscle.objects.active()}
    created = 0
    for index in progress(range(1, patients + 1)):
        mrn = f"RP{index:05d}"
        if Patient.objects.filter(clinic=clinic, mrn=mrn).exists():
            continue
        with transaction.atomic():
            _demo_patient(
                clinic, index, mrn, therapists[index % len(therapists)], questions, muscles
            )
        created += 1
    return DemoResult(clinic=clinic, staff=staff, patients_created=created)


def _demo_patient(clinic, index, mrn, therapist, questions, muscles) -> Patient:
    rng = random.Random(index)
    scenario = SCENARIOS[(index - 1) % len(SCENARIOS)]
    patient = patient_services.patient_register(
        clinic=clinic,
        mrn=mrn,
        first_name=FIRST_NAMES[index % len(FIRST_NAMES)],
        last_name=LAST_NAMES[(index * 7) % len(LAST_NAMES)],
        date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55)),
        sex=rng.choice(Sex.values),
        phone=f"07700 9{index:05d}",
        email=f"demo.patient{index}@example.org",
        # Most demo patients agreed to be sent follow-up and exercise links.
        contact_consent=index % 3 != 0,
        takes_anticoagulants=scenario == "precautions" and index % 2 == 0,
        relevant_history=rng.choice(
            [
                "",
                "Desk worker, neck and shoulder pain.",
                "Runner, recurrent calf tightness.",
                "Low back pain 2 years.",
            ]
        ),
    )
    if scenario == "none":
        return patient
    days_ago = 40 if scenario == "expired" else rng.randrange(0, 20)
    screening = patient_services.screening_record(
        patient=patient,
        therapist=therapist,
        answers=dict(_answers(questions, scenario, rng)),
        avoid_regions=[(BodyRegion.FOREARM_HAND, Side.LEFT)] if scenario == "precautions" else [],
        justification=(
            "Superficial needling only, away from the left forearm; pressure held after each "
            "insertion."
            if scenario == "precautions"
            else ""
        ),
        notes="Demo screening.",
        taken_at=timezone.now() - timedelta(days=days_ago, hours=rng.randrange(1, 8)),
    )
    if screening.allows_needling:
        episode = _demo_episode(patient, therapist, screening, muscles)
        consent = _demo_consent(
            patient, episode, therapist, screening.taken_at - timedelta(minutes=15), rng
        )
        _demo_sessions(patient, therapist, screening, muscles, rng)
        _demo_plan(patient, therapist, rng)
        _demo_outcomes(episode, therapist, rng)
        if index == WITHDRAWN_CONSENT_PATIENT:
            consent_services.consent_withdraw(consent=consent, witness=therapist)
    return patient


def _demo_consent(patient, episode, therapist, signed_at, rng):
    """Signed on the tablet for the episode, before its first needling: a wavy stroke for the
    signature."""
    points = [(20 + step * 14, 100 + rng.randrange(-40, 40)) for step in range(40)]
    signature = "M" + "L".join(f"{x},{y}" for x, y in points)
    return consent_services.consent_sign(
        patient=patient,
        episode=episode,
        form=consent_services.consent_form_current(clinic=patient.clinic),
        witness=therapist,
        signer_name=patient.full_name,
        questions_answered=True,
        signature=signature,
        signed_at=signed_at,
    )


def _demo_episode(patient, therapist, screening, muscles) -> EpisodeOfCare:
    """The intake that opens the episode the patient's sessions belong to."""
    regions = Counter(muscles[name].region for name, _ in SITE_PLANS[patient.pk % len(SITE_PLANS)])
    region = regions.most_common(1)[0][0]
    intake = timezone.localtime(screening.taken_at).date()
    return episode_services.episode_open(
        patient=patient,
        therapist=therapist,
        body_region=region,
        complaint=f"{BodyRegion(region).label} pain",
        onset_date=intake - timedelta(weeks=6),
        opened_on=intake,
        goal="Back to work and sport without pain.",
        referral_source="Self",
    )


def _demo_outcomes(episode, therapist, rng) -> None:
    """Intake scores on the region's instrument and the PSFS, re-assessed after the latest
    session with a better score; every fourth patient is discharged with their goals met."""
    code = DEMO_INSTRUMENTS.get(episode.body_region, Instrument.PSFS)
    spec = INSTRUMENTS[code]
    latest = episode.needling_sessions.order_by("-started_at").first()
    last_day = timezone.localtime(latest.started_at).date() if latest else episode.opened_on
    worse = spec.item_max if not spec.higher_is_better else spec.item_min
    better = spec.item_min if not spec.higher_is_better else spec.item_max
    timepoints = [(Timepoint.INTAKE, episode.opened_on, worse)]
    discharge = episode.patient_id % 4 == 0 and last_day > episode.opened_on
    later = Timepoint.DISCHARGE if discharge else Timepoint.REASSESSMENT
    if last_day > episode.opened_on:
        timepoints.append((later, last_day, better))
    for timepoint, day, lean in timepoints:
        for instrument in (code, Instrument.PSFS):
            item = INSTRUMENTS[instrument]
            span = range(item.item_min, item.item_max + 1)
            responses = [
                (rng.choice(span) + lean) // 2
                if number <= 3 or not item.patient_named_items
                else None
                for number in range(1, item.item_count + 1)
            ]
            episode_services.outcome_record(
                episode=episode,
                recorded_by=therapist,
                instrument=instrument,
                timepoint=timepoint,
                taken_on=day,
                responses=responses,
                item_labels=PSFS_ACTIVITIES if item.patient_named_items else (),
            )
    if discharge:
        episode_services.episode_discharge(
            episode=episode, actor=therapist, closed_on=last_day, reason=DischargeReason.GOALS_MET
        )


def _demo_plan(patient, therapist, rng) -> None:
    """Every third needled patient follows a plan paired with their first sessions, with weekly
    adherence whose effort falls, so some exercises are due a progression."""
    sessions = list(patient.needling_sessions.order_by("started_at")[:2])
    if patient.pk % 3 or not sessions:
        return
    exercises = plan_services.exercise_suggestions(sessions=sessions)[:3]
    if not exercises:
        return
    start = timezone.localtime(sessions[0].started_at).date()
    plan = plan_services.plan_create(
        patient=patient,
        therapist=therapist,
        sessions=sessions,
        goal=rng.choice(PLAN_GOALS),
        start_date=start,
        review_date=start + timedelta(weeks=6),
        items=[plan_services.exercise_default_item(exercise) for exercise in exercises],
    )
    items = list(plan.items.all())
    effort = rng.randrange(6, 9)
    day = start + timedelta(days=7)
    while day <= timezone.localdate():
        plan_services.adherence_record(
            plan=plan,
            recorded_by=therapist,
            date=day,
            sessions_completed=rng.randrange(1, 4),
            logs=[
                {
                    "item": item,
                    "sets_done": item.sets,
                    "rpe": effort,
                    "pain_during": rng.randrange(0, 3),
                }
                for item in items
            ],
        )
        effort = max(3, effort - rng.randrange(0, 3))
        day += timedelta(days=7)


def _demo_sessions(patient, therapist, screening, muscles, rng) -> None:
    plan = SITE_PLANS[patient.pk % len(SITE_PLANS)]
    started_at = screening.taken_at + timedelta(minutes=20)
    pain = rng.randrange(5, 9)
    while started_at < min(timezone.now(), screening.valid_until):
        session = session_services.session_record(
            patient=patient,
            therapist=therapist,
            started_at=started_at,
            consent_method=ConsentMethod.VERBAL,
            consent_obtained=True,
            health_unchanged=True,
            pain_before=pain,
            pain_after=max(0, pain - rng.randrange(1, 4)),
            needle_type="Solid filament 0.25 x 40 mm, guide tube",
            needles_used=len(plan) * 2,
            needles_disposed=len(plan) * 2,
            clean_technique=True,
            sharps_disposed=True,
            notes="",
            sites=[
                {
                    "muscle": muscles[name],
                    "side": side,
                    "technique": rng.choice([Technique.STATIC, Technique.PISTONING]),
                    "insertions": rng.randrange(2, 8),
                    "twitch_response": rng.random() < 0.6,
                    "lung_risk_acknowledged": muscles[name].lung_risk,
                }
                for name, side in plan
            ],
        )
        session = session_services.session_sign(session=session, actor=therapist)
        _demo_followups(session, therapist, rng)
        pain = max(1, pain - rng.randrange(0, 3))
        started_at += timedelta(days=7)


def _demo_followups(session, therapist, rng) -> None:
    """Past follow-ups are recorded (some late, one escalating); today's are left to do."""
    now = timezone.now()
    # One patient in nine had soreness that lingered after last week's session.
    lingering = session.patient.pk % 9 == 0 and (
        now - timedelta(days=14) < session.started_at <= now - timedelta(days=7)
    )
    soreness = rng.randrange(2, 6)
    for check in session.checks.order_by("due_at"):
        if check.due_at > now - timedelta(hours=12):
            break
        soreness = max(0, soreness - rng.randrange(1, 3))
        resolved = not lingering and (soreness == 0 or check.hours_after >= 48)
        followup_services.soreness_check_record(
            check=check,
            actor=therapist,
            method=rng.choice([method.value for method in STAFF_METHODS]),
            soreness=max(soreness, 2) if lingering else soreness,
            resolved=resolved,
            done_at=check.due_at + timedelta(hours=rng.choice([-2, 1, 3, 14])),
            notes="Demo follow-up.",
            chest_pain=False,
            breathlessness=False,
            dry_cough=False,
        )
        if resolved:
            break
    if session.patient.pk % 4 == 1:
        followup_services.adverse_event_record(
            session=session,
            reporter=therapist,
            event_type=AdverseEventType.BRUISING,
            severity=Severity.MILD,
            onset_at=session.started_at + timedelta(minutes=30),
            description="Small bruise at a needling site.",
            action_taken="Pressure and ice; reassured.",
            resolved_on=timezone.localtime(session.started_at).date() + timedelta(days=3),
        )


def _answers(questions, scenario, rng) -> Iterator[tuple[int, bool]]:
    wanted = {
        "precautions": QuestionCategory.RELATIVE,
        "not_cleared": QuestionCategory.ABSOLUTE,
        "refer": QuestionCategory.RED_FLAG,
    }.get(scenario)
    candidates = [
        q
        for q in questions
        if q.category == wanted and not (q.needs_avoid_region or q.superficial_only)
    ] or [None]
    chosen = rng.choice(candidates)
    for question in questions:
        yield question.pk, chosen is not None and question.pk == chosen.pk

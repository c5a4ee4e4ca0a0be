"""A synthetic clinic network of any size, written fast with bulk inserts.

The rows bypass the services (no safety gate, no audit entries, no signals): that is fine for
synthetic data, and it is what makes 200,000 sessions take minutes instead of hours. Every row
still satisfies every database constraint, and the data follows the services' rules too: each
session relies on a screening valid when it started, lung-risk sites are acknowledged, checks
are timed and escalated as `soreness_check_record` would, a patient has one active plan.

Proportions (per needled patient, on average): 10 weekly sessions in episodes of up to 4 under
one 30-day screening, 3 trigger-point sites a session, 3 soreness checks a signed session, a
confirmed adverse event for 1 session in 12, a strengthening plan for 1 patient in 3. One
patient in ten is in care now (screening valid, checks due). Screening answers are written for
the screenings of the last year only (what the reports and the safety gate read), to keep the
build fast. Old follow-ups are all recorded, late if need be; missed ones are recent only
(the worklist lists every open follow-up, whatever its age).
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clinic.accounts.models import Clinic, Credential, Role, User
from patients.consent.document import consent_text, text_sha256
from patients.consent.models import ConsentForm, SignedConsent
from patients.consent.services import consent_form_current
from patients.models import (
    BodyRegion,
    Patient,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    ScreeningQuestion,
    Sex,
    Side,
)
from sessions.models import (
    AdherenceEntry,
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ConsentMethod,
    EventStatus,
    Exercise,
    ExerciseLog,
    GateOutcome,
    Muscle,
    NeedlingSession,
    PlanItem,
    PlanPairing,
    PlanStatus,
    SessionAddendum,
    SessionStatus,
    Severity,
    SorenessCheck,
    StrengtheningPlan,
    Technique,
    Timeliness,
    TriggerPointSite,
)
from sessions.models.followup import STAFF_METHODS
from sessions.rules.followup import (
    CHECK_WINDOW,
    MISSED_AFTER,
    WARNING_SIGNS_WITHIN_HOURS,
    escalation_description,
)
from sessions.services.plans import exercise_default_item

from .episodes import course_episode, discharge_day

DEFAULT_PATIENTS = 20_000
DEFAULT_SESSIONS = 200_000
SITES_PER_SESSION = (1, 2, 3, 3, 4, 5)  # 3 on average: 600,000 sites for 200,000 sessions
CLINIC_PREFIX = "Bench clinic"
# The biggest clinic first: the benchmark signs in there.
CLINIC_SHARES = (0.40, 0.25, 0.15, 0.12, 0.08)
PATIENTS_PER_THERAPIST = 500
BENCH_PASSWORD = "needletrack-bench"
HISTORY = timedelta(days=5 * 365)
ANSWERS_FOR = timedelta(days=365)
SESSIONS_PER_EPISODE = 4
PATIENTS_PER_TRANSACTION = 1000
BATCH_SIZE = 5000

# fmt: off
FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack", "Kate",
    "Leo", "Maya", "Noah", "Olivia", "Paul", "Rosa", "Theo", "Uma", "Will", "Amir", "Bea",
    "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo", "Kofi", "Lena", "Mo", "Nina",
    "Omar", "Pia", "Quinn", "Ravi", "Sofia", "Tom", "Ulla", "Vera", "Wei", "Xena", "Yusuf",
    "Zoe",
)
# fmt: on
# fmt: off
SURNAME_STEMS = (
    "Smith", "Jones", "Brown", "Tay", "Wil", "Dav", "Ev", "Thom", "John", "Rob", "Wright",
    "Walk", "Wood", "Hall", "Green", "Hugh", "Lew", "Edw", "Clark", "Harr", "Scott", "Turn",
    "Hill", "Mart", "Coop", "Ward", "Morr", "King", "Bak", "Bell", "Shaw", "Fost", "Reid", "Nol",
    "Mur", "Pat", "Sing", "Kha", "Iqb", "Adam",
)
# fmt: on
SURNAME_ENDINGS = ("", "son", "er", "well", "ley", "ford", "ton", "ham", "by", "s", "ington")
MUSCLE_PLANS = (
    (
        ("Upper trapezius", Side.RIGHT),
        ("Levator scapulae", Side.RIGHT),
        ("Suboccipitals", Side.BILATERAL),
        ("Splenius capitis", Side.RIGHT),
        ("Infraspinatus", Side.RIGHT),
    ),
    (
        ("Gluteus medius", Side.LEFT),
        ("Piriformis", Side.LEFT),
        ("Quadratus lumborum", Side.LEFT),
        ("Gluteus minimus", Side.LEFT),
        ("Lumbar multifidus", Side.BILATERAL),
    ),
    (
        ("Gastrocnemius", Side.RIGHT),
        ("Soleus", Side.RIGHT),
        ("Tibialis anterior", Side.RIGHT),
        ("Peroneals", Side.RIGHT),
        ("Hamstrings", Side.RIGHT),
    ),
    (
        ("Infraspinatus", Side.LEFT),
        ("Teres minor", Side.LEFT),
        ("Supraspinatus", Side.LEFT),
        ("Deltoid", Side.LEFT),
        ("Teres major", Side.LEFT),
    ),
    (
        ("Lumbar multifidus", Side.BILATERAL),
        ("Quadratus lumborum", Side.RIGHT),
        ("Gluteus maximus", Side.RIGHT),
        ("Iliopsoas", Side.RIGHT),
        ("Piriformis", Side.RIGHT),
    ),
    (
        ("Vastus lateralis", Side.LEFT),
        ("Vastus medialis", Side.LEFT),
        ("Rectus femoris", Side.LEFT),
        ("Tensor fasciae latae", Side.LEFT),
        ("Adductors", Side.LEFT),
    ),
    (
        ("Rhomboids", Side.RIGHT),
        ("Middle trapezius", Side.RIGHT),
        ("Thoracic paraspinals", Side.BILATERAL),
        ("Lower trapezius", Side.RIGHT),
        ("Upper trapezius", Side.RIGHT),
    ),
    (
        ("Wrist extensors", Side.RIGHT),
        ("Brachioradialis", Side.RIGHT),
        ("Wrist flexors", Side.RIGHT),
        ("Triceps brachii", Side.RIGHT),
        ("Biceps brachii", Side.RIGHT),
    ),
)
EVENT_TYPES = (
    (AdverseEventType.BRUISING, 50),
    (AdverseEventType.PAIN_DURING, 15),
    (AdverseEventType.BLEEDING, 10),
    (AdverseEventType.DROWSINESS, 8),
    (AdverseEventType.HEADACHE, 6),
    (AdverseEventType.AGGRAVATION, 5),
    (AdverseEventType.VASOVAGAL, 3),
    (AdverseEventType.SKIN_REACTION, 2),
    (AdverseEventType.NAUSEA, 1),
)
AT_A_SITE = {
    AdverseEventType.BRUISING,
    AdverseEventType.BLEEDING,
    AdverseEventType.PAIN_DURING,
    AdverseEventType.SKIN_REACTION,
}
EVENT_RATE = 1 / 12
PNEUMOTHORAX_RATE = 1 / 10_000
ADDENDUM_RATE = 0.01
LINGERING_RATE = 0.01
MISSED_RATE = 0.08
RECENT = timedelta(days=14)
WINDOW_HOURS = CHECK_WINDOW.total_seconds() / 3600


@dataclass(frozen=True)
class Size:
    patients: int
    sessions: int

    @classmethod
    def at(cls, scale: float) -> "Size":
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        return cls(
            patients=max(len(CLINIC_SHARES) * 4, round(DEFAULT_PATIENTS * scale)),
            sessions=max(len(CLINIC_SHARES) * 8, round(DEFAULT_SESSIONS * scale)),
        )


@dataclass
class Rows:
    """What one transaction writes, in insert order (parents before children)."""

    patients: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    screenings: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    avoid_regions: list = field(default_factory=list)
    episodes: list = field(default_factory=list)
    sessions: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    events: list = field(default_factory=list)
    addenda: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    pairings: list = field(default_factory=list)
    items: list = field(default_factory=list)
    entries: list = field(default_factory=list)
    logs: list = field(default_factory=list)
    assessments: list = field(default_factory=list)

    def write(self) -> Counter:
        written = Counter()
        for name, rows in vars(self).items():
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=BATCH_SIZE)
                written[name] += len(rows)
        return written


@dataclass
class Catalogue:
    questions: list[ScreeningQuestion]
    muscles: dict[str, Muscle]
    exercises_for: dict[int, list[Exercise]]
    any_exercises: list[Exercise]

    @classmethod
    def load(cls) -> "Catalogue":
        exercises = list(Exercise.objects.active().prefetch_related("muscles"))
        exercises_for: dict[int, list[Exercise]] = {}
        for exercise in exercises:
            for muscle in exercise.muscles.all():
                exercises_for.setdefault(muscle.pk, []).append(exercise)
        return cls(
            questions=list(ScreeningQuestion.objects.active()),
            muscles={muscle.name: muscle for muscle in Muscle.objects.all()},
            exercises_for=exercises_for,
            any_exercises=exercises,
        )


@dataclass
class BenchClinic:
    clinic: Clinic
    admin: User
    therapists: list[User]
    patients: int
    consent_form: ConsentForm


def bench_clinics() -> list[Clinic]:
    return list(Clinic.objects.filter(name__startswith=CLINIC_PREFIX).order_by("name"))


def build_dataset(
    *,
    scale: float = 1.0,
    seed: int = 1,
    now: datetime | None = None,
    progress: Callable[[int], object] = lambda patients: None,
) -> Counter:
    """Write the clinics, staff and clinical records; returns the rows written per kind."""
    if bench_clinics():
        raise ValueError("The database already holds a benchmark dataset; use an empty one.")
    size = Size.at(scale)
    now = now or timezone.now()
    catalogue = Catalogue.load()
    clinics = _create_clinics(size)
    needled_share = 0.91
    mean_sessions = size.sessions / (size.patients * needled_share)
    written = Counter(clinics=len(clinics), staff=sum(len(c.therapists) + 1 for c in clinics))
    work = [(c, index) for c in clinics for index in range(1, c.patients + 1)]
    rng = random.Random(seed)
    for start in range(0, len(work), PATIENTS_PER_TRANSACTION):
        rows = Rows()
        chunk = work[start : start + PATIENTS_PER_TRANSACTION]
        for bench_clinic, index in chunk:
            _PatientHistory(rows, bench_clinic, index, rng, now, catalogue, mean_sessions).build()
        with transaction.atomic():
            written += rows.write()
        progress(len(chunk))
    if connection.vendor == "postgresql":
        # Statistics and visibility map as autovacuum keeps them on a database that grew over
        # years (VACUUM cannot run inside a transaction: ANALYZE alone there).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return written


def _create_clinics(size: Size) -> list[BenchClinic]:
    password = make_password(BENCH_PASSWORD)
    result = []
    for number, share in enumerate(CLINIC_SHARES, start=1):
        clinic = Clinic.objects.create(name=f"{CLINIC_PREFIX} {number}")
        patients = round(size.patients * share)
        admin = User(
            username=f"bench{number}-admin",
            first_name="Admin",
            last_name=f"Clinic {number}",
            clinic=clinic,
            role=Role.CLINIC_ADMIN,
            password=password,
        )
        therapists = [
            User(
                username=f"bench{number}-t{n:02d}",
                first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
                last_name=f"Therapist {n:02d}",
                clinic=clinic,
                role=Role.THERAPIST,
                password=password,
            )
            for n in range(1, max(2, round(patients / PATIENTS_PER_THERAPIST)) + 1)
        ]
        User.objects.bulk_create([admin, *therapists])
        # Needling is recorded only by a therapist holding a current credential.
        Credential.objects.bulk_create(
            Credential(
                holder=therapist,
                course="Dry needling level 1 and 2",
                hours=54,
                completed_on=date(2020, 1, 6),
                jurisdiction="Colorado",
            )
            for therapist in therapists
        )
        form = consent_form_current(clinic=clinic)
        result.append(BenchClinic(clinic, admin, therapists, patients, form))
    return result


class _PatientHistory:
    """One patient's record from registration to today, appended to `rows`."""

    def __init__(self, rows, bench_clinic, index, rng, now, catalogue, mean_sessions):
        self.rows, self.rng, self.now, self.catalogue = rows, rng, now, catalogue
        self.clinic = bench_clinic.clinic
        self.consent_form = bench_clinic.consent_form
        self.index = index
        self.therapist = rng.choice(bench_clinic.therapists)
        self.mean_sessions = mean_sessions
        self.plan = [(catalogue.muscles[name], side) for name, side in rng.choice(MUSCLE_PLANS)]

    def build(self) -> None:
        rng = self.rng
        kind = rng.random()
        in_care = kind >= 0.09 and rng.random() < 0.10
        patient = self._patient(archived=not in_care and rng.random() < 0.05)
        if kind < 0.03:
            return
        if kind < 0.09:
            outcome = ScreeningOutcome.REFER if kind < 0.06 else ScreeningOutcome.NOT_CLEARED
            self._screening(patient, self.now - rng.random() * HISTORY, outcome)
            return
        count = min(150, max(1, round(rng.gammavariate(2, self.mean_sessions / 2))))
        episodes = [SESSIONS_PER_EPISODE] * (count // SESSIONS_PER_EPISODE)
        if count % SESSIONS_PER_EPISODE:
            episodes.append(count % SESSIONS_PER_EPISODE)
        if in_care:
            last = episodes[-1]
            start = self.now - timedelta(days=7 * (last - 1) + rng.uniform(0.3, 6.5))
        else:
            start = self.now - timedelta(days=rng.uniform(60, HISTORY.days))
        starts = [start]
        for _ in episodes[1:]:
            starts.append(starts[-1] - timedelta(days=rng.uniform(35, 75)))
        self._consent(patient, starts[-1] - timedelta(minutes=30))
        sessions = []
        for episode_start, sessions_in_episode in zip(reversed(starts), episodes, strict=True):
            outcome = (
                ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
                if rng.random() < 0.2
                else ScreeningOutcome.CLEARED
            )
            screening = self._screening(patient, episode_start - timedelta(minutes=20), outcome)
            last = episode_start + timedelta(days=7 * (sessions_in_episode - 1))
            still_in_care = in_care and episode_start == start
            episode = course_episode(
                self,
                patient,
                timezone.localtime(episode_start).date(),
                None if still_in_care else discharge_day(timezone.localtime(last).date()),
            )
            sessions.extend(
                self._session(patient, screening, episode_start + timedelta(days=7 * week), episode)
                for week in range(sessions_in_episode)
            )
        if self.index % 3 == 0:
            self._plan(patient, sessions[-min(2, episodes[-1]) :], active=in_care)

    def _patient(self, *, archived: bool) -> Patient:
        rng = self.rng
        patient = Patient(
            clinic=self.clinic,
            mrn=f"C{self.clinic.pk}-{self.index:07d}",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(SURNAME_STEMS) + rng.choice(SURNAME_ENDINGS),
            date_of_birth=(self.now - timedelta(days=rng.randrange(18 * 365, 85 * 365))).date(),
            sex=rng.choice(Sex.values),
            phone=f"07700 {rng.randrange(100000, 999999)}",
            takes_anticoagulants=rng.random() < 0.08,
            relevant_history=rng.choice(
                ["", "Desk worker, neck and shoulder pain.", "Runner, recurrent calf tightness."]
            ),
            archived_at=self.now - timedelta(days=rng.randrange(1, 900)) if archived else None,
        )
        self.rows.patients.append(patient)
        return patient

    def _consent(self, patient, signed_at) -> None:
        """Signed before the first needling, as the safety gate requires."""
        form = self.consent_form
        text = consent_text(
            body=form.body, therapist=self.therapist, on=timezone.localdate(signed_at)
        )
        self.rows.consents.append(
            SignedConsent(
                clinic=self.clinic,
                patient=patient,
                form=form,
                title=form.title,
                text=text,
                text_sha256=text_sha256(title=form.title, text=text),
                questions_answered=True,
                signer_name=f"{patient.first_name} {patient.last_name}",
                signature="M20,100L200,80L380,120",
                signed_at=signed_at,
                witness=self.therapist,
            )
        )

    def _screening(self, patient, taken_at, outcome) -> Screening:
        screening = Screening(
            patient=patient,
            therapist=self.therapist,
            checklist_version_id=self.catalogue.questions[0].version_id,
            taken_at=taken_at,
            valid_until=taken_at + timedelta(days=self.clinic.screening_validity_days),
            outcome=outcome,
            justification=(
                "Superficial needling only; pressure held after each insertion."
                if outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
                else ""
            ),
        )
        self.rows.screenings.append(screening)
        if taken_at >= self.now - ANSWERS_FOR:
            self._answers(screening, outcome)
        if outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS and self.rng.random() < 0.3:
            needled = {muscle.region for muscle, _ in self.plan}
            region = self.rng.choice([r for r in BodyRegion.values if r not in needled])
            self.rows.avoid_regions.append(
                screening.avoid_regions.model(screening=screening, region=region, side=Side.LEFT)
            )
        return screening

    def _answers(self, screening, outcome) -> None:
        category = {
            ScreeningOutcome.REFER: QuestionCategory.RED_FLAG,
            ScreeningOutcome.NOT_CLEARED: QuestionCategory.ABSOLUTE,
            ScreeningOutcome.CLEARED_WITH_PRECAUTIONS: QuestionCategory.RELATIVE,
        }.get(outcome)
        candidates = [
            q
            for q in self.catalogue.questions
            if q.category == category and not q.needs_avoid_region
        ]
        found = self.rng.choice(candidates) if candidates else None
        self.rows.answers.extend(
            ScreeningAnswer(
                screening=screening, question=q, category=q.category, present=q == found
            )
            for q in self.catalogue.questions
        )

    def _session(self, patient, screening, started_at, episode) -> NeedlingSession:
        rng = self.rng
        pain_before = rng.randrange(3, 10)
        draft = started_at > self.now - timedelta(days=2) and rng.random() < 0.1
        session = NeedlingSession(
            patient=patient,
            clinic_id=patient.clinic_id,
            therapist=self.therapist,
            episode=episode,
            screening=screening,
            started_at=started_at,
            consent_method=rng.choice(ConsentMethod.values),
            consent_obtained=True,
            health_unchanged=True,
            pain_before=pain_before,
            pain_after=max(0, pain_before - rng.randrange(0, 5)),
            needle_type="Solid filament 0.25 x 40 mm, guide tube",
            clean_technique=True,
            sharps_disposed=True,
            gate_outcome=(
                GateOutcome.PRECAUTIONS
                if screening.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
                else GateOutcome.CLEARED
            ),
            gate_summary=f"Screening of {screening.taken_at:%d %b %Y %H:%M} checked.",
            status=SessionStatus.DRAFT if draft else SessionStatus.SIGNED,
            signed_at=None if draft else started_at + timedelta(minutes=40),
        )
        self.rows.sessions.append(session)
        sites = [self._site(session, muscle, side) for muscle, side in self.plan]
        sites = sites[: rng.choice(SITES_PER_SESSION)]
        self.rows.sites.extend(sites)
        if draft:
            return session
        checks = self._checks(session, lung_risk=any(s.lung_risk for s in sites))
        if rng.random() < EVENT_RATE:
            self._event(session, sites)
        if rng.random() < ADDENDUM_RATE:
            self.rows.addenda.append(
                SessionAddendum(
                    session=session,
                    author=self.therapist,
                    reason="Late entry",
                    text="Patient rang: soreness settled overnight.",
                )
            )
        if checks and checks[-1].status == CheckStatus.DONE and not checks[-1].resolved:
            self._escalation(session, checks[-1])
        return session

    def _site(self, session, muscle, side) -> TriggerPointSite:
        rng = self.rng
        return TriggerPointSite(
            session=session,
            muscle=muscle,
            side=side,
            technique=rng.choice((Technique.STATIC, Technique.PISTONING, Technique.ROTATION)),
            insertions=rng.randrange(1, 9),
            twitch_response=rng.random() < 0.6,
            depth_mm=rng.randrange(10, 60),
            needle_length_mm=rng.choice((30, 40, 50)),
            needle_gauge_mm=rng.choice((Decimal("0.25"), Decimal("0.30"))),
            lung_risk=muscle.lung_risk,
            lung_risk_acknowledged=muscle.lung_risk,
        )

    def _checks(self, session, *, lung_risk: bool) -> list[SorenessCheck]:
        rng, now = self.rng, self.now
        lingering = rng.random() < LINGERING_RATE
        soreness = rng.randrange(1, 6)
        closed = False
        checks = []
        for hours in self.clinic.soreness_check_hours:
            due_at = session.started_at + timedelta(hours=hours)
            check = SorenessCheck(
                session=session,
                clinic=self.clinic,
                hours_after=hours,
                due_at=due_at,
                asks_warning_signs=lung_risk and hours <= WARNING_SIGNS_WITHIN_HOURS,
            )
            checks.append(check)
            if closed:
                check.status = CheckStatus.CLOSED
                continue
            timeliness = rng.choices(Timeliness.values, weights=(5, 85, 10))[0]
            offset = {
                Timeliness.EARLY: -rng.uniform(WINDOW_HOURS + 0.5, 20),
                Timeliness.ON_TIME: rng.uniform(-WINDOW_HOURS + 0.5, WINDOW_HOURS - 0.5),
                Timeliness.LATE: rng.uniform(WINDOW_HOURS + 0.5, 36),
            }[timeliness]
            done_at = due_at + timedelta(hours=offset)
            if done_at > now:
                if due_at <= now - MISSED_AFTER:
                    check.status = CheckStatus.MISSED
                continue
            if due_at > now - RECENT and rng.random() < MISSED_RATE:
                check.status = CheckStatus.MISSED
                continue
            soreness = max(2, soreness) if lingering else max(0, soreness - rng.randrange(1, 3))
            resolved = not lingering and (soreness == 0 or hours >= 48)
            check.status = CheckStatus.DONE
            check.done_at = done_at
            check.timeliness = timeliness
            check.method = rng.choice([method.value for method in STAFF_METHODS])
            check.soreness = min(soreness, 3)
            check.resolved = resolved
            check.recorded_by = self.therapist
            if check.asks_warning_signs:
                check.chest_pain = check.breathlessness = check.dry_cough = False
            closed = resolved
        self.rows.checks.extend(checks)
        return checks

    def _event(self, session, sites) -> None:
        rng = self.rng
        if rng.random() < PNEUMOTHORAX_RATE / EVENT_RATE:
            event_type, severity = AdverseEventType.PNEUMOTHORAX, Severity.MAJOR
        else:
            types, weights = zip(*EVENT_TYPES, strict=True)
            event_type = rng.choices(types, weights=weights)[0]
            severity = Severity.MODERATE if rng.random() < 0.05 else Severity.MILD
        onset_at = session.started_at + timedelta(minutes=rng.randrange(5, 120))
        resolved_on = timezone.localtime(onset_at).date() + timedelta(days=rng.randrange(0, 6))
        self.rows.events.append(
            AdverseEvent(
                session=session,
                site=sites[0] if event_type in AT_A_SITE else None,
                event_type=event_type,
                severity=severity,
                onset_at=onset_at,
                description=f"{AdverseEventType(event_type).label} after needling.",
                action_taken="Reassured; advice given.",
                referral_made=severity == Severity.MAJOR,
                resolved_on=resolved_on if resolved_on <= timezone.localdate(self.now) else None,
                status=EventStatus.CONFIRMED,
                reported_by=self.therapist,
            )
        )

    def _escalation(self, session, check) -> None:
        event = AdverseEvent(
            session=session,
            event_type=AdverseEventType.PAIN_AFTER,
            onset_at=session.started_at,
            description=escalation_description(
                soreness=check.soreness, hours_after=check.hours_after
            ),
            escalated_from=check,
            status=EventStatus.DRAFT,
        )
        if check.done_at < self.now - RECENT:
            event.decided_by = self.therapist
            event.decided_at = check.done_at + timedelta(days=1)
            if self.rng.random() < 0.7:
                event.status = EventStatus.CONFIRMED
                event.severity = Severity.MILD
            else:
                event.status = EventStatus.DISMISSED
                event.decision_reason = "Soreness settled by the next morning."
        self.rows.events.append(event)

    def _plan(self, patient, sessions, *, active: bool) -> None:
        rng = self.rng
        start = timezone.localtime(sessions[0].started_at).date()
        review = start + timedelta(weeks=6)
        plan = StrengtheningPlan(
            patient=patient,
            therapist=self.therapist,
            episode=sessions[-1].episode,
            goal="Work at the desk all day without pain.",
            start_date=start,
            review_date=review,
            status=PlanStatus.ACTIVE if active else PlanStatus.COMPLETED,
            ended_on=None if active else review,
        )
        self.rows.plans.append(plan)
        self.rows.pairings.extend(PlanPairing(plan=plan, session=s) for s in sessions)
        exercises = []
        for muscle, _ in self.plan:
            for exercise in self.catalogue.exercises_for.get(muscle.pk, ()):
                if exercise not in exercises:
                    exercises.append(exercise)
        items = []
        for exercise in (exercises or self.catalogue.any_exercises)[:3]:
            values = exercise_default_item(exercise)
            items.append(PlanItem(plan=plan, **values))
        self.rows.items.extend(items)
        today = timezone.localdate(self.now)
        day = start + timedelta(days=7)
        while day <= min(today, review):
            entry = AdherenceEntry(
                plan=plan,
                recorded_by=self.therapist,
                date=day,
                sessions_completed=rng.randrange(1, 5),
            )
            self.rows.entries.append(entry)
            self.rows.logs.extend(
                ExerciseLog(
                    entry=entry,
                    item=item,
                    sets_done=item.sets,
                    rpe=rng.randrange(3, 9),
                    pain_during=rng.randrange(0, 4),
                )
                for item in items
            )
            day += timedelta(days=7)

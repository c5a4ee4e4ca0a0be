"""One patient's record from registration to today: consent, screenings, episodes, sessions
and their sites; follow-ups and plans come from their own modules."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from patients.consent.document import consent_text, text_sha256
from patients.consent.models import SignedConsent
from patients.models import (
    BodyRegion,
    Patient,
    QuestionCategory,
    Screening,
    ScreeningAnswer,
    ScreeningOutcome,
    Sex,
    Side,
)
from sessions.models import (
    ConsentMethod,
    GateOutcome,
    NeedlingSession,
    SessionStatus,
    Technique,
    TriggerPointSite,
)
from sessions.services.gate import GateResult

from .episodes import course_episode, discharge_day
from .followup import session_followup
from .plans import patient_plan
from .shapes import (
    ANSWERS_FOR,
    FIRST_NAMES,
    HISTORY,
    MUSCLE_PLANS,
    SESSIONS_PER_EPISODE,
    SITES_PER_SESSION,
    SURNAME_ENDINGS,
    SURNAME_STEMS,
)


class PatientHistory:
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
            patient_plan(self, patient, sessions[-min(2, episodes[-1]) :], active=in_care)

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
            gate_summary=GateResult(screening=screening).summary(()),
            status=SessionStatus.DRAFT if draft else SessionStatus.SIGNED,
            signed_at=None if draft else started_at + timedelta(minutes=40),
        )
        self.rows.sessions.append(session)
        sites = [self._site(session, muscle, side) for muscle, side in self.plan]
        sites = sites[: rng.choice(SITES_PER_SESSION)]
        self.rows.sites.extend(sites)
        if draft:
            return session
        session_followup(self, session, sites)
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

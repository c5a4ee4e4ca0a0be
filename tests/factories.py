import hashlib
from datetime import date, timedelta

import factory
from django.utils import timezone

from clinic.accounts.models import Clinic, Credential, Role, User
from clinic.outreach.models import LinkPurpose, PatientLink
from patients.consent.document import consent_text, text_sha256
from patients.consent.models import SignedConsent
from patients.consent.services import consent_form_current
from patients.instruments import Instrument, Timepoint
from patients.models import (
    BodyRegion,
    ChecklistVersion,
    EpisodeOfCare,
    OutcomeAssessment,
    Patient,
    Screening,
    ScreeningOutcome,
    Sex,
    Side,
)
from patients.services.scoring import instrument_score
from sessions.models import (
    AdherenceEntry,
    AdverseEvent,
    AdverseEventType,
    ConsentMethod,
    EventStatus,
    Exercise,
    ExerciseLog,
    GateOutcome,
    LoadType,
    Muscle,
    NeedlingSession,
    PlanItem,
    ProgressionRule,
    SessionAddendum,
    SessionStatus,
    Severity,
    SorenessCheck,
    StrengtheningPlan,
    Technique,
    TriggerPointSite,
)

TEST_PASSWORD = "correct-horse-battery-staple"
# A short stroke on the signature pad, as the pad posts it.
TEST_SIGNATURE = "M10,40L60,20L110,45 M130,30L180,35"
# Patients made by the factory signed their consent this long before any test's needling.
CONSENT_SIGNED_BEFORE = timedelta(days=3 * 365)


class ClinicFactory(factory.django.DjangoModelFactory[Clinic]):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.THERAPIST
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CredentialFactory(factory.django.DjangoModelFactory[Credential]):
    class Meta:
        model = Credential

    holder = factory.SubFactory(UserFactory)
    course = "Dry needling level 1 and 2"
    hours = 54
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    jurisdiction = "Colorado"
    valid_until = None


class TherapistFactory(UserFactory):
    """A therapist holding a current dry-needling credential (`credential=None` for none)."""

    role = Role.THERAPIST
    credential = factory.RelatedFactory(CredentialFactory, factory_related_name="holder")


class ClinicAdminFactory(UserFactory):
    role = Role.CLINIC_ADMIN


class PatientFactory(factory.django.DjangoModelFactory[Patient]):
    class Meta:
        model = Patient
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    mrn = factory.Sequence(lambda n: f"MRN{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: date(1980, 5, 17))
    sex = Sex.FEMALE

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):  # noqa: N805
        """Patients have signed the consent form (the gate requires it) unless `consent=False`."""
        if create and extracted is not False:
            SignedConsentFactory(patient=obj, **kwargs)

    @factory.post_generation
    def episode(obj, create, extracted, **kwargs):  # noqa: N805
        """Patients come to needling through an intake: an open episode of care, unless the
        test asks for none (`episode=False`)."""
        if create and extracted is not False:
            EpisodeOfCareFactory(patient=obj, **kwargs)


def clinic_therapist(clinic: Clinic) -> User:
    """A therapist of the clinic: the first one, or a new one."""
    return User.objects.filter(clinic=clinic, role=Role.THERAPIST).first() or TherapistFactory(
        clinic=clinic
    )


class EpisodeOfCareFactory(factory.django.DjangoModelFactory[EpisodeOfCare]):
    class Meta:
        model = EpisodeOfCare

    patient = factory.SubFactory(PatientFactory, episode=False)
    therapist = factory.LazyAttribute(lambda o: clinic_therapist(o.patient.clinic))
    body_region = BodyRegion.PELVIS_HIP
    complaint = "Lateral hip pain on stairs"
    goal = "Climb the stairs at work without pain."
    referral_source = "Self"
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))


def open_episode(patient: Patient) -> EpisodeOfCare:
    """The patient's open episode of care, opened if they have none."""
    return EpisodeOfCare.objects.filter(patient=patient).open().first() or EpisodeOfCareFactory(
        patient=patient
    )


class OutcomeAssessmentFactory(factory.django.DjangoModelFactory[OutcomeAssessment]):
    """A stored score computed by the instrument's scoring service from `responses`."""

    class Meta:
        model = OutcomeAssessment

    episode = factory.SubFactory(EpisodeOfCareFactory)
    instrument = Instrument.NPRS
    timepoint = Timepoint.INTAKE
    taken_on = factory.LazyAttribute(lambda o: o.episode.opened_on)
    responses = factory.LazyFunction(lambda: [6])
    score = factory.LazyAttribute(
        lambda o: instrument_score(instrument=o.instrument, responses=o.responses)
    )
    recorded_by = factory.LazyAttribute(lambda o: o.episode.therapist)


class SignedConsentFactory(factory.django.DjangoModelFactory[SignedConsent]):
    """A consent signed on the clinic's current form; use consent.services to test the rules."""

    class Meta:
        model = SignedConsent

    patient = factory.SubFactory("tests.factories.PatientFactory", consent=False)
    clinic = factory.SelfAttribute("patient.clinic")
    form = factory.LazyAttribute(lambda o: consent_form_current(clinic=o.patient.clinic))
    witness = factory.LazyAttribute(
        lambda o: (
            User.objects.filter(clinic=o.patient.clinic, role=Role.THERAPIST).first()
            or TherapistFactory(clinic=o.patient.clinic)
        )
    )
    title = factory.SelfAttribute("form.title")
    text = factory.LazyAttribute(
        lambda o: consent_text(
            body=o.form.body, therapist=o.witness, on=timezone.localdate(o.signed_at)
        )
    )
    text_sha256 = factory.LazyAttribute(lambda o: text_sha256(title=o.title, text=o.text))
    questions_answered = True
    signer_name = factory.LazyAttribute(lambda o: o.patient.full_name)
    signature = TEST_SIGNATURE
    signed_at = factory.LazyFunction(lambda: timezone.now() - CONSENT_SIGNED_BEFORE)


class ScreeningFactory(factory.django.DjangoModelFactory[Screening]):
    """A stored screening without answers; use patients.services.screening_record to test
    the rules. Handy when a test only needs a screening to exist."""

    class Meta:
        model = Screening

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(
        TherapistFactory, clinic=factory.SelfAttribute("..patient.clinic")
    )
    checklist_version = factory.LazyFunction(lambda: ChecklistVersion.objects.current())
    taken_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyAttribute(lambda o: o.taken_at + timedelta(days=30))
    outcome = ScreeningOutcome.CLEARED
    justification = factory.LazyAttribute(
        lambda o: (
            "Needling superficially."
            if o.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
            else ""
        )
    )


class MuscleFactory(factory.django.DjangoModelFactory[Muscle]):
    """Catalogue muscles come from the data migration; tests look them up by name."""

    class Meta:
        model = Muscle
        django_get_or_create = ("name",)

    name = "Gluteus medius"
    region = BodyRegion.PELVIS_HIP


class NeedlingSessionFactory(factory.django.DjangoModelFactory[NeedlingSession]):
    """A stored session (no gate run); use sessions.services.needling to test the rules."""

    class Meta:
        model = NeedlingSession

    screening = factory.SubFactory(ScreeningFactory)
    patient = factory.SelfAttribute("screening.patient")
    therapist = factory.SelfAttribute("screening.therapist")
    episode = factory.LazyAttribute(lambda o: open_episode(o.patient))
    started_at = factory.LazyAttribute(lambda o: o.screening.taken_at + timedelta(hours=1))
    consent_method = ConsentMethod.VERBAL
    consent_obtained = True
    health_unchanged = True
    pain_before = 6
    pain_after = 3
    clean_technique = True
    sharps_disposed = True
    needles_used = 4
    needles_disposed = 4
    gate_outcome = GateOutcome.CLEARED
    gate_summary = "Screening cleared."

    class Params:
        signed = factory.Trait(
            status=SessionStatus.SIGNED,
            signed_at=factory.LazyAttribute(lambda o: o.started_at + timedelta(minutes=30)),
        )


class TriggerPointSiteFactory(factory.django.DjangoModelFactory[TriggerPointSite]):
    class Meta:
        model = TriggerPointSite

    session = factory.SubFactory(NeedlingSessionFactory)
    muscle = factory.SubFactory(MuscleFactory)
    side = Side.LEFT
    technique = Technique.STATIC
    insertions = 3


class SessionAddendumFactory(factory.django.DjangoModelFactory[SessionAddendum]):
    class Meta:
        model = SessionAddendum

    session = factory.SubFactory(NeedlingSessionFactory, signed=True)
    author = factory.SelfAttribute("session.therapist")
    reason = "Late entry"
    text = "Patient rang: soreness settled overnight."


class ExerciseFactory(factory.django.DjangoModelFactory[Exercise]):
    """Catalogue exercises come from the data migration; tests look them up by name."""

    class Meta:
        model = Exercise
        django_get_or_create = ("name",)

    name = "Glute bridge"
    instructions = "Lift the hips, pause, lower slowly."
    default_reps = 12


class StrengtheningPlanFactory(factory.django.DjangoModelFactory[StrengtheningPlan]):
    """A stored plan without pairings; use sessions.services.plans to test the rules."""

    class Meta:
        model = StrengtheningPlan

    patient = factory.SubFactory(PatientFactory)
    episode = factory.LazyAttribute(lambda o: open_episode(o.patient))
    therapist = factory.SubFactory(
        TherapistFactory, clinic=factory.SelfAttribute("..patient.clinic")
    )
    goal = "Climb the stairs at work without hip pain."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=4))
    review_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(weeks=6))


class PlanItemFactory(factory.django.DjangoModelFactory[PlanItem]):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(StrengtheningPlanFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    sets = 3
    reps = 12
    load_type = LoadType.BODYWEIGHT
    frequency_per_week = 3
    progression_rule = ProgressionRule.ADD_REPS
    progression_step = 2


class AdherenceEntryFactory(factory.django.DjangoModelFactory[AdherenceEntry]):
    class Meta:
        model = AdherenceEntry

    plan = factory.SubFactory(StrengtheningPlanFactory)
    recorded_by = factory.SelfAttribute("plan.therapist")
    # A different day each (one entry per plan and day), all between the start and today.
    date = factory.LazyAttributeSequence(lambda o, n: o.plan.start_date + timedelta(days=n % 28))
    sessions_completed = 3


class ExerciseLogFactory(factory.django.DjangoModelFactory[ExerciseLog]):
    class Meta:
        model = ExerciseLog

    item = factory.SubFactory(PlanItemFactory)
    entry = factory.SubFactory(AdherenceEntryFactory, plan=factory.SelfAttribute("..item.plan"))
    sets_done = 3
    rpe = 6
    pain_during = 1


class SorenessCheckFactory(factory.django.DjangoModelFactory[SorenessCheck]):
    class Meta:
        model = SorenessCheck

    session = factory.SubFactory(NeedlingSessionFactory, signed=True)
    clinic = factory.LazyAttribute(lambda o: o.session.patient.clinic)
    hours_after = 24
    due_at = factory.LazyAttribute(lambda o: o.session.started_at + timedelta(hours=o.hours_after))


class AdverseEventFactory(factory.django.DjangoModelFactory[AdverseEvent]):
    class Meta:
        model = AdverseEvent

    session = factory.SubFactory(NeedlingSessionFactory, signed=True)
    event_type = AdverseEventType.BRUISING
    severity = Severity.MILD
    onset_at = factory.LazyAttribute(lambda o: o.session.started_at + timedelta(hours=2))
    description = "Small bruise at the needling site."

    class Params:
        # A follow-up's escalation, waiting for a therapist to confirm or dismiss it.
        escalation = factory.Trait(
            event_type=AdverseEventType.PAIN_AFTER, severity="", status=EventStatus.DRAFT
        )


class PatientLinkFactory(factory.django.DjangoModelFactory[PatientLink]):
    """A stored plan link (its token unknown); use clinic.outreach.services to issue real ones."""

    class Meta:
        model = PatientLink

    plan = factory.SubFactory(StrengtheningPlanFactory)
    patient = factory.SelfAttribute("plan.patient")
    clinic = factory.SelfAttribute("plan.patient.clinic")
    purpose = LinkPurpose.PLAN
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=90))

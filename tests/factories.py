from datetime import date, timedelta

import factory
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from patients.models import Patient, Screening, ScreeningOutcome, Sex

TEST_PASSWORD = "correct-horse-battery-staple"


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


class TherapistFactory(UserFactory):
    role = Role.THERAPIST


class ClinicAdminFactory(UserFactory):
    role = Role.CLINIC_ADMIN


class PatientFactory(factory.django.DjangoModelFactory[Patient]):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    mrn = factory.Sequence(lambda n: f"MRN{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: date(1980, 5, 17))
    sex = Sex.FEMALE


class ScreeningFactory(factory.django.DjangoModelFactory[Screening]):
    """A stored screening without answers; use patients.services.screening_record to test
    the rules. Handy when a test only needs a screening to exist."""

    class Meta:
        model = Screening

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(
        TherapistFactory, clinic=factory.SelfAttribute("..patient.clinic")
    )
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

"""The build: clinics and staff, then each patient's history, written in bulk one transaction per
thousand patients."""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clinic.accounts.models import Clinic, Credential, Role, User
from patients.consent.models import ConsentForm
from patients.consent.services import consent_form_current
from patients.models import ScreeningQuestion
from sessions.models import Exercise, Muscle

from .history import PatientHistory
from .shapes import (
    BATCH_SIZE,
    BENCH_PASSWORD,
    CLINIC_PREFIX,
    CLINIC_SHARES,
    FIRST_NAMES,
    PATIENTS_PER_THERAPIST,
    PATIENTS_PER_TRANSACTION,
    Size,
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
            PatientHistory(rows, bench_clinic, index, rng, now, catalogue, mean_sessions).build()
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

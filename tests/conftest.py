import pytest
from django.core.cache import cache

from clinic.accounts.models import Clinic, User
from patients.models import QuestionCategory, ScreeningQuestion

from .factories import ClinicAdminFactory, ClinicFactory, TherapistFactory


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with an empty cache: no cached fragment crosses tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clinic(db) -> Clinic:
    return ClinicFactory(name="Riverside")


@pytest.fixture
def other_clinic(db) -> Clinic:
    return ClinicFactory(name="Hillside")


@pytest.fixture
def therapist(clinic) -> User:
    return TherapistFactory(clinic=clinic, username="therapist")


@pytest.fixture
def clinic_admin(clinic) -> User:
    return ClinicAdminFactory(clinic=clinic, username="clinicadmin")


@pytest.fixture
def other_clinic_therapist(other_clinic) -> User:
    return TherapistFactory(clinic=other_clinic, username="othertherapist")


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def admin_client_(client, clinic_admin):
    client.force_login(clinic_admin)
    return client


@pytest.fixture
def checklist(db) -> dict[str, list[ScreeningQuestion]]:
    """The seeded checklist grouped by class (the data migration fills it)."""
    questions = list(ScreeningQuestion.objects.active())
    return {
        category: [q for q in questions if q.category == category]
        for category in QuestionCategory.values
    }


NOT_SERIALIZED = (
    "A test that commits must restore the database by serialized rollback "
    "(django_db(transaction=True, serialized_rollback=True)): its flush would otherwise "
    "leave the next committing test without the content types and catalogues the "
    "migrations made."
)


def pytest_collection_modifyitems(items):
    """Every committing test restores what the migrations made, so their order never matters."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(f"{item.nodeid}: {NOT_SERIALIZED}")

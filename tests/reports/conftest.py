import pytest

from clinic.accounts.models import User
from tests.factories import TherapistFactory


@pytest.fixture
def ann(clinic) -> User:
    return TherapistFactory(clinic=clinic, first_name="Ann", last_name="Able")


@pytest.fixture
def ben(clinic) -> User:
    return TherapistFactory(clinic=clinic, first_name="Ben", last_name="Baker")

"""The session form's signed note: a fixed number of queries, at most two more per site.

Posted as the browser sends it (with its one-time form token), counted once caches are warm,
inside the test's transaction (each atomic block counts a savepoint and its release).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.formdata import session_form_data
from clinic.lib.form_tokens import FORM_TOKEN
from sessions.models import Muscle, NeedlingSession, SessionStatus
from tests.factories import PatientFactory

from .test_double_submit import token_of

pytestmark = pytest.mark.django_db

# Targets of the new-session POST; the exact counts are in tests/bench/test_query_budgets.py.
WRITE_BUDGET = 30
PER_SITE = 2


@pytest.fixture
def post_note(therapist_client, therapist, screen):
    """Sign a new note with one site per muscle for a new patient; the POST's query count."""
    muscles = list(Muscle.objects.filter(lung_risk=False, active=True).order_by("name"))

    def _post(sites: int) -> int:
        patient = PatientFactory(clinic=therapist.clinic)
        screen(patient)
        url = reverse("treatment_sessions:create", args=[patient.pk])
        data = session_form_data(
            [{"muscle": muscle.pk} for muscle in muscles[:sites]],
            **{FORM_TOKEN: token_of(therapist_client, url)},
        )
        with CaptureQueriesContext(connection) as queries:
            response = therapist_client.post(url, data)
        assert response.status_code == 302
        session = NeedlingSession.objects.get(patient=patient)
        assert session.status == SessionStatus.SIGNED
        assert session.sites.count() == sites
        return len(queries.captured_queries)

    _post(1)  # warm the caches (content types, the session's user)
    return _post


def test_a_signed_one_site_note_stays_within_the_write_budget(post_note):
    assert post_note(1) <= WRITE_BUDGET


def test_each_further_site_adds_at_most_two_queries(post_note):
    one, three, five = post_note(1), post_note(3), post_note(5)

    assert three - one <= 2 * PER_SITE
    assert five - three <= 2 * PER_SITE

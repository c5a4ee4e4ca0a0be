"""A create form submitted twice (a double click, a resent request) writes one record.

Each form carries a one-time token generated when it renders; the second submit of the same
token is answered with the first's record. On PostgreSQL the two submits run in parallel, in
two threads with their own database connections, as a double click reaches the server.
"""

import re
import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.formdata import session_form_data
from clinic.lib.form_tokens import ALREADY_SUBMITTED, FORM_TOKEN
from patients.consent.models import SignedConsent
from patients.consent.services import consent_form_current
from patients.instruments import Instrument, Timepoint
from patients.models import (
    BodyRegion,
    EpisodeOfCare,
    OutcomeAssessment,
    Patient,
    Screening,
    ScreeningQuestion,
)
from sessions.models import (
    AdherenceEntry,
    AdverseEvent,
    NeedlingSession,
    SessionAddendum,
    SessionStatus,
    SorenessCheck,
    StrengtheningPlan,
)
from sessions.services import needling as services
from tests.e2e.conftest import seed_catalogues
from tests.factories import (
    TEST_SIGNATURE,
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    PatientFactory,
    PlanItemFactory,
    ScreeningFactory,
    StrengtheningPlanFactory,
    TherapistFactory,
)

from .plan_data import item_row, needled_session, plan_post

TOKEN = re.compile(rf'name="{FORM_TOKEN}" value="([0-9a-f-]{{36}})"')


@dataclass
class Form:
    page: str  # where the form renders
    action: str  # where it posts
    data: dict
    model: type


def token_of(client: Client, page: str) -> str:
    tokens = TOKEN.findall(client.get(page).content.decode())
    assert len(tokens) == 1, tokens
    return tokens[0]


def new_session_form(therapist, screen, muscles) -> Form:
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    url = reverse("treatment_sessions:create", args=[patient.pk])
    return Form(url, url, session_form_data([{"muscle": muscles["Soleus"].pk}]), NeedlingSession)


def addendum_form(therapist, screen, muscles) -> Form:
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist),
        signed=True,
    )
    return Form(
        session.get_absolute_url(),
        reverse("treatment_sessions:addendum_create", args=[session.pk]),
        {"reason": "Late entry", "text": "Patient reported mild bruising."},
        SessionAddendum,
    )


def adverse_event_form(therapist, screen, muscles) -> Form:
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist),
        started_at=timezone.now() - timedelta(hours=3),
    )
    url = reverse("treatment_sessions:adverse_event_create", args=[session.pk])
    onset = timezone.localtime(timezone.now() - timedelta(hours=1))
    data = {
        "event_type": "bruising",
        "severity": "mild",
        "onset_at": onset.strftime("%Y-%m-%dT%H:%M"),
        "description": "Bruise 2 cm at the site.",
    }
    return Form(url, url, data, AdverseEvent)


def plan_form(therapist, screen, muscles) -> Form:
    patient = PatientFactory(clinic=therapist.clinic)
    session = needled_session(patient, "Soleus")
    url = reverse("treatment_sessions:plan_create", args=[patient.pk])
    return Form(url, url, plan_post([session], [item_row("Calf raise")]), StrengtheningPlan)


def adherence_form(therapist, screen, muscles) -> Form:
    plan = StrengtheningPlanFactory(patient__clinic=therapist.clinic, therapist=therapist)
    item = PlanItemFactory(plan=plan)
    url = reverse("treatment_sessions:adherence_create", args=[plan.pk])
    data = {
        "date": timezone.localdate().isoformat(),
        "sessions_completed": "2",
        f"log-{item.pk}-sets_done": "3",
        f"log-{item.pk}-rpe": "4",
        f"log-{item.pk}-pain_during": "1",
    }
    return Form(url, url, data, AdherenceEntry)


def screening_form(therapist, screen, muscles) -> Form:
    patient = PatientFactory(clinic=therapist.clinic)
    url = reverse("patients:screening_create", args=[patient.pk])
    data = {f"q_{question.pk}": "no" for question in ScreeningQuestion.objects.active()}
    return Form(url, url, data, Screening)


def registration_form(therapist, screen, muscles) -> Form:
    url = reverse("patients:create")
    data = {
        "first_name": "Zoë",
        "last_name": "Ångström-Müller",
        "date_of_birth": "1984-03-02",
        "sex": "female",
        "mrn": "RP04711",
    }
    return Form(url, url, data, Patient)


def consent_form(therapist, screen, muscles) -> Form:
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    url = reverse("consent:sign", args=[patient.pk])
    data = {
        "form_version": consent_form_current(clinic=therapist.clinic).pk,
        "episode": patient.episodes.get().pk,
        "questions_answered": "on",
        "signer": "patient",
        "signer_name": patient.full_name,
        "signature": TEST_SIGNATURE,
    }
    return Form(url, url, data, SignedConsent)


def episode_form(therapist, screen, muscles) -> Form:
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    url = reverse("patients:episode_create", args=[patient.pk])
    data = {
        "body_region": BodyRegion.LEG,
        "complaint": "Calf pain when running",
        "opened_on": timezone.localdate().isoformat(),
    }
    return Form(url, url, data, EpisodeOfCare)


def outcome_form(therapist, screen, muscles) -> Form:
    # A reassessment: the form token, not a one-per-episode rule, keeps it to one row.
    episode = EpisodeOfCareFactory(patient__clinic=therapist.clinic)
    url = reverse("patients:outcome_create", args=[episode.pk, Instrument.NPRS])
    data = {
        "timepoint": Timepoint.REASSESSMENT,
        "taken_on": timezone.localdate().isoformat(),
        "item_1": "4",
    }
    return Form(url, url, data, OutcomeAssessment)


FORMS = [
    new_session_form,
    addendum_form,
    adverse_event_form,
    plan_form,
    adherence_form,
    screening_form,
    registration_form,
    consent_form,
    episode_form,
    outcome_form,
]


@pytest.mark.django_db
@pytest.mark.parametrize("build", FORMS, ids=lambda build: build.__name__)
def test_the_same_form_submitted_twice_writes_once_and_shows_the_first(
    therapist_client, therapist, screen, muscles, build
):
    form = build(therapist, screen, muscles)
    data = {**form.data, FORM_TOKEN: token_of(therapist_client, form.page)}

    first = therapist_client.post(form.action, data)
    second = therapist_client.post(form.action, data)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert form.model.objects.count() == 1


@pytest.mark.django_db
def test_each_rendering_of_a_form_gets_a_new_token(therapist_client, therapist, screen, muscles):
    form = new_session_form(therapist, screen, muscles)

    assert token_of(therapist_client, form.page) != token_of(therapist_client, form.page)


@pytest.mark.django_db
def test_another_users_token_is_refused_not_answered_with_their_record(therapist, screen, muscles):
    form = new_session_form(therapist, screen, muscles)
    client = Client()
    client.force_login(therapist)
    data = {**form.data, FORM_TOKEN: token_of(client, form.page)}
    client.post(form.action, data)
    colleague = TherapistFactory(clinic=therapist.clinic)
    client.force_login(colleague)

    response = client.post(form.action, data)

    assert response.status_code == 200
    assert ALREADY_SUBMITTED in response.content.decode()
    assert NeedlingSession.objects.count() == 1


@pytest.mark.django_db
def test_signing_twice_shows_the_signed_session(therapist_client, therapist, screen, muscles):
    form = new_session_form(therapist, screen, muscles)
    therapist_client.post(form.action, {**form.data, "action": "draft"})
    session = NeedlingSession.objects.get()
    sign = reverse("treatment_sessions:sign", args=[session.pk])

    therapist_client.post(sign)
    second = therapist_client.post(sign, follow=True)

    assert services.SESSION_SIGNED not in second.content.decode()
    assert SorenessCheck.objects.filter(session=session).count() == len(
        therapist.clinic.soreness_check_hours
    )


def post_in_parallel(user, action: str, data: dict, times: int = 2) -> list:
    """POST the same data from `times` threads at once, each with its own connection."""
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(times)
    responses: list = [None] * times

    def submit(index: int) -> None:
        try:
            start.wait()
            responses[index] = clients[index].post(action, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


@pytest.fixture
def catalogues(transactional_db) -> None:
    """The seeded catalogues, which an earlier test on committed data may have emptied."""
    seed_catalogues()


postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="SQLite runs one writer at a time: parallel submits are tested on PostgreSQL",
)


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("build", FORMS, ids=lambda build: build.__name__)
def test_a_double_click_on_postgresql_writes_one_record(
    catalogues, therapist, screen, muscles, build
):
    form = build(therapist, screen, muscles)
    client = Client()
    client.force_login(therapist)
    data = {**form.data, FORM_TOKEN: token_of(client, form.page)}

    responses = post_in_parallel(therapist, form.action, data)

    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    assert form.model.objects.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_on_sign_and_save_signs_one_session(catalogues, therapist, screen, muscles):
    form = new_session_form(therapist, screen, muscles)
    client = Client()
    client.force_login(therapist)
    data = {**form.data, FORM_TOKEN: token_of(client, form.page)}

    responses = post_in_parallel(therapist, form.action, data)

    assert [r.status_code for r in responses] == [302, 302]
    session = NeedlingSession.objects.get()
    assert session.status == SessionStatus.SIGNED
    assert SorenessCheck.objects.count() == len(therapist.clinic.soreness_check_hours)


@pytest.mark.django_db
def test_a_token_already_used_is_refused_by_the_database(therapist, screen, muscles):
    form = new_session_form(therapist, screen, muscles)
    client = Client()
    client.force_login(therapist)
    data = {**form.data, FORM_TOKEN: token_of(client, form.page)}
    client.post(form.action, data)
    session = NeedlingSession.objects.get()
    twin = NeedlingSessionFactory(screening=session.screening)
    twin.form_token = session.form_token

    with pytest.raises(ValidationError, match=ALREADY_SUBMITTED):
        twin.full_clean()

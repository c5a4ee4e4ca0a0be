"""A form with more rows than a record can hold is refused at once, with a clear message."""

from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bench.formdata import session_form_data
from sessions.models import NeedlingSession, StrengtheningPlan
from sessions.models.plans import MAX_PLAN_ITEMS, TOO_MANY_ITEMS
from sessions.models.session import MAX_SITES, TOO_MANY_SITES
from sessions.services import needling as services
from sessions.services import plans as plan_services
from tests.builders import session_details, site
from tests.factories import PatientFactory

from .plan_data import exercise, item_row, needled_session, plan_post

pytestmark = pytest.mark.django_db

# The rows a hostile post claims; the pages answer without building them.
CLAIMED_ROWS = 100_000


@pytest.fixture
def screened_patient(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    return patient


def shows(response, message: str) -> bool:
    return message in unescape(response.content.decode())


@pytest.mark.parametrize("total", [MAX_SITES + 1, CLAIMED_ROWS])
def test_a_session_with_too_many_site_rows_is_refused(
    therapist_client, screened_patient, muscles, total
):
    sites = [{"muscle": muscles["Soleus"].pk}] * min(total, MAX_SITES + 1)
    data = session_form_data(sites, **{"sites-TOTAL_FORMS": str(total)})
    url = reverse("treatment_sessions:create", args=[screened_patient.pk])

    response = therapist_client.post(url, data)

    assert response.status_code == 200
    assert shows(response, TOO_MANY_SITES)
    assert len(response.context["formset"].forms) <= MAX_SITES
    assert not NeedlingSession.objects.exists()


def test_a_session_of_the_most_sites_is_recorded(therapist_client, screened_patient, muscles):
    sites = [{"muscle": muscles["Soleus"].pk}] * MAX_SITES
    url = reverse("treatment_sessions:create", args=[screened_patient.pk])

    response = therapist_client.post(url, session_form_data(sites))

    assert response.status_code == 302
    assert NeedlingSession.objects.get().sites.count() == MAX_SITES


def test_the_service_refuses_too_many_sites(therapist, screened_patient, muscles):
    with pytest.raises(ValidationError, match=TOO_MANY_SITES):
        services.session_record(
            patient=screened_patient,
            therapist=therapist,
            sites=[site(muscles["Soleus"])] * (MAX_SITES + 1),
            **session_details(),
        )


@pytest.mark.parametrize("total", [MAX_PLAN_ITEMS + 1, CLAIMED_ROWS])
def test_a_plan_with_too_many_item_rows_is_refused(therapist_client, therapist, total):
    patient = PatientFactory(clinic=therapist.clinic)
    session = needled_session(patient, "Soleus")
    data = plan_post([session], [item_row("Calf raise")], **{"items-TOTAL_FORMS": str(total)})
    url = reverse("treatment_sessions:plan_create", args=[patient.pk])

    response = therapist_client.post(url, data)

    assert response.status_code == 200
    assert shows(response, TOO_MANY_ITEMS)
    assert len(response.context["formset"].forms) <= MAX_PLAN_ITEMS
    assert not StrengtheningPlan.objects.exists()


def test_the_service_refuses_too_many_plan_items(therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    session = needled_session(patient, "Soleus")
    item = plan_services.exercise_default_item(exercise("Calf raise"))

    with pytest.raises(ValidationError, match=TOO_MANY_ITEMS):
        plan_services.plan_create(
            patient=patient,
            therapist=therapist,
            sessions=[session],
            goal="Walk without calf pain.",
            start_date=session.started_at.date(),
            review_date=session.started_at.date(),
            items=[item] * (MAX_PLAN_ITEMS + 1),
        )

"""Errors you cannot miss: one summary at the top linking to each field, each message once."""

import re

import pytest
from django.urls import reverse

from bench.formdata import session_form_data as post_data
from clinic.lib.form_errors import SUMMARY_TITLE
from sessions.services import gate as safety_gate
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened_patient(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    return patient


def summary_and_body(html: str) -> tuple[str, str]:
    match = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S)
    assert match, "no error summary on the page"
    return match.group(0), html[: match.start()] + html[match.end() :]


def test_a_refused_site_is_summarised_with_links_and_said_once_in_the_form(
    therapist_client, screened_patient, muscles
):
    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]),
        post_data([{"muscle": muscles["Pectoralis major"].pk}]),
    )

    summary, body = summary_and_body(response.content.decode())
    lung = safety_gate.LUNG_RISK_NOT_ACKNOWLEDGED.format(muscle=muscles["Pectoralis major"])
    refused = safety_gate.SITES_REFUSED.format(count=1)
    assert SUMMARY_TITLE in summary
    assert 'href="#id_sites-0-muscle"' in summary
    assert lung in summary
    assert body.count(lung) == 1
    assert body.count(refused) == 1


def test_a_missing_field_links_to_that_field(therapist_client, screened_patient, muscles):
    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]),
        post_data([{"muscle": muscles["Soleus"].pk}], pain_before=""),
    )

    summary, _ = summary_and_body(response.content.decode())
    assert 'href="#id_pain_before"' in summary


def test_a_page_without_errors_has_no_summary(therapist_client, screened_patient):
    page = therapist_client.get(reverse("treatment_sessions:create", args=[screened_patient.pk]))

    assert "data-error-summary" not in page.content.decode()

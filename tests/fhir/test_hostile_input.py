"""Hostile input to the FHIR API: always an answer or an OperationOutcome, never a 500."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clinic.fhir.mapping.codes import JSON_MIME
from clinic.fhir.models import ApiToken
from tests.factories import PatientFactory
from tests.hostile import FAST, HOSTILE, hostile, rolled_back

from .validation import validate

pytestmark = pytest.mark.django_db

values = st.one_of(st.sampled_from(HOSTILE), hostile, st.just("RP-1"), st.just("20"))
parameters = st.dictionaries(
    st.one_of(st.sampled_from(["identifier", "_count", "_format", "name"]), hostile),
    values,
    max_size=3,
)


def assert_fhir(response) -> None:
    assert response.status_code < 500
    assert response["Content-Type"] == JSON_MIME
    validate(response.json())


@FAST
@given(params=parameters)
def test_patient_search_with_hostile_parameters(api_client, therapist, params):
    with rolled_back():
        PatientFactory(clinic=therapist.clinic, mrn="RP-1")
        assert_fhir(api_client.get("/fhir/Patient", params))


@FAST
@given(path=hostile)
def test_hostile_paths_under_fhir(api_client, path):
    with rolled_back():
        for url in (f"/fhir/{quote(path)}", f"/fhir/Patient/{quote(path, safe='')}"):
            assert_fhir(api_client.get(url))


@FAST
@given(token=hostile)
def test_hostile_tokens(client, therapist, token):
    with rolled_back():
        patient = PatientFactory(clinic=therapist.clinic)
        response = client.get(f"/fhir/Patient/{patient.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401
        assert_fhir(response)


@FAST
@given(data=st.fixed_dictionaries({"user": hostile, "name": hostile}))
def test_token_form_with_hostile_input(admin_client_, therapist, data):
    with rolled_back():
        response = admin_client_.post(reverse("fhir:token_list"), data)

        assert response.status_code < 500
        assert ApiToken.objects.exists() == (response.context["created"] is not None)

"""The FHIR read API: token in, clinic-scoped, audited, rate limited, OperationOutcome out."""

from urllib.parse import quote

import pytest
from auditlog.models import LogEntry

from clinic.fhir.api.outcome import (
    COUNT_INVALID,
    COUNT_TOO_LARGE,
    IDENTIFIER_MALFORMED,
    IDENTIFIER_REQUIRED,
    PATIENT_NOT_FOUND,
    RATE_LIMITED,
    READ_ONLY,
    TOKEN_INVALID,
    TOKEN_MISSING,
    UNKNOWN_RESOURCE,
    UNSUPPORTED_PARAMETER,
)
from clinic.fhir.api.search import MAX_COUNT, MRN_MAX_LENGTH
from clinic.fhir.mapping import RESOURCE_SOURCES
from clinic.fhir.mapping.codes import FHIR_VERSION, JSON_MIME, mrn_system
from clinic.fhir.services.export import API_READ_NOTE
from clinic.fhir.services.tokens import api_token_revoke
from patients.instruments import Timepoint
from tests.factories import (
    AdverseEventFactory,
    CredentialFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
    SignedConsentFactory,
    SorenessCheckFactory,
    TriggerPointSiteFactory,
)

from .validation import unresolved, validate

pytestmark = pytest.mark.django_db


def issue(response) -> dict:
    assert response["Content-Type"] == JSON_MIME
    body = response.json()
    validate(body)
    assert body["resourceType"] == "OperationOutcome"
    return body["issue"][0]


def test_metadata_is_a_capability_statement_without_a_token(client):
    response = client.get("/fhir/metadata")

    assert response.status_code == 200
    statement = response.json()
    validate(statement)
    assert statement["fhirVersion"] == FHIR_VERSION
    assert statement["rest"][0]["resource"][0]["type"] == "Patient"
    listed = [r["type"] for r in statement["rest"][0]["resource"]]
    assert listed == ["Patient"] + [t for t, _ in RESOURCE_SOURCES if t != "Patient"]
    assert {"Consent", "EpisodeOfCare"} <= set(listed)


def test_read_returns_the_patient_and_audits_the_access(api_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    response = api_client.get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_MIME
    resource = response.json()
    validate(resource)
    assert resource["identifier"][0]["value"] == patient.mrn
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(patient.pk))
    assert entry.actor == therapist
    assert entry.additional_data["export"] == API_READ_NOTE.format(what="Patient read")
    assert "City EMR" in entry.additional_data["api_token"]


def test_another_clinics_patient_is_not_found(api_client, other_clinic):
    stranger = PatientFactory(clinic=other_clinic)

    for url in (f"/fhir/Patient/{stranger.pk}", f"/fhir/Patient/{stranger.pk}/$everything"):
        response = api_client.get(url)
        assert response.status_code == 404
        assert issue(response)["diagnostics"] == PATIENT_NOT_FOUND

    search = api_client.get("/fhir/Patient", {"identifier": stranger.mrn})
    assert search.json()["total"] == 0
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_search_by_mrn_finds_the_patient(api_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, mrn="RP-77")
    PatientFactory(clinic=therapist.clinic)

    plain = api_client.get("/fhir/Patient", {"identifier": "RP-77"})
    with_system = api_client.get(
        "/fhir/Patient", {"identifier": f"{mrn_system(therapist.clinic_id)}|RP-77"}
    )
    other_system = api_client.get("/fhir/Patient", {"identifier": "urn:other|RP-77"})

    bundle = plain.json()
    validate(bundle)
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 1
    assert bundle["entry"][0]["resource"]["id"] == str(patient.pk)
    assert with_system.json()["total"] == 1
    assert other_system.json()["total"] == 0


def test_count_zero_gives_the_total_without_entries(api_client, therapist):
    PatientFactory(clinic=therapist.clinic, mrn="RP-77")

    bundle = api_client.get("/fhir/Patient", {"identifier": "RP-77", "_count": "0"}).json()

    validate(bundle)
    assert bundle["total"] == 1
    assert "entry" not in bundle or bundle["entry"] == []
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_everything_returns_the_whole_record_resolving_inside_the_bundle(api_client, record):
    response = api_client.get(f"/fhir/Patient/{record.patient.pk}/$everything")

    assert response.status_code == 200
    bundle = response.json()
    validate(bundle)
    entries = [entry["resource"] for entry in bundle["entry"]]
    assert unresolved(entries) == set()
    assert {
        "Procedure",
        "Observation",
        "AdverseEvent",
        "CarePlan",
        "Consent",
        "EpisodeOfCare",
        "Questionnaire",
    } <= {r["resourceType"] for r in entries}
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(record.patient.pk)
    ).exists()


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/fhir/Observation/1", 404, UNKNOWN_RESOURCE),
        ("/fhir/Patient/1/$purge", 404, UNKNOWN_RESOURCE),
        ("/fhir/", 404, UNKNOWN_RESOURCE),
        ("/fhir/Patient/abc", 404, PATIENT_NOT_FOUND),
        ("/fhir/Patient/99999999999999999999999", 404, PATIENT_NOT_FOUND),
        ("/fhir/Patient/-1", 404, PATIENT_NOT_FOUND),
        ("/fhir/Patient", 400, IDENTIFIER_REQUIRED),
        ("/fhir/Patient?name=smith", 400, UNSUPPORTED_PARAMETER.format(name="name")),
        ("/fhir/Patient?identifier=", 400, IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH)),
        ("/fhir/Patient?identifier=a|b|c", 400, IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH)),
        ("/fhir/Patient?identifier=x|", 400, IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH)),
        (
            f"/fhir/Patient?identifier={'9' * 40}",
            400,
            IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH),
        ),
        (
            "/fhir/Patient?identifier=a&identifier=b",
            400,
            IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH),
        ),
        ("/fhir/Patient?identifier=a&_count=100000", 400, COUNT_TOO_LARGE.format(max=MAX_COUNT)),
        ("/fhir/Patient?identifier=a&_count=-1", 400, COUNT_INVALID.format(max=MAX_COUNT)),
        ("/fhir/Patient?identifier=a&_count=ten", 400, COUNT_INVALID.format(max=MAX_COUNT)),
        (
            f"/fhir/Patient?identifier=a&_count={'9' * 400}",
            400,
            COUNT_INVALID.format(max=MAX_COUNT),
        ),
        (
            f"/fhir/Patient?identifier={quote(chr(0))}",
            400,
            IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH),
        ),
    ],
)
def test_bad_input_is_an_operation_outcome_never_a_server_error(api_client, url, status, message):
    response = api_client.get(url)

    assert response.status_code == status
    assert issue(response)["diagnostics"] == message


def test_writes_are_refused_as_read_only(api_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    for method in (api_client.post, api_client.put, api_client.delete):
        response = method(f"/fhir/Patient/{patient.pk}", data="{}", content_type=JSON_MIME)
        assert response.status_code == 405
        assert issue(response)["diagnostics"] == READ_ONLY


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, TOKEN_MISSING),
        ("Bearer", TOKEN_MISSING),
        ("Basic dXNlcjpwYXNz", TOKEN_MISSING),
        ("Bearer ntk_not-a-real-token", TOKEN_INVALID),
        ("Bearer " + "x" * 5000, TOKEN_INVALID),
    ],
)
def test_missing_or_unknown_token_is_refused(client, therapist, header, message):
    patient = PatientFactory(clinic=therapist.clinic)
    headers = {"Authorization": header} if header else {}

    response = client.get(f"/fhir/Patient/{patient.pk}", headers=headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert issue(response)["diagnostics"] == message


def test_a_signed_in_session_does_not_open_the_api(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    response = therapist_client.get(f"/fhir/Patient/{patient.pk}")

    assert response.status_code == 401


def test_a_revoked_token_no_longer_opens_the_api(api_client, therapist, clinic_admin):
    patient = PatientFactory(clinic=therapist.clinic)
    assert api_client.get(f"/fhir/Patient/{patient.pk}").status_code == 200

    api_token_revoke(token=therapist.api_tokens.get(), revoked_by=clinic_admin)

    response = api_client.get(f"/fhir/Patient/{patient.pk}")
    assert response.status_code == 401
    assert issue(response)["diagnostics"] == TOKEN_INVALID


def test_a_deactivated_holder_closes_their_tokens(api_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    therapist.is_active = False
    therapist.save()

    assert api_client.get(f"/fhir/Patient/{patient.pk}").status_code == 401


def test_requests_over_the_rate_limit_are_throttled(api_client, therapist, settings):
    settings.FHIR_RATE_LIMIT_PER_MINUTE = 3
    patient = PatientFactory(clinic=therapist.clinic)

    statuses = [api_client.get(f"/fhir/Patient/{patient.pk}").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api_client.get(f"/fhir/Patient/{patient.pk}")
    assert response["Retry-After"] == "60"
    assert issue(response)["diagnostics"] == RATE_LIMITED


def test_read_query_count_does_not_grow_with_the_record(
    api_client, record, django_assert_max_num_queries
):
    url = f"/fhir/Patient/{record.patient.pk}/$everything"
    with django_assert_max_num_queries(60) as few:
        api_client.get(url)

    for _ in range(3):
        site = TriggerPointSiteFactory(session__screening=record.screening)
        AdverseEventFactory(session=site.session, site=site)
        SorenessCheckFactory(session__screening=record.screening)
        SignedConsentFactory(patient=record.patient)
        OutcomeAssessmentFactory(episode=site.session.episode, timepoint=Timepoint.REASSESSMENT)
        CredentialFactory(holder=record.session.therapist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        api_client.get(url)

"""The FHIR read API: /fhir/metadata, Patient read, search by MRN and $everything."""

from django.urls import reverse

from patients.models import Patient

from ..api.auth import fhir_api
from ..api.capability import capability_statement
from ..api.outcome import PATIENT_NOT_FOUND, UNKNOWN_RESOURCE, FhirError, fhir_response
from ..api.search import parse_patient_search, search_patients
from ..bundle import search_bundle
from ..mapping.people import patient_resource
from ..services import export as services


def fhir_base_url(request) -> str:
    return request.build_absolute_uri(reverse("fhir_api:metadata")).removesuffix("/metadata")


def _patient(request, patient_id: str) -> Patient:
    """The token's clinic's patient; any other id (another clinic's, not a number) is 404."""
    if not patient_id.isascii() or not patient_id.isdigit() or len(patient_id) > 18:
        raise FhirError(404, "not-found", PATIENT_NOT_FOUND)
    patient = (
        Patient.objects.for_clinic(request.fhir_token.clinic)
        .select_related("clinic")
        .filter(pk=int(patient_id))
        .first()
    )
    if patient is None:
        raise FhirError(404, "not-found", PATIENT_NOT_FOUND)
    return patient


@fhir_api(token_required=False)
def metadata(request):
    return fhir_response(capability_statement(base_url=fhir_base_url(request)))


@fhir_api()
def patient_read(request, patient_id: str):
    patient = _patient(request, patient_id)
    services.patient_api_read(patient=patient, token=request.fhir_token, what="Patient read")
    return fhir_response(patient_resource(patient))


@fhir_api()
def patient_everything(request, patient_id: str):
    patient = _patient(request, patient_id)
    bundle = services.patient_everything(
        patient=patient, token=request.fhir_token, base_url=fhir_base_url(request)
    )
    return fhir_response(bundle)


@fhir_api()
def patient_search(request):
    search = parse_patient_search(request.GET)
    matches = search_patients(clinic=request.fhir_token.clinic, search=search)
    shown = matches[: search.count]
    for patient in shown:
        services.patient_api_read(patient=patient, token=request.fhir_token, what="Patient search")
    return fhir_response(
        search_bundle(
            total=len(matches),
            patients=shown,
            self_url=request.build_absolute_uri(),
            base_url=fhir_base_url(request),
        )
    )


@fhir_api()
def unknown(request, path: str):
    raise FhirError(404, "not-supported", UNKNOWN_RESOURCE)

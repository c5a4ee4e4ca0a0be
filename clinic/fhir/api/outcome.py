"""FHIR errors: every refusal of the API is an OperationOutcome with a 4xx status."""

from django.http import HttpResponse, JsonResponse

from ..mapping.codes import JSON_MIME

UNKNOWN_RESOURCE = (
    "Unknown resource or operation: this server reads Patient only (see /fhir/metadata)."
)
PATIENT_NOT_FOUND = "No patient with this id in your clinic."
TOKEN_MISSING = "Send an API token: 'Authorization: Bearer <token>'."
TOKEN_INVALID = "The API token is unknown, revoked, or its holder may no longer read records."
RATE_LIMITED = "Too many requests with this token; wait a minute and try again."
READ_ONLY = "This server is read only: use GET."
UNSUPPORTED_PARAMETER = "Unsupported search parameter: {name}. Supported: identifier, _count."
IDENTIFIER_REQUIRED = "Search patients by identifier (the MRN): Patient?identifier=<MRN>."
IDENTIFIER_MALFORMED = "An identifier is '<MRN>' or '<system>|<MRN>', at most {max} characters."
COUNT_INVALID = "_count must be a whole number from 0 to {max}."
COUNT_TOO_LARGE = "_count may be at most {max}."


class FhirError(Exception):
    def __init__(self, status: int, code: str, diagnostics: str) -> None:
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics


def fhir_response(resource: dict, status: int = 200) -> HttpResponse:
    return JsonResponse(
        resource,
        status=status,
        content_type=JSON_MIME,
        json_dumps_params={"ensure_ascii": False},
    )


def operation_outcome(code: str, diagnostics: str) -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


def error_response(error: FhirError) -> HttpResponse:
    return fhir_response(operation_outcome(error.code, error.diagnostics), status=error.status)

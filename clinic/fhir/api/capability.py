"""The server's CapabilityStatement: what /fhir answers, built from the same constants."""

from django.utils import timezone

from ..mapping import RESOURCE_SOURCES
from ..mapping.codes import FHIR_VERSION, JSON_MIME
from .search import MAX_COUNT

SOFTWARE = "NeedleTrack"
INCLUDED_ONLY = (
    "Returned inside Patient/$everything (and the bulk export); not read or searched on its own."
)


def _included_types() -> list[dict]:
    """Every other type the record holds: the API answers it only inside $everything."""
    return [
        {"type": resource_type, "documentation": INCLUDED_ONLY}
        for resource_type, _source in RESOURCE_SOURCES
        if resource_type != "Patient"
    ]


def capability_statement(*, base_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.now().isoformat(timespec="seconds"),
        "kind": "instance",
        "software": {"name": SOFTWARE},
        "implementation": {"description": "NeedleTrack FHIR read API", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": [JSON_MIME, "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read only. Every request needs an API token from a clinic admin.",
                "security": {
                    "description": (
                        "Send 'Authorization: Bearer <token>'. A token reads the patients of "
                        "its clinic; it is rate limited per minute and every read is audited."
                    )
                },
                "resource": [
                    {
                        "type": "Patient",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {
                                "name": "identifier",
                                "type": "token",
                                "documentation": "The MRN, optionally as <system>|<MRN>.",
                            },
                            {
                                "name": "_count",
                                "type": "number",
                                "documentation": f"Page size, at most {MAX_COUNT}.",
                            },
                        ],
                        "operation": [
                            {
                                "name": "everything",
                                "definition": (
                                    "http://hl7.org/fhir/OperationDefinition/Patient-everything"
                                ),
                            }
                        ],
                    },
                    *_included_types(),
                ],
            }
        ],
    }

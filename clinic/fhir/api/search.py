"""Patient search by identifier (the MRN), with its input checked before any query."""

from dataclasses import dataclass

from django.http import QueryDict

from patients.models import Patient

from ..mapping.codes import mrn_system
from .outcome import (
    COUNT_INVALID,
    COUNT_TOO_LARGE,
    IDENTIFIER_MALFORMED,
    IDENTIFIER_REQUIRED,
    UNSUPPORTED_PARAMETER,
    FhirError,
)

MAX_COUNT = 100
DEFAULT_COUNT = 20
# `_format` is accepted (the answer is always JSON); anything else is refused, not ignored.
SUPPORTED = {"identifier", "_count", "_format"}
MRN_MAX_LENGTH = Patient._meta.get_field("mrn").max_length
IDENTIFIER_MAX_LENGTH = 300


@dataclass(frozen=True)
class PatientSearch:
    system: str | None
    mrn: str
    count: int


def _count(params: QueryDict) -> int:
    raw = params.get("_count")
    if raw is None:
        return DEFAULT_COUNT
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise FhirError(400, "invalid", COUNT_INVALID.format(max=MAX_COUNT))
    if int(raw) > MAX_COUNT:
        raise FhirError(400, "too-costly", COUNT_TOO_LARGE.format(max=MAX_COUNT))
    return int(raw)


def parse_patient_search(params: QueryDict) -> PatientSearch:
    for name in params:
        if name not in SUPPORTED:
            raise FhirError(400, "not-supported", UNSUPPORTED_PARAMETER.format(name=name[:50]))
    values = params.getlist("identifier")
    if not values:
        raise FhirError(400, "required", IDENTIFIER_REQUIRED)
    malformed = IDENTIFIER_MALFORMED.format(max=MRN_MAX_LENGTH)
    if len(values) > 1 or len(values[0]) > IDENTIFIER_MAX_LENGTH or values[0].count("|") > 1:
        raise FhirError(400, "invalid", malformed)
    system, bar, mrn = values[0].rpartition("|")
    if not mrn.strip() or len(mrn) > MRN_MAX_LENGTH or "\x00" in values[0]:
        raise FhirError(400, "invalid", malformed)
    return PatientSearch(system=system if bar and system else None, mrn=mrn, count=_count(params))


def search_patients(*, clinic, search: PatientSearch) -> list[Patient]:
    """Every match (an MRN is unique in its clinic: at most one), before `_count` pages it."""
    if search.system is not None and search.system != mrn_system(clinic.pk):
        return []
    return list(Patient.objects.for_clinic(clinic).filter(mrn=search.mrn))

"""Small builders shared by the per-resource mappings, and the scope a mapping reads."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape

from django.db.models import QuerySet
from django.utils.text import slugify

from clinic.accounts.models import Clinic
from patients.models import Patient

from .codes import BODY_REGION_SYSTEM, LATERALITY, LATERALITY_EXTENSION, SNOMED_SYSTEM

# Rows read per database round trip when streaming: memory stays flat whatever the clinic.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Scope:
    """What to export: a whole clinic, or one patient of it."""

    clinic: Clinic
    patient: Patient | None = None

    def rows(self, queryset: QuerySet, patient_path: str = "patient") -> QuerySet:
        """`queryset` narrowed to the scope; `patient_path` leads from its model to the patient."""
        if self.patient is not None:
            return queryset.filter(**{patient_path: self.patient})
        return queryset.filter(**{f"{patient_path}__clinic": self.clinic})


def stream(queryset: QuerySet, chunk_size: int = CHUNK_SIZE):
    return queryset.iterator(chunk_size=chunk_size)


def ref(resource_type: str, resource_id: object) -> dict:
    return {"reference": f"{resource_type}/{resource_id}"}


def coding(system: str, code_display: tuple[str, str]) -> dict:
    code, display = code_display
    return {"system": system, "code": code, "display": display}


def concept(system: str, code_display: tuple[str, str], text: str | None = None) -> dict:
    result = {"coding": [coding(system, code_display)]}
    if text:
        result["text"] = text
    return result


def local_code(name: str) -> str:
    """A catalogue name as a code of a local code system: "Upper trapezius" -> upper-trapezius."""
    return slugify(name)


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def day(value: date) -> str:
    return value.isoformat()


def laterality(side: str) -> dict:
    return {
        "url": LATERALITY_EXTENSION,
        "valueCodeableConcept": concept(SNOMED_SYSTEM, LATERALITY[side]),
    }


def region_site(region: str, region_label: str, side: str, side_label: str) -> dict:
    """A body region (local code) with its SNOMED CT laterality, as a bodySite."""
    return {
        "extension": [laterality(side)],
        "coding": [coding(BODY_REGION_SYSTEM, (region, region_label))],
        "text": f"{region_label} ({side_label.lower()})",
    }


def narrative(*paragraphs: str) -> dict:
    """Human-readable text for elements the resource has no field for (escaped XHTML)."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p)
    return {
        "status": "additional",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>',
    }


def annotation(text: str, *, author_id: int | None = None, time: datetime | None = None) -> dict:
    note = {"text": text}
    if author_id is not None:
        note["authorReference"] = ref("Practitioner", author_id)
    if time is not None:
        note["time"] = instant(time)
    return note

"""Bundles of one patient's record: the downloadable export (a `collection`: a set of
resources handed over, with no document semantics a Composition would add) and the
`searchset` that Patient/$everything answers."""

from django.utils import timezone

from patients.models import Patient

from .mapping import Scope, resources
from .mapping.people import patient_resource


def _entry(resource: dict, base_url: str) -> dict:
    return {
        "fullUrl": f"{base_url}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
    }


def patient_bundle(*, patient: Patient, base_url: str) -> dict:
    """Everything NeedleTrack holds on the patient, every reference resolving inside it."""
    entries = [
        _entry(r, base_url) for r in resources(Scope(clinic=patient.clinic, patient=patient))
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": entries,
    }


def everything_bundle(*, patient: Patient, base_url: str) -> dict:
    entries = [
        {
            **_entry(r, base_url),
            "search": {"mode": "match" if r["resourceType"] == "Patient" else "include"},
        }
        for r in resources(Scope(clinic=patient.clinic, patient=patient))
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "total": len(entries),
        "link": [{"relation": "self", "url": f"{base_url}/Patient/{patient.pk}/$everything"}],
        "entry": entries,
    }


def search_bundle(*, total: int, patients: list[Patient], self_url: str, base_url: str) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "total": total,
        "link": [{"relation": "self", "url": self_url}],
        "entry": [
            {**_entry(patient_resource(p), base_url), "search": {"mode": "match"}} for p in patients
        ],
    }

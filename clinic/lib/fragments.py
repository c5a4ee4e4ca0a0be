"""Rendered fragments of the clinical pages, cached under versioned keys.

A fragment's key holds the clinic, its time zone, the patient, the patient's record version
(raised in the transaction of every service write to their records:
`patients.services.record_version_bump`) and the catalogue's version, so a write never
leaves an old fragment reachable: the next request reads the new version and renders afresh.
The version is read (with the patient) before the rows a fragment shows, so a fragment
stored under a version is never older than it. What changes with time alone (a screening
that expires) is stored with the moment it stops being true, and rendered again from then
on.

A part listing several patients' records is keyed on `clinic_version` instead: all the
clinic's patients' versions at once.

Only markup that is the same for every member of the clinic who may open the page is cached:
never a form or its CSRF token, a permission check, the access audit entry or the navigation
counts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

KEY_PREFIX = "fragment"


@dataclass(frozen=True)
class Rendered:
    """What a fragment's renderer returns: its value (markup, or a dict of markups) and, if it
    shows something that changes with time alone, the moment it does."""

    value: Any
    stale_at: datetime | None = None

    def fresh_at(self, moment: datetime) -> bool:
        return self.stale_at is None or moment < self.stale_at


def with_versions(patients: QuerySet) -> QuerySet:
    """Patients with the versions of what their pages print besides their own records, read
    in the same query (no extra round trip): `catalogue_version` (muscles and exercises) and
    `checklist_version` (the newest screening checklist, which dates older screenings)."""
    from patients.models import ChecklistVersion
    from sessions.models import CatalogueVersion

    catalogue = CatalogueVersion.objects.order_by().values("number")[:1]
    checklist = ChecklistVersion.objects.order_by("-number").values("number")[:1]
    return patients.annotate(
        catalogue_version=Coalesce(Subquery(catalogue), Value(0), output_field=IntegerField()),
        checklist_version=Coalesce(Subquery(checklist), Value(0), output_field=IntegerField()),
    )


def patient_key(name: str, patient, *parts: Any, versions=None) -> str:
    """The key of the fragment `name` of `patient`, with the versions annotated by
    `with_versions` on `versions` (the row read through it: the patient by default)."""
    versions = versions or patient
    return record_key(
        name,
        clinic_id=patient.clinic_id,
        patient_id=patient.pk,
        record_version=patient.record_version,
        parts=(versions.catalogue_version, versions.checklist_version, *parts),
    )


def record_key(name: str, *, clinic_id: int, patient_id: int, record_version: int, parts=()):
    """The key of a fragment of one patient's records printing nothing the catalogue's or
    the checklist's versions change (the muscles a record shows are fixed once used)."""
    # Times are printed in the active (the clinic's) zone: a new zone renders afresh.
    zone = timezone.get_current_timezone_name()
    return _key(name, clinic_id, zone, patient_id, record_version, *parts)


def _key(name: str, *parts: Any) -> str:
    return ":".join(str(part) for part in (KEY_PREFIX, name, *parts))


def clinic_version(clinic) -> tuple[int, int, int]:
    """The version of all the clinic's patients' records at once, in one query: how many
    patients, the newest one's id and the sum of their record versions. Every service write
    raises a patient's version (so the sum grows) and ids are never reused, so the three never
    come back to those of an earlier state. For the parts of a page listing several
    patients' records (the worklist's alert lists); read before what they show."""
    from patients.models import Patient

    row = Patient.objects.filter(clinic=clinic).aggregate(
        count=Count("pk"), newest=Max("pk"), total=Sum("record_version")
    )
    return row["count"], row["newest"] or 0, row["total"] or 0


def clinic_key(name: str, clinic, version: tuple[int, int, int], *parts: Any) -> str:
    """The key of the clinic-wide fragment `name`, with the `clinic_version` read for it."""
    return _key(name, clinic.pk, timezone.get_current_timezone_name(), *version, *parts)


def stored(keys: list[str]) -> dict[str, Rendered]:
    """The fragments stored under `keys`, in one round trip: a page showing several passes
    them to `cached` and `cached_many`, which then read nothing more from the cache."""
    return cache.get_many(keys)


def cached(key: str, render: Callable[[], Rendered], stored: dict | None = None) -> Any:
    """The fragment stored under `key`, or `render()`'s, stored for the next request."""
    now = timezone.now()
    hit = cache.get(key) if stored is None else stored.get(key)
    if hit is not None and hit.fresh_at(now):
        return hit.value
    rendered = render()
    # The cache's own timeout (DJANGO_CACHE_TIMEOUT_SECONDS) bounds how long PHI stays there.
    cache.set(key, rendered)
    return rendered.value


def cached_many(
    keys: dict[str, Any],
    render: Callable[[list[Any]], dict[Any, Rendered]],
    stored: dict | None = None,
) -> dict:
    """The fragments stored under `keys` (key: item), in one round trip, and `render(items)`'s
    for the items whose fragment is missing or stale (one call for them all), stored for the
    next request. Returns {item: value}."""
    now = timezone.now()
    hits = cache.get_many(list(keys)) if stored is None else stored
    values = {
        item: hits[key].value
        for key, item in keys.items()
        if key in hits and hits[key].fresh_at(now)
    }
    missing = {item: key for key, item in keys.items() if item not in values}
    if missing:
        rendered = render(list(missing))
        cache.set_many({missing[item]: fresh for item, fresh in rendered.items()})
        values |= {item: fresh.value for item, fresh in rendered.items()}
    return values

"""What the audit page reads: one patient's audit history across every app.

Each app that stores records about a patient registers a collector with
`@patient_record_collector`; a collector returns (model, queryset) pairs naming the patient's
rows of that model. The history is one query whatever the number of entries or collectors,
because each queryset becomes a subquery.

The page lists clinical events (`events.py`): a page of events is two queries (the events'
keys, newest first, then all their entries), however many entries an event has.
"""

from collections.abc import Callable, Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from patients.models import AvoidRegion, Patient, Screening, ScreeningAnswer

PatientRecordCollector = Callable[[Patient], Iterable[tuple[type[models.Model], models.QuerySet]]]

PATIENT_RECORD_COLLECTORS: list[PatientRecordCollector] = []

# How a change to a many-to-many field (a follow-up's sore sites) reads on the audit page.
M2M_ADDED = "added {objects}"
M2M_REMOVED = "removed {objects}"


def patient_record_collector(collector: PatientRecordCollector) -> PatientRecordCollector:
    PATIENT_RECORD_COLLECTORS.append(collector)
    return collector


@patient_record_collector
def patient_and_screenings(patient: Patient):
    return [
        (Patient, Patient.objects.filter(pk=patient.pk)),
        (Screening, Screening.objects.filter(patient=patient)),
        (ScreeningAnswer, ScreeningAnswer.objects.filter(screening__patient=patient)),
        (AvoidRegion, AvoidRegion.objects.filter(screening__patient=patient)),
    ]


def patient_audit_objects(patient: Patient) -> list[tuple[ContentType, models.QuerySet]]:
    """(content type, object ids) for every record of the patient, from every collector."""
    pairs = [pair for collector in PATIENT_RECORD_COLLECTORS for pair in collector(patient)]
    # One query for every content type not yet cached, however many apps add collectors.
    content_types = ContentType.objects.get_for_models(*(model for model, _ in pairs))
    return [(content_types[model], queryset.values("pk")) for model, queryset in pairs]


# An entry that carries no event id is an event of its own, keyed by its row.
SINGLE_ENTRY = "entry:"


def patient_audit_kinds(patient: Patient) -> list[ContentType]:
    """The kinds of record the patient's trail can hold, one content type each."""
    return list({ct.pk: ct for ct, _ in patient_audit_objects(patient)}.values())


def _patient_condition(patient: Patient) -> Q:
    condition = Q(pk__in=[])
    for content_type, object_ids in patient_audit_objects(patient):
        condition |= Q(content_type=content_type, object_id__in=object_ids)
    return condition


def event_key() -> Coalesce:
    """An entry's event: its correlation id, or the entry alone when it has none."""
    alone = Concat(Value(SINGLE_ENTRY), Cast("pk", CharField()), output_field=CharField())
    return Coalesce(NullIf("cid", Value("")), alone, output_field=CharField())


def patient_audit_events(*, patient: Patient, condition: Q | None = None) -> models.QuerySet:
    """The patient's events with at least one entry matching `condition`, newest first:
    rows of {"event": key, "last": its latest entry's time}."""
    return (
        LogEntry.objects.filter(_patient_condition(patient), condition or Q())
        .annotate(event=event_key())
        .values("event")
        .annotate(last=Max("timestamp"), last_pk=Max("pk"))
        .order_by("-last", "-last_pk")
    )


def event_entries(*, patient: Patient, keys: list[str]) -> list[LogEntry]:
    """Every entry of these events on the patient's trail, oldest first; one query."""
    alone = [int(key.removeprefix(SINGLE_ENTRY)) for key in keys if key.startswith(SINGLE_ENTRY)]
    ids = [key for key in keys if not key.startswith(SINGLE_ENTRY)]
    return list(
        LogEntry.objects.filter(_patient_condition(patient))
        .filter(Q(cid__in=ids) | Q(pk__in=alone))
        .annotate(event=event_key())
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )


def entry_changes(entry: LogEntry) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field the entry changed; no queries.

    A field's change is stored as [before, after]; a many-to-many change as the objects added
    or removed (a clear is stored as a removal)."""
    model = entry.content_type.model_class()
    rows = []
    for name, change in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except (AttributeError, FieldDoesNotExist):
            field = None
        label = str(getattr(field, "verbose_name", name))
        if isinstance(change, dict) and change.get("type") == "m2m":
            objects = ", ".join(change.get("objects", []))
            added = change.get("operation") == "add"
            before = "" if added else M2M_REMOVED.format(objects=objects)
            after = M2M_ADDED.format(objects=objects) if added else ""
            rows.append((label, before, after))
        else:
            before, after = change
            rows.append((label, before, after))
    return rows

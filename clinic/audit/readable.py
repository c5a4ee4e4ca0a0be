"""The audit page in a clinician's words: one entry per clinical event, field labels, linked
records by name, codes as their labels, "—" for nothing, a record's empty fields left out of its
creation, and times to the second in the clinic's time zone."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils import timezone
from django.utils.text import capfirst

from clinic.formats import DATETIME_SECONDS_FORMAT, machine, shown

from .selectors import entry_changes

NOTHING = "—"
STORED_EMPTY = {"None", "", "[]", "{}"}
# What happened to a record, after its kind ("Screening created").
ACTION_WORDS = {
    LogEntry.Action.CREATE: "created",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "deleted",
    LogEntry.Action.ACCESS: "opened",
}
OPENED_PAGE = "Opened the {page}"
THROUGH_LINK = "Patient link: {event}"
NO_ACTOR = "System"
PATIENT_THROUGH_LINK = "The patient, through their link"

Change = tuple[str, str, str]


@dataclass
class Part:
    """One record an event created, changed or opened, with its readable changes."""

    entry: LogEntry
    changes: list[Change]

    @property
    def note(self) -> str:
        """What a chart read or export was, in words."""
        data = self.entry.additional_data or {}
        if "page" in data:
            return OPENED_PAGE.format(page=data["page"])
        if "event" in data:
            return THROUGH_LINK.format(event=data["event"])
        return capfirst(str(data.get("export") or data.get("download") or ""))


@dataclass
class PartGroup:
    """The parts of one kind and action in an event: a screening's answers are one group."""

    kind: str
    kind_plural: str
    action: str
    parts: list[Part] = field(default_factory=list)


@dataclass
class AuditEvent:
    key: str
    when: datetime
    actor: str
    groups: list[PartGroup]
    # In the clinic's time zone, active while the page is built.
    when_text: str = field(init=False)
    when_iso: str = field(init=False)

    def __post_init__(self) -> None:
        self.when_text = shown(self.when, DATETIME_SECONDS_FORMAT)
        self.when_iso = machine(self.when)

    @property
    def title(self) -> str:
        """The event's first record and what happened to it; a read says what was opened."""
        first = self.groups[0]
        if first.parts[0].entry.action == LogEntry.Action.ACCESS:
            return first.parts[0].note or f"{first.kind} {first.action}"
        return f"{first.kind} {first.action}"

    @property
    def entries(self) -> list[LogEntry]:
        return [part.entry for group in self.groups for part in group.parts]


def readable_events(entries: Sequence[LogEntry], keys: Sequence[str]) -> list[AuditEvent]:
    """The events named by `keys` (in that order) from their entries (oldest first, each with
    its `event` key); the first record an event wrote leads it."""
    by_event: dict[str, list[tuple[LogEntry, list[Change]]]] = defaultdict(list)
    for entry, changes in readable_rows(entries):
        by_event[entry.event].append((entry, changes))
    return [_event(key, by_event[key]) for key in keys if by_event[key]]


def _event(key: str, rows: list[tuple[LogEntry, list[Change]]]) -> AuditEvent:
    """The event's parts by kind; a part created with the first record does not repeat its
    link to it (each answer of a screening would read "Screening: <the screening>")."""
    groups: dict[tuple[int, int], PartGroup] = {}
    leading = rows[0][0]
    for entry, all_changes in rows:
        changes = all_changes
        if entry is not leading and entry.action == LogEntry.Action.CREATE:
            changes = [c for c in all_changes if c[2] != leading.object_repr]
        meta = entry.content_type.model_class()._meta
        group = groups.setdefault(
            (entry.content_type_id, entry.action),
            PartGroup(
                kind=capfirst(str(meta.verbose_name)),
                kind_plural=str(meta.verbose_name_plural),
                action=ACTION_WORDS.get(entry.action, ""),
            ),
        )
        group.parts.append(Part(entry, changes))
    when = rows[0][0].timestamp
    return AuditEvent(key=key, when=when, actor=_actor(rows), groups=list(groups.values()))


def _actor(rows: list[tuple[LogEntry, list[Change]]]) -> str:
    for entry, _ in rows:
        if entry.actor is not None:
            return _name(entry.actor)
    if any("via_patient_link" in (entry.additional_data or {}) for entry, _ in rows):
        return PATIENT_THROUGH_LINK
    return NO_ACTOR


def readable_rows(entries: Sequence[LogEntry]) -> list[tuple[LogEntry, list[tuple[str, str, str]]]]:
    """(entry, [(label, before, after)]) for a page of entries; one query per linked model."""
    names = _linked_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        created = entry.action == LogEntry.Action.CREATE
        changes = []
        labelled = zip(entry_changes(entry), entry.changes_dict, strict=True)
        for (label, before, after), name in labelled:
            field = _field(model, name)
            if created and (str(after) in STORED_EMPTY or _not_recorded(field)):
                continue
            changes.append(
                (
                    label[:1].upper() + label[1:],
                    _shown(field, before, names),
                    _shown(field, after, names),
                )
            )
        rows.append((entry, changes))
    return rows


def _field(model, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        return None


def _not_recorded(field) -> bool:
    """Parts of a new record that say nothing about it: its row id, and the other records that
    point to it (stored by auditlog as "<model>.None")."""
    return isinstance(field, ForeignObjectRel) or getattr(field, "primary_key", False)


def _shown(field, value, names: dict) -> str:
    text = str(value)
    if text in STORED_EMPTY:
        return NOTHING
    if isinstance(field, models.DateTimeField):
        return _moment(text)
    if isinstance(field, models.DateField):
        return _day(text)
    if isinstance(field, models.ForeignKey):
        return names.get((field.related_model, text), text)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(text, text))
    if isinstance(field, models.BooleanField):
        return {"True": "Yes", "False": "No"}.get(text, text)
    return text


def _linked_names(entries: Sequence[LogEntry]) -> dict[tuple[type, str], str]:
    """The name of every record the page's entries link to, fetched per model at once."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, change in entry.changes_dict.items():
            field = _field(model, name)
            if isinstance(field, models.ForeignKey) and isinstance(change, list):
                wanted[field.related_model].update(
                    str(v) for v in change if str(v) not in STORED_EMPTY
                )
    names = {}
    for model, ids in wanted.items():
        # Names often read the record's own links (a screening names its patient): follow them.
        for record in model._base_manager.filter(pk__in=ids).select_related():
            names[(model, str(record.pk))] = _name(record)
    return names


def _name(record) -> str:
    full_name = getattr(record, "get_full_name", None)
    return (full_name() if full_name else "") or str(record)


def _moment(text: str) -> str:
    """A stored time (auditlog keeps it in UTC, without its zone) in the clinic's zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return shown(moment, DATETIME_SECONDS_FORMAT)


def _day(text: str) -> str:
    try:
        return shown(date.fromisoformat(text))
    except ValueError:
        return text

"""The audit page in a clinician's words: field labels, linked records by name, codes as their
labels, "—" for nothing, and a record's empty fields left out of its creation."""

from collections import defaultdict
from collections.abc import Sequence

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .selectors import entry_changes

NOTHING = "—"
STORED_EMPTY = {"None", "", "[]", "{}"}


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
            if created and str(after) in STORED_EMPTY:
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


def _shown(field, value, names: dict) -> str:
    text = str(value)
    if text in STORED_EMPTY:
        return NOTHING
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
        for record in model._base_manager.filter(pk__in=ids):
            names[(model, str(record.pk))] = _name(record)
    return names


def _name(record) -> str:
    full_name = getattr(record, "get_full_name", None)
    return (full_name() if full_name else "") or str(record)

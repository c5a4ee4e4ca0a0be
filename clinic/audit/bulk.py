"""Audit entries for records written together: the entries auditlog writes on each save, built
in memory and inserted at once.

A write that inserts many rows in one statement (`bulk_create`) sends no save signals, so
auditlog logs nothing for it: the writer builds each row's entry here with auditlog's own diff,
representation, correlation id, actor and client address, and inserts them with
`entries_write` in the same transaction. The audit page and the record export read them as any
other entry.
"""

from collections.abc import Iterable, Sequence

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.signals import pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, router
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str


def created_entry(instance: models.Model) -> LogEntry | None:
    """The entry auditlog writes when `instance` is first saved (just now: no row points at it
    yet, so its reverse one-to-one links are known empty without asking)."""
    for relation in instance._meta.related_objects:
        if relation.one_to_one and not relation.is_cached(instance):
            relation.set_cached_value(instance, None)
    return _entry(LogEntry.Action.CREATE, instance, old=None)


def updated_entry(old: models.Model, new: models.Model) -> LogEntry | None:
    """The entry auditlog writes when `new` is saved over the stored `old`; None, as auditlog,
    when no logged field changed."""
    return _entry(LogEntry.Action.UPDATE, new, old=old)


def _entry(action: int, instance: models.Model, old: models.Model | None) -> LogEntry | None:
    sender = type(instance)
    if any(result is False for _, result in pre_log.send(sender, instance=instance, action=action)):
        return None
    changes = model_instance_diff(
        old, instance, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES
    )
    if not changes:
        return None
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(instance),
        object_pk=str(instance.pk),
        object_id=instance.pk if isinstance(instance.pk, int) else None,
        object_repr=smart_str(instance),
        serialized_data=LogEntry.objects._get_serialized_data_or_none(instance),
        action=action,
        changes=changes,
        cid=get_cid(),
    )
    additional_data = getattr(instance, "get_additional_data", None)
    if callable(additional_data):
        entry.additional_data = additional_data()
    return entry


def entries_write(entries: Iterable[LogEntry | None]) -> Sequence[LogEntry]:
    """Insert the entries in one statement, each given the actor and client address as
    auditlog gives them on save (its request context)."""
    entries = [entry for entry in entries if entry is not None]
    using = router.db_for_write(LogEntry)
    for entry in entries:
        pre_save.send(LogEntry, instance=entry, raw=False, using=using, update_fields=None)
    return LogEntry.objects.using(using).bulk_create(entries)

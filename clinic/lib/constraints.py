"""Database constraints shared by the apps' models, and their validation without a query.

A check constraint whose condition compares the row's own fields with constants or with each
other (`Q` of exact, in, comparisons and isnull) is decided in Python, with SQL's rule that an
unknown (NULL) result passes. Any other condition is asked of the database, all in one query.
"""

import operator
from contextlib import nullcontext

from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def choice_constraint(
    field: str, choices: type[models.TextChoices], *, rule: str, message: str, blank: bool = False
) -> models.CheckConstraint:
    """The database holds a TextChoices field to its values (or empty, when `blank`)."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition = Q(**{field: ""}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{rule}",
        violation_error_message=message,
    )


def failed_checks(
    instance: models.Model,
    model: type[models.Model],
    constraints: list[CheckConstraint],
    exclude=None,
    using: str = "default",
) -> list[CheckConstraint]:
    """The check constraints the instance's values break, asked of the database in one query.

    Django asks one query per constraint (three inside a transaction, with its savepoint); a
    note with its sites and follow-ups has dozens. Same rules as `CheckConstraint.validate`:
    a constraint on an excluded field is skipped and NULL passes. A value the database cannot
    compare fails the whole query: then each constraint is asked alone, as Django does, so
    only the constraints on that value pass (the write itself then fails on them).
    """
    query = Query(None)
    values = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    for name, value in values.items():
        query.add_annotation(
            value if hasattr(value, "resolve_expression") else Value(value), name, select=False
        )
    asked = []
    for constraint in constraints:
        try:
            query.add_annotation(
                Coalesce(constraint.condition, True, output_field=BooleanField()),
                f"check_{len(asked)}",
            )
        except FieldError:
            continue
        asked.append(constraint)
    if not asked:
        return []
    connection = connections[using]
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with savepoint:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return [c for c in asked if not _passes_alone(c, model, instance, exclude, using)]
    return [constraint for constraint, passed in zip(asked, row, strict=True) if not passed]


def _passes_alone(constraint, model, instance, exclude, using) -> bool:
    try:
        constraint.validate(model, instance, exclude=exclude, using=using)
    except ValidationError:
        return False
    return True


COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class Undecided(Exception):
    """Python cannot decide this condition as the database would: the database is asked."""


class LeftOut(Exception):
    """The condition names a field left out of validation: the constraint is not checked."""


def python_check(
    condition, model: type[models.Model], instance: models.Model, exclude=None
) -> bool | None:
    """The condition's truth for the instance (None: unknown, as SQL's NULL)."""
    if not isinstance(condition, Q):
        raise Undecided
    return _truth(condition, _Row(model, instance, exclude or ()))


class _Row:
    """The instance's own field values, as the database would compare them."""

    def __init__(self, model, instance, exclude):
        self.model, self.instance, self.exclude = model, instance, set(exclude)

    def field(self, name: str) -> models.Field:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            raise Undecided from None
        if not field.concrete or field.many_to_many:
            raise Undecided
        if field.name in self.exclude:
            raise LeftOut
        return field

    def value(self, name: str):
        field = self.field(name)
        value = getattr(self.instance, field.attname)
        if value is None or field.is_relation:
            return value
        try:
            value = field.to_python(value)
        except ValidationError:
            raise Undecided from None
        if isinstance(value, str) and "\x00" in value:
            raise Undecided  # the database may refuse to compare it
        return value


def _truth(node, row: _Row) -> bool | None:
    if isinstance(node, Q):
        if node.connector not in (Q.AND, Q.OR):
            raise Undecided
        results = [_truth(child, row) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        else:
            result = True if True in results else (None if None in results else False)
        return None if result is None else (result != node.negated)
    if not isinstance(node, tuple):
        raise Undecided
    return _lookup(*node, row)


def _lookup(path: str, rhs, row: _Row) -> bool | None:
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if lookup == "exact" and rhs is None:
        lookup, rhs = "isnull", True
    if lookup == "isnull":
        return (row.value(name) is None) == bool(rhs)
    if row.field(name).is_relation:
        raise Undecided
    value = row.value(name)
    if isinstance(rhs, F):
        rhs = row.value(rhs.name)
    elif hasattr(rhs, "resolve_expression"):
        raise Undecided
    if value is None or rhs is None:
        return None
    try:
        if lookup == "in":
            return value in rhs
        if lookup in COMPARISONS:
            return COMPARISONS[lookup](value, rhs)
    except TypeError:
        raise Undecided from None
    raise Undecided


def _python_failures(instance, model, constraints, exclude) -> tuple[list, list]:
    """(constraints decided in Python that fail, constraints left to the database)."""
    failed, undecided = [], []
    for constraint in constraints:
        try:
            if python_check(constraint.condition, model, instance, exclude) is False:
                failed.append(constraint)
        except LeftOut:
            continue
        except Undecided:
            undecided.append(constraint)
    return failed, undecided


class CheckedModel(models.Model):
    """A model whose check constraints `full_clean()` validates in Python, or else in one query,
    not one query each."""

    class Meta:
        abstract = True

    def get_constraints(self):
        return [
            (model, [c for c in constraints if not isinstance(c, CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]

    def clean_fields(self, exclude=None):
        """A foreign key whose row was loaded in this request is not looked up again."""
        super().clean_fields(exclude={*(exclude or ()), *self._loaded_foreign_keys()})

    def _loaded_foreign_keys(self) -> list[str]:
        loaded = []
        for field in self._meta.concrete_fields:
            if not field.many_to_one or field.remote_field.limit_choices_to:
                continue
            related = field.get_cached_value(self, default=None)
            if (
                related is not None
                and not related._state.adding
                and related.pk == getattr(self, field.attname)
            ):
                loaded.append(field.name)
        return loaded

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        using = router.db_for_write(type(self), instance=self)
        for model, constraints in super().get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            failures, undecided = _python_failures(self, model, checks, exclude)
            if undecided:
                failures += failed_checks(self, model, undecided, exclude, using)
            failures.sort(key=checks.index)
            for failed in failures:
                errors = ValidationError(
                    failed.get_violation_error_message(), code=failed.violation_error_code
                ).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

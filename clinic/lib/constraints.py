"""Database constraints shared by the apps' models, and their validation in one query."""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
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


class CheckedModel(models.Model):
    """A model whose check constraints `full_clean()` validates in one query, not one each."""

    class Meta:
        abstract = True

    def get_constraints(self):
        return [
            (model, [c for c in constraints if not isinstance(c, CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]

    def validate_constraints(self, exclude=None):
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        using = router.db_for_write(type(self), instance=self)
        for model, constraints in super().get_constraints():
            checks = [c for c in constraints if isinstance(c, CheckConstraint)]
            for failed in failed_checks(self, model, checks, exclude, using):
                errors = ValidationError(
                    failed.get_violation_error_message(), code=failed.violation_error_code
                ).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

"""Database constraints shared by the apps' models."""

from django.db import models
from django.db.models import Q


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

"""One-time form tokens: a create form submitted twice writes one record.

The token is a hidden field generated when the form renders. The created row stores it under a
unique constraint, so a second submit of the same form (a double click, a resent request, two
requests in parallel) finds the first's row instead of writing a duplicate: the database, not
the page, decides which one wins.
"""

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

FORM_TOKEN = "form_token"
ALREADY_SUBMITTED = "This form was already submitted; reload the page to start a new one."

Row = TypeVar("Row", bound=models.Model)


def form_token_field() -> models.UUIDField:
    return models.UUIDField(null=True, blank=True, editable=False)


def form_token_constraint() -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[FORM_TOKEN],
        name="%(app_label)s_%(class)s_form_token_once",
        violation_error_message=ALREADY_SUBMITTED,
    )


class FormTokenField(forms.UUIDField):
    """Hidden; a new token each time the form renders (the initial value is a callable)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)


def create_once(
    model: type[Row],
    *,
    token: uuid.UUID | None,
    owner: Mapping[str, Any],
    create: Callable[[], Row],
) -> Row:
    """The row `create` writes, or the row an earlier submit of the same token wrote.

    `owner` names what the earlier row must share (the patient, the author): a token of
    someone else's form is refused, never answered with their row.
    """
    if token is None:
        return create()
    earlier = model._default_manager.filter(form_token=token).first()
    if earlier is None:
        try:
            with transaction.atomic():
                return create()
        except (IntegrityError, ValidationError):
            # A parallel submit of the same form committed first; otherwise the error stands.
            earlier = model._default_manager.filter(form_token=token).first()
            if earlier is None:
                raise
    if any(getattr(earlier, name) != value for name, value in owner.items()):
        raise ValidationError(ALREADY_SUBMITTED)
    return earlier

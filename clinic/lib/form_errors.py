"""The error summary at the top of a page: every error of every bound form on it, each a link
to its field (the GOV.UK Design System's error summary is the model)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet, BoundField

register = template.Library()

SUMMARY_TITLE = "There is a problem"
# A field's error in the summary names the field, so a list of "Answer yes or no." says which.
FIELD_ERROR = "{label}: {message}"


@dataclass(frozen=True)
class SummaryError:
    message: str
    anchor: str


@register.inclusion_tag("partials/_form_errors.html", takes_context=True)
def error_summary(context) -> dict:
    """Errors of the page's bound forms and formsets, each message once."""
    errors: dict[tuple[str, str], SummaryError] = {}
    for value in context.flatten().values():
        for error in _errors_of(value):
            errors.setdefault((error.message, error.anchor), error)
    return {"summary": list(errors.values()), "summary_title": SUMMARY_TITLE}


def _errors_of(value) -> Iterator[SummaryError]:
    if isinstance(value, BaseFormSet) and value.is_bound:
        first = value.forms[0] if value.forms else None
        for message in value.non_form_errors():
            yield SummaryError(message, _first_field_anchor(first))
        for form in value.forms:
            yield from _errors_of(form)
    elif isinstance(value, BaseForm) and value.is_bound:
        for message in value.non_field_errors():
            yield SummaryError(message, _first_field_anchor(value))
        for name, messages in value.errors.items():
            if name in value.fields:
                field = value[name]
                anchor = _field_anchor(field)
                for message in messages:
                    yield SummaryError(
                        FIELD_ERROR.format(label=field.label, message=message), anchor
                    )


def _first_field_anchor(form: BaseForm | None) -> str:
    visible = form.visible_fields() if form is not None else []
    return _field_anchor(visible[0]) if visible else "#main"


def _field_anchor(field: BoundField) -> str:
    """The element to land on: the input itself, or the first of a set of radios."""
    if field.id_for_label:
        return f"#{field.id_for_label}"
    subwidgets = field.subwidgets
    return f"#{subwidgets[0].id_for_label if subwidgets else field.auto_id}"

from datetime import date, timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.utils import timezone

from clinic.accounts.models import Clinic

from .selectors.base import report_therapists

DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 5 * 366
EARLIEST_DATE = date(2000, 1, 1)

END_BEFORE_START = "The end date is before the start date."
PERIOD_TOO_LONG = "Pick a period of at most 5 years."
TOO_EARLY = "Pick dates from 1 January 2000."
START_IN_FUTURE = "The start date is in the future."


class TherapistChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj}{'' if obj.is_active else ' (left)'}"


class ReportFilterForm(forms.Form):
    """The period (inclusive dates; the last 90 days when left blank) and an optional therapist."""

    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )
    therapist = TherapistChoiceField(queryset=None, required=False, empty_label="All therapists")

    def __init__(self, data, *, clinic: Clinic):
        if not data.get("start") and not data.get("end"):
            # Show the default period in the date fields, not empty fields.
            data = data.copy()
            end = timezone.localdate()
            data["start"] = (end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)).isoformat()
            data["end"] = end.isoformat()
        super().__init__(data)
        self.fields["therapist"].queryset = report_therapists(clinic=clinic)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("start", css_class="col-sm-4 col-lg-3"),
                Column("end", css_class="col-sm-4 col-lg-3"),
                Column("therapist", css_class="col-sm-4 col-lg-3"),
                Column(
                    HTML('<button type="submit" class="btn btn-primary mb-3">Show</button>'),
                    css_class="col-lg-3 d-flex align-items-end",
                ),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        today = timezone.localdate()
        end = cleaned.get("end") or today
        if end < EARLIEST_DATE:
            # Checked before the default start is counted back from it: 90 days before 1 January
            # of year 1 is no date.
            raise forms.ValidationError(TOO_EARLY)
        start = cleaned.get("start") or min(end, today) - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if end < start:
            raise forms.ValidationError(END_BEFORE_START)
        if start < EARLIEST_DATE:
            raise forms.ValidationError(TOO_EARLY)
        if start > today:
            raise forms.ValidationError(START_IN_FUTURE)
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(PERIOD_TOO_LONG)
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

"""The audit page's filters: kind of record, who, and a date range in the clinic's time zone."""

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from clinic.accounts.models import User
from clinic.reports.forms import EARLIEST_DATE, END_BEFORE_START, START_IN_FUTURE, TOO_EARLY

# The kind that is not a record: every time a chart was opened, exported or downloaded.
CHART_READS = "access"
CHART_READS_LABEL = "Chart reads and exports"
# Entries no member of staff wrote: the patient through their link, or a scheduled job.
NO_STAFF = "none"
NO_STAFF_LABEL = "No staff member (patient link or system)"


def kind_value(content_type: ContentType) -> str:
    return f"{content_type.app_label}.{content_type.model}"


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Kind of record")
    user = forms.ChoiceField(required=False, label="Who")
    start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From"
    )
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To"
    )

    def __init__(self, data, *, kinds: list[ContentType], staff: list[User]):
        super().__init__(data)
        self.kinds = {kind_value(ct): ct for ct in kinds}
        self.fields["kind"].choices = [
            ("", "All kinds"),
            (CHART_READS, CHART_READS_LABEL),
            *sorted(
                (
                    (value, str(ct.model_class()._meta.verbose_name_plural).capitalize())
                    for value, ct in self.kinds.items()
                ),
                key=lambda choice: choice[1],
            ),
        ]
        self.fields["user"].choices = [
            ("", "Anyone"),
            *((str(member.pk), member.get_full_name() or member.username) for member in staff),
            (NO_STAFF, NO_STAFF_LABEL),
        ]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("kind", css_class="col-sm-6 col-lg-3"),
                Column("user", css_class="col-sm-6 col-lg-3"),
                Column("start", css_class="col-6 col-lg-2"),
                Column("end", css_class="col-6 col-lg-2"),
                Column(
                    HTML('<button type="submit" class="btn btn-primary mb-3">Filter</button>'),
                    css_class="col-lg-2 d-flex align-items-end",
                ),
            )
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        today = timezone.localdate()
        if any(day and day < EARLIEST_DATE for day in (start, end)):
            raise forms.ValidationError(TOO_EARLY)
        if start and start > today:
            raise forms.ValidationError(START_IN_FUTURE)
        if start and end and end < start:
            raise forms.ValidationError(END_BEFORE_START)
        if end:
            cleaned["end"] = min(end, today)
        return cleaned

    def condition(self) -> Q:
        """Entries that match the filters (the form must be valid)."""
        data = self.cleaned_data
        condition = Q()
        if data["kind"] == CHART_READS:
            condition &= Q(action=LogEntry.Action.ACCESS)
        elif data["kind"]:
            condition &= Q(content_type=self.kinds[data["kind"]]) & ~Q(
                action=LogEntry.Action.ACCESS
            )
        if data["user"] == NO_STAFF:
            condition &= Q(actor__isnull=True)
        elif data["user"]:
            condition &= Q(actor_id=int(data["user"]))
        if data["start"]:
            condition &= Q(timestamp__gte=_day_starts(data["start"]))
        if data["end"]:
            condition &= Q(timestamp__lt=_day_starts(data["end"], days_after=1))
        return condition


def _day_starts(day: date, *, days_after: int = 0) -> datetime:
    """Midnight at the start of the day (or of a later one) in the clinic's time zone."""
    moment = datetime.combine(day, time.min) + timedelta(days=days_after)
    return timezone.make_aware(moment)

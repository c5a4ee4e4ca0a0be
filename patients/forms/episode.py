"""Forms of the episode page: intake, outcome measures, discharge."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinic.lib.form_tokens import FORM_TOKEN, FormTokenField

from ..instruments import InstrumentSpec, Timepoint
from ..models import DischargeReason, EpisodeOfCare
from .patient import DateInput


class EpisodeForm(forms.ModelForm):
    form_token = FormTokenField()

    class Meta:
        model = EpisodeOfCare
        fields = [
            "body_region",
            "complaint",
            "onset_date",
            "opened_on",
            "referral_source",
            "goal",
        ]
        widgets = {
            "onset_date": DateInput(),
            "opened_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"opened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            FORM_TOKEN,
            Row(Column("body_region"), Column("complaint")),
            Row(Column("onset_date"), Column("opened_on"), Column("referral_source")),
            "goal",
            Submit("submit", "Open episode of care"),
        )

    def validate_unique(self) -> None:
        # The service validates the episode whole, with its patient, clinic and therapist.
        pass


class DischargeForm(forms.Form):
    closed_on = forms.DateField(label="Discharge date", widget=DateInput())
    reason = forms.ChoiceField(label="Discharge reason", choices=DischargeReason.choices)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"closed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        # The episode page and the discharge page each wrap it in their own form tag.
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("closed_on"), Column("reason")), "note", Submit("submit", "Discharge")
        )


class OutcomeForm(forms.Form):
    """One instrument's item responses. Ranges and missing items are the scoring service's
    rules, so the form takes any whole number and leaves the judgement to it."""

    form_token = FormTokenField()
    timepoint = forms.ChoiceField(choices=Timepoint.choices)
    taken_on = forms.DateField(label="Date", widget=DateInput())

    def __init__(self, *args, spec: InstrumentSpec, **kwargs):
        kwargs.setdefault("initial", {"taken_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.spec = spec
        rows = [FORM_TOKEN, Row(Column("timepoint"), Column("taken_on"))]
        for number in range(1, spec.item_count + 1):
            self.fields[f"item_{number}"] = forms.IntegerField(
                label=spec.item_label(number),
                required=False,
                help_text=f"{spec.item_min} to {spec.item_max}",
            )
            if spec.patient_named_items:
                self.fields[f"label_{number}"] = forms.CharField(
                    label=f"Activity {number}", required=False, max_length=100
                )
                rows.append(Row(Column(f"label_{number}"), Column(f"item_{number}")))
            else:
                rows.append(f"item_{number}")
        self.helper = FormHelper()
        self.helper.layout = Layout(*rows, Submit("submit", f"Record {spec.name}"))

    def responses(self) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{n}") for n in range(1, self.spec.item_count + 1)]

    def item_labels(self) -> list[str]:
        if not self.spec.patient_named_items:
            return []
        return [self.cleaned_data.get(f"label_{n}", "") for n in range(1, self.spec.item_count + 1)]

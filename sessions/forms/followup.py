from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from clinic.lib.form_tokens import FORM_TOKEN, FormTokenField
from patients.forms import DateInput

from ..forms.needling import DateTimeInput, muscle_label
from ..models import AdverseEvent, Severity, SorenessCheck
from ..models.followup import STAFF_METHODS
from ..rules.followup import ESCALATION_SORENESS, WARNING_SIGNS_LEGEND, WARNING_SIGNS_REQUIRED
from ..services.followup import SORENESS_NOT_RESOLVED

WARNING_SIGNS = ["chest_pain", "breathlessness", "dry_cough"]
YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": WARNING_SIGNS_REQUIRED},
    )


def site_label(site) -> str:
    return f"{muscle_label(site.muscle)}, {site.get_side_display().lower()}"


class SorenessCheckForm(forms.ModelForm):
    warning_signs_legend = WARNING_SIGNS_LEGEND
    # Choices come from the session's prefetched sites, so a worklist of many rows costs no
    # query per row.
    sore_sites = forms.TypedMultipleChoiceField(
        label="Where it is sore",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    done_at = forms.DateTimeField(
        label="Done at",
        required=False,
        widget=DateTimeInput(attrs={"class": "form-control"}),
        help_text="Leave empty for now.",
    )

    class Meta:
        model = SorenessCheck
        fields = ["method", "soreness", "resolved", "sore_sites", "done_at", "notes"]
        # Worklist rows are many: they render with plain field markup, not crispy layouts.
        widgets = {
            "method": forms.Select(attrs={"class": "form-select"}),
            "soreness": forms.NumberInput(attrs={"min": 0, "max": 10, "class": "form-control"}),
            "resolved": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "notes": forms.TextInput(attrs={"class": "form-control"}),
        }

    def __init__(self, *args, check: SorenessCheck, **kwargs):
        super().__init__(*args, prefix=f"check-{check.pk}", **kwargs)
        self.fields["method"].choices = [(m.value, m.label) for m in STAFF_METHODS]
        self.fields["method"].required = True
        self.fields["soreness"].required = True
        self.sites = {site.pk: site for site in check.session.sites.all()}
        self.fields["sore_sites"].choices = [
            (pk, site_label(site)) for pk, site in self.sites.items()
        ]
        # Asked only after a lung-risk site was needled, within the pneumothorax window.
        if check.asks_warning_signs:
            for name in WARNING_SIGNS:
                self.fields[name] = yes_no_field(SorenessCheck._meta.get_field(name).verbose_name)

    def warning_sign_fields(self) -> list:
        return [self[name] for name in WARNING_SIGNS if name in self.fields]

    def clean_sore_sites(self) -> list:
        return [self.sites[pk] for pk in self.cleaned_data["sore_sites"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolved") and (cleaned.get("soreness") or 0) >= ESCALATION_SORENESS:
            self.add_error("resolved", SORENESS_NOT_RESOLVED)
        return cleaned


class AdverseEventForm(forms.ModelForm):
    form_token = FormTokenField()

    class Meta:
        model = AdverseEvent
        fields = [
            "event_type",
            "severity",
            "site",
            "onset_at",
            "description",
            "action_taken",
            "referral_made",
            "resolved_on",
        ]
        widgets = {
            "onset_at": DateTimeInput(),
            "resolved_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "action_taken": forms.Textarea(attrs={"rows": 2}),
            "severity": forms.RadioSelect,
        }

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"].required = True
        self.fields["severity"].choices = Severity.choices
        site = self.fields["site"]
        site.queryset = session.sites.select_related("muscle")
        site.label_from_instance = site_label
        site.empty_label = "Not specific to one site"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            FORM_TOKEN,
            Row(Column("event_type"), Column("site"), Column("onset_at")),
            "severity",
            "description",
            "action_taken",
            Row(Column("referral_made"), Column("resolved_on")),
        )


class EscalationConfirmForm(forms.Form):
    severity = forms.ChoiceField(choices=Severity.choices, widget=forms.RadioSelect)
    action_taken = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    referral_made = forms.BooleanField(
        label=AdverseEvent._meta.get_field("referral_made").verbose_name, required=False
    )
    resolved_on = forms.DateField(required=False, widget=DateInput())
    reason = forms.CharField(label="Note", required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="confirm", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class EscalationDismissForm(forms.Form):
    reason = forms.CharField(
        label="Why dismiss it?", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="dismiss", **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

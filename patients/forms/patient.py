from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from clinic.lib.form_tokens import FORM_TOKEN, FormTokenField

from ..models import BodyRegion, Patient, QuestionCategory, ScreeningQuestion, Side
from ..services.patient import DOB_IN_FUTURE

YES_NO = [("yes", "Yes"), ("no", "No")]
AVOID_SIDES = [Side.LEFT, Side.RIGHT]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "mrn",
            "phone",
            "email",
            "contact_consent",
            "email_opt_out",
            "sms_opt_out",
            "takes_anticoagulants",
            "relevant_history",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "relevant_history": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic
        registering = self.instance.pk is None
        if registering:
            self.fields[FORM_TOKEN] = FormTokenField()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *([FORM_TOKEN] if registering else []),
            Row(Column("first_name"), Column("last_name")),
            Row(Column("date_of_birth"), Column("sex"), Column("mrn")),
            Row(Column("phone"), Column("email")),
            Row(Column("contact_consent"), Column("email_opt_out"), Column("sms_opt_out")),
            "takes_anticoagulants",
            "relevant_history",
            Submit("submit", "Save patient"),
        )

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > timezone.localdate():
            raise forms.ValidationError(DOB_IN_FUTURE)
        return value

    def clean_mrn(self) -> str:
        return self.cleaned_data["mrn"].strip()

    def _get_validation_exclusions(self) -> set[str]:
        exclude = super()._get_validation_exclusions()
        if self.instance.pk is None:
            # Registration: the service checks the MRN (patient_register), so a resubmitted
            # form is answered with the patient it registered, not "MRN already in use".
            exclude.add("mrn")
        return exclude


def avoid_region_choices() -> list[tuple[str, str]]:
    return [
        (f"{region.value}:{side.value}", f"{region.label} ({side.label.lower()})")
        for region in BodyRegion
        for side in AVOID_SIDES
    ]


class ScreeningForm(forms.Form):
    """One yes/no per active checklist question, built from the catalogue (data, not code)."""

    form_token = FormTokenField()

    avoid_regions = forms.MultipleChoiceField(
        label="Body regions to avoid",
        required=False,
        choices=avoid_region_choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=(
            "Required for a regional contraindication (lymphoedema, local infection, tumour, "
            "radiotherapy, recent surgery): needling is refused in these regions only."
        ),
    )
    justification = forms.CharField(
        label="Justification (required when precautions apply)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=4000,
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=4000,
    )

    def __init__(self, *args, questions: list[ScreeningQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        # In the order the page lays them out (by class), so the error summary follows it.
        order = list(QuestionCategory)
        self.questions = sorted(questions, key=lambda q: order.index(q.category))
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": "Answer yes or no."},
            )

    @property
    def question_groups(self) -> list[tuple[QuestionCategory, list[forms.BoundField]]]:
        """The questions as the form lays them out: one yes/no grid per class, in order."""
        groups = []
        for category in QuestionCategory:
            fields = [self[f"q_{q.pk}"] for q in self.questions if q.category == category]
            if fields:
                groups.append((category, fields))
        return groups

    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data[f"q_{q.pk}"] == "yes" for q in self.questions}

    def regions(self) -> list[tuple[str, str]]:
        return [tuple(value.split(":", 1)) for value in self.cleaned_data["avoid_regions"]]

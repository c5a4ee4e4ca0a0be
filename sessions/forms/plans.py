from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse_lazy
from django.utils import timezone

from clinic.formats import shown
from clinic.lib.form_tokens import FORM_TOKEN, FormTokenField

from ..models import (
    AdherenceEntry,
    Exercise,
    ExerciseLog,
    NeedlingSession,
    PlanItem,
    PlanStatus,
    StrengtheningPlan,
)
from ..models.plans import EXERCISE_TWICE, MAX_PLAN_ITEMS, STOPPED_NEEDS_REASON, TOO_MANY_ITEMS
from ..services import plans as plan_services

ITEM_PREFIX = "items"
DEFAULT_REVIEW_AFTER = timedelta(weeks=6)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def session_label(session: NeedlingSession) -> str:
    sites = ", ".join(str(site) for site in session.sites.all())
    return f"{shown(timezone.localdate(session.started_at))} · {sites}"


def primary_keys(values: list[str]) -> list[int]:
    """The values that can be primary keys; others (not ASCII digits, too large) are left out."""
    _, largest = connection.ops.integer_field_range("BigAutoField")
    return [
        int(value)
        for value in values
        if value.isascii() and value.isdigit() and int(value) <= largest
    ]


class SessionsField(forms.ModelMultipleChoiceField):
    """Refuses a value that cannot be a session's id before the database is asked: an id
    beyond the database's integer range would make the lookup fail instead of match nothing."""

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if isinstance(pk, str) and not primary_keys([pk]):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class PlanForm(forms.ModelForm):
    sessions = SessionsField(
        label="Paired needling sessions",
        queryset=NeedlingSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": plan_services.NO_SESSIONS,
            "invalid_choice": plan_services.SESSION_OF_ANOTHER_PATIENT,
            "invalid_pk_value": plan_services.SESSION_OF_ANOTHER_PATIENT,
        },
    )

    form_token = FormTokenField()

    class Meta:
        model = StrengtheningPlan
        fields = ["sessions", "goal", "start_date", "review_date"]
        widgets = {"start_date": DateInput(), "review_date": DateInput()}

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        sessions = self.fields["sessions"]
        sessions.queryset = (
            NeedlingSession.objects.filter(patient=patient).with_sites().newest_first()
        )
        sessions.label_from_instance = session_label
        today = timezone.localdate()
        self.initial.setdefault("start_date", today)
        self.initial.setdefault("review_date", today + DEFAULT_REVIEW_AFTER)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            FORM_TOKEN,
            Div(
                "sessions",
                hx_get=reverse_lazy("treatment_sessions:plan_suggestions"),
                hx_trigger="change",
                hx_include="#plan-form",
                hx_target="#items",
                hx_swap="beforeend",
            ),
            "goal",
            Row(Column("start_date"), Column("review_date")),
        )


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = [
            "exercise",
            "sets",
            "reps",
            "hold_seconds",
            "load_type",
            "load_kg",
            "frequency_per_week",
            "progression_rule",
            "progression_step",
            "easy_logs_needed",
            "notes",
        ]
        widgets = {
            "sets": forms.NumberInput(attrs={"min": 1}),
            "load_kg": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
            "frequency_per_week": forms.NumberInput(attrs={"min": 1, "max": 14}),
        }
        error_messages = {
            "exercise": {"invalid_choice": "Choose an exercise from the catalogue."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = Exercise.objects.active()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("exercise", css_class="col-md-6"), Column("frequency_per_week")),
            Row(
                Column("sets"),
                Column("reps"),
                Column("hold_seconds"),
                Column("load_type"),
                Column("load_kg"),
            ),
            Row(
                Column("progression_rule", css_class="col-md-4"),
                Column("progression_step"),
                Column("easy_logs_needed", css_class="col-md-4"),
            ),
            Row(Column("notes", css_class="col-md-10"), Column("DELETE")),
        )


class BasePlanItemFormSet(forms.BaseFormSet):
    def clean(self):
        chosen = [form.cleaned_data.get("exercise") for form in self.kept_forms()]
        if len([e for e in chosen if e]) != len({e for e in chosen if e}):
            raise forms.ValidationError(EXERCISE_TWICE)

    def kept_forms(self) -> list[PlanItemForm]:
        return [
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PlanItemFormSet = forms.formset_factory(
    PlanItemForm,
    formset=BasePlanItemFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PLAN_ITEMS,
    absolute_max=MAX_PLAN_ITEMS,
    validate_max=True,
)


def plan_item_formset(data=None) -> BasePlanItemFormSet:
    return PlanItemFormSet(
        data, prefix=ITEM_PREFIX, error_messages={"too_many_forms": TOO_MANY_ITEMS}
    )


def plan_item_form(index: int, exercise: Exercise | None) -> PlanItemForm:
    """A new item row; with an exercise, filled in from its default dosage."""
    initial = plan_services.exercise_default_item(exercise) if exercise else {}
    return PlanItemForm(prefix=f"{ITEM_PREFIX}-{index}", initial=initial)


def item_values(formset: BasePlanItemFormSet) -> list[dict]:
    """The kept items as plain values for the services."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset.kept_forms()
    ]


class AdherenceForm(forms.ModelForm):
    form_token = FormTokenField()

    class Meta:
        model = AdherenceEntry
        fields = ["date", "sessions_completed", "notes"]
        widgets = {
            "date": DateInput(),
            "sessions_completed": forms.NumberInput(attrs={"min": 0, "max": 14}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            FORM_TOKEN,
            Row(Column("date"), Column("sessions_completed")),
            "notes",
        )


class ExerciseLogForm(forms.ModelForm):
    class Meta:
        model = ExerciseLog
        fields = ["sets_done", "rpe", "pain_during"]
        widgets = {
            "sets_done": forms.NumberInput(attrs={"min": 0}),
            "rpe": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "pain_during": forms.NumberInput(attrs={"min": 0, "max": 10}),
        }

    def __init__(self, *args, item: PlanItem, **kwargs):
        super().__init__(*args, prefix=f"log-{item.pk}", **kwargs)
        self.item = item
        self.initial.setdefault("sets_done", item.sets)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("sets_done"), Column("rpe"), Column("pain_during")),
        )


def exercise_log_forms(items, data=None) -> list[ExerciseLogForm]:
    return [ExerciseLogForm(data, item=item) for item in items]


class PlanEndForm(forms.Form):
    status = forms.ChoiceField(
        label="End the plan as",
        choices=[
            (PlanStatus.COMPLETED, "Completed: goal reached"),
            (PlanStatus.STOPPED, "Stopped"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for stopping", max_length=300, required=False, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == PlanStatus.STOPPED and not cleaned.get("reason"):
            self.add_error("reason", STOPPED_NEEDS_REASON)
        return cleaned

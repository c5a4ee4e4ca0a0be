from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone

from clinic.lib.form_tokens import FORM_TOKEN, FormTokenField
from patients.models import BodyRegion, EpisodeOfCare

from ..models import Muscle, NeedlingSession, SessionAddendum, TriggerPointSite
from ..models.session import MAX_SITES, TOO_MANY_SITES
from ..services import gate as safety_gate
from ..services import needling as services

SITE_PREFIX = "sites"
UNKNOWN_MUSCLE = "Choose a muscle from the catalogue."
CHOOSE_EPISODE = (
    "The patient has several open episodes of care: choose the one this session is for."
)
EPISODE_NOT_AVAILABLE = (
    "That episode of care is not one of this patient's open episodes: choose one from the list."
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    form_token = FormTokenField()

    class Meta:
        model = NeedlingSession
        fields = [
            "started_at",
            "consent_method",
            "consent_obtained",
            "health_unchanged",
            "pain_before",
            "pain_after",
            "needle_type",
            "needles_used",
            "needles_disposed",
            "clean_technique",
            "sharps_disposed",
            "notes",
        ]
        widgets = {
            "started_at": DateTimeInput(),
            "pain_before": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "pain_after": forms.NumberInput(attrs={"min": 0, "max": 10}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "consent_obtained": {"required": services.NO_CONSENT},
            "health_unchanged": {"required": services.HEALTH_NOT_CONFIRMED},
        }

    def __init__(self, *args, patient=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent_obtained"].required = True
        self.fields["health_unchanged"].required = True
        if self.instance.pk:
            del self.fields[FORM_TOKEN]  # an edit is not a create: submitting it twice is safe
        else:
            self.initial.setdefault("started_at", timezone.localtime().replace(second=0))
            self._add_episode_picker(patient)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[name for name in [FORM_TOKEN, "episode"] if name in self.fields],
            Fieldset(
                "Before needling",
                Row(Column("started_at"), Column("consent_method"), Column("pain_before")),
                "consent_obtained",
                "health_unchanged",
            ),
            Fieldset(
                "After needling",
                Row(Column("pain_after"), Column("needle_type")),
                Row(Column("needles_used"), Column("needles_disposed")),
                "clean_technique",
                "sharps_disposed",
                "notes",
            ),
        )

    def _add_episode_picker(self, patient) -> None:
        """A new session belongs to one of the patient's open episodes of care: preselected when
        there is one, to choose when there are several. One query lists them; the posted id is
        checked against that list."""
        if patient is None:
            return
        self._open_episodes = {
            str(episode.pk): episode
            for episode in EpisodeOfCare.objects.filter(patient=patient).open().newest_first()
        }
        choices = [(pk, str(episode)) for pk, episode in self._open_episodes.items()]
        several = len(choices) > 1
        self.fields["episode"] = forms.ChoiceField(
            label="Episode of care",
            choices=[("", "Choose the episode")] + choices if several else choices,
            required=several,
            error_messages={"required": CHOOSE_EPISODE, "invalid_choice": EPISODE_NOT_AVAILABLE},
        )
        if len(choices) == 1:
            self.initial.setdefault("episode", choices[0][0])

    def clean_episode(self) -> EpisodeOfCare | None:
        chosen = self.cleaned_data["episode"]
        if not chosen and len(self._open_episodes) == 1:
            return next(iter(self._open_episodes.values()))
        return self._open_episodes.get(chosen)


class MuscleChoiceIterator(forms.models.ModelChoiceIterator):
    """The catalogue's muscles grouped by body region, head to foot."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {region: [] for region in BodyRegion.values}
        for muscle in self.queryset:
            groups[muscle.region].append(self.choice(muscle))
        for region, choices in groups.items():
            if choices:
                yield (BodyRegion(region).label, choices)


class MuscleSelect(forms.Select):
    """Muscle options carry their body region, so the body map can filter them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        muscle = getattr(value, "instance", None)
        if muscle is not None:
            option["attrs"]["data-region"] = muscle.region
        return option


LUNG_RISK_MARK = " · lung risk"


def muscle_label(muscle: Muscle) -> str:
    label = f"{muscle.name} ({muscle.get_region_display()})"
    return label + LUNG_RISK_MARK if muscle.lung_risk else label


def muscle_option_label(muscle: Muscle) -> str:
    """A muscle in the site form's list, under its region's heading."""
    return muscle.name + LUNG_RISK_MARK if muscle.lung_risk else muscle.name


class SiteForm(forms.ModelForm):
    class Meta:
        model = TriggerPointSite
        fields = [
            "muscle",
            "side",
            "technique",
            "insertions",
            "twitch_response",
            "depth_mm",
            "needle_length_mm",
            "needle_gauge_mm",
            "lung_risk_acknowledged",
            "notes",
        ]
        widgets = {"insertions": forms.NumberInput(attrs={"min": 1}), "muscle": MuscleSelect}
        error_messages = {
            "muscle": {"invalid_choice": UNKNOWN_MUSCLE},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muscle"].iterator = MuscleChoiceIterator
        self.fields["muscle"].label_from_instance = muscle_option_label
        self.fields["muscle"].queryset = Muscle.objects.active()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("muscle", css_class="col-12")),
            Row(Column("side", css_class="col-sm-6"), Column("technique", css_class="col-sm-6")),
            Row(
                Column("insertions"),
                Column("depth_mm"),
                Column("needle_length_mm"),
                Column("needle_gauge_mm"),
            ),
            Row(Column("twitch_response"), Column("lung_risk_acknowledged", css_class="col-md-8")),
            "notes",
        )


class BaseSiteFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        """A row's hidden id may name only one of the edited session's own sites (none for a
        new session); Django's default would accept any site of the table."""
        super().add_fields(form, index)
        row_id = form.fields[self._pk_field.name]
        row_id.queryset = self.get_queryset()
        row_id.error_messages["invalid_choice"] = services.SITE_OF_ANOTHER_SESSION

    def clean(self):
        # The id is a hidden field: say above the sites what is wrong with it.
        if any(self._pk_field.name in form.errors for form in self.forms):
            raise forms.ValidationError(services.SITE_OF_ANOTHER_SESSION)
        super().clean()


SiteFormSet = forms.inlineformset_factory(
    NeedlingSession,
    TriggerPointSite,
    form=SiteForm,
    formset=BaseSiteFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_SITES,
    absolute_max=MAX_SITES,
    validate_max=True,
    can_delete=False,
)


def site_formset(data=None, *, instance=None) -> forms.BaseInlineFormSet:
    return SiteFormSet(
        data,
        instance=instance or NeedlingSession(),
        prefix=SITE_PREFIX,
        error_messages={"too_few_forms": safety_gate.NO_SITES, "too_many_forms": TOO_MANY_SITES},
    )


def filled_site_forms(formset) -> list[SiteForm]:
    """The site rows filled in (blank added rows are skipped), in the order of the form."""
    return [
        form
        for form in formset.forms
        if form.cleaned_data and (form.has_changed() or form.instance.pk)
    ]


def site_values(form: SiteForm) -> dict:
    """A site row's values for the services."""
    return {name: value for name, value in form.cleaned_data.items() if name != "session"}


class AddendumForm(forms.ModelForm):
    form_token = FormTokenField()

    class Meta:
        model = SessionAddendum
        fields = ["reason", "text"]
        widgets = {
            "reason": forms.TextInput(attrs={"class": "form-control"}),
            "text": forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        }

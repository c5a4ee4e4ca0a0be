"""The patient pages' forms: plain words, big targets, no JavaScript needed."""

from django import forms
from django.core.exceptions import ValidationError

from patients.instruments import INSTRUMENTS, Timepoint
from patients.services.scoring import instrument_score
from sessions.models.adherence import EFFORT_AND_PAIN_NEEDED
from sessions.models.dosage import MAX_SETS
from sessions.rules.followup import ESCALATION_SORENESS

from .rules import NO_INSTRUMENT_CHOSEN

ZERO_TO_TEN = [(value, str(value)) for value in range(11)]
YES_NO = [("yes", "Yes"), ("no", "No")]
GONE_BUT_SORE = (
    f"You said the soreness has gone but scored it {ESCALATION_SORENESS} or more out of 10: "
    "please check your answers."
)


def site_in_plain_words(site) -> str:
    region = site.muscle.get_region_display().replace("/", " and ").capitalize()
    return f"{region}, {site.get_side_display().lower()} side ({site.muscle.name.lower()})"


# After a site near the lungs, the check also asks about the signs of a collapsed lung, in the
# patient's words; the answers go to the same fields a therapist's entry fills.
WARNING_SIGNS_HEADING = "Your breathing and chest"
WARNING_SIGN_QUESTIONS = {
    "chest_pain": "Since the treatment, have you had new pain in your chest?",
    "breathlessness": "Have you been more short of breath than usual?",
    "dry_cough": "Have you had a new dry cough?",
}


class SelfReportForm(forms.Form):
    """Soreness 0-10, where, and whether it has gone. Fields come in `fieldsets`, so further
    questions (the warning signs) add a fieldset without touching the page."""

    soreness = forms.TypedChoiceField(
        label="How sore is it now? 0 is no soreness, 10 the worst you can imagine.",
        choices=ZERO_TO_TEN,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    # Choices from the session's sites already loaded: no lookup of whatever id is posted.
    sore_sites = forms.MultipleChoiceField(
        label="Where is it sore? Tick every place that applies.",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    resolved = forms.TypedChoiceField(
        label="Has the soreness from the treatment gone?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )

    def __init__(self, *args, sites, asks_warning_signs: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = list(sites)
        self.fields["sore_sites"].choices = [
            (str(site.pk), site_in_plain_words(site)) for site in self.sites
        ]
        self.fieldsets = [("Your soreness", ["soreness", "sore_sites", "resolved"])]
        if asks_warning_signs:
            for name, label in WARNING_SIGN_QUESTIONS.items():
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    choices=YES_NO,
                    coerce=lambda value: value == "yes",
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
            self.fieldsets.append((WARNING_SIGNS_HEADING, list(WARNING_SIGN_QUESTIONS)))

    def clean_sore_sites(self) -> list:
        chosen = set(self.cleaned_data["sore_sites"])
        return [site for site in self.sites if str(site.pk) in chosen]

    def clean(self):
        data = super().clean()
        if data.get("resolved") and data.get("soreness", 0) >= ESCALATION_SORENESS:
            raise forms.ValidationError(GONE_BUT_SORE)
        return data

    def grouped(self):
        """(legend, bound fields) per fieldset, for the template."""
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


def _score(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "-"), *ZERO_TO_TEN],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class DailyLogForm(forms.Form):
    """Today's exercise: sets done, effort (RPE) and pain during, per exercise of the plan."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"sets_{item.pk}"] = forms.TypedChoiceField(
                label="Sets done",
                choices=[(value, str(value)) for value in range(min(item.sets, MAX_SETS) + 1)],
                coerce=int,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"rpe_{item.pk}"] = _score("How hard was it? (0 easy, 10 hardest)")
            self.fields[f"pain_{item.pk}"] = _score("Pain during (0 none, 10 worst)")

    def clean(self):
        data = super().clean()
        for item in self.items:
            done = data.get(f"sets_{item.pk}")
            if done and (data.get(f"rpe_{item.pk}") is None or data.get(f"pain_{item.pk}") is None):
                self.add_error(f"rpe_{item.pk}", EFFORT_AND_PAIN_NEEDED)
        return data

    def rows(self):
        return [
            (item, self[f"sets_{item.pk}"], self[f"rpe_{item.pk}"], self[f"pain_{item.pk}"])
            for item in self.items
        ]

    def logs(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "item": item,
                "sets_done": data[f"sets_{item.pk}"],
                "rpe": data[f"rpe_{item.pk}"] if data[f"sets_{item.pk}"] else None,
                "pain_during": data[f"pain_{item.pk}"] if data[f"sets_{item.pk}"] else None,
            }
            for item in self.items
        ]


CHECK_ANSWERS = "Some answers need checking: see the messages in red below."
RESTRICTED_WORDING_HELP = (
    "Answer each numbered question of the {instrument} form your clinic gave you, with the "
    "number you chose on it."
)


class OutcomeMeasuresForm(forms.Form):
    """The patient's answers to an outcome-measure link's instruments: one number per item (blank
    allowed as the instrument's rules allow), and for the PSFS the activity rated. Each
    instrument's answers are checked here by its scoring service, so every message shows at once;
    the recording service checks them again."""

    def __init__(self, *args, specs, activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        self.section_errors: dict[str, list[str]] = {}
        activities = list(activities)
        for spec in self.specs:
            for number in range(1, spec.item_count + 1):
                if spec.patient_named_items:
                    named = activities[number - 1] if number <= len(activities) else ""
                    self.fields[f"{spec.code}_label_{number}"] = forms.CharField(
                        label=f"Activity {number}",
                        required=False,
                        max_length=100,
                        initial=named,
                        widget=forms.TextInput(attrs={"class": "form-control"}),
                    )
                self.fields[f"{spec.code}_{number}"] = forms.IntegerField(
                    label=spec.item_label(number),
                    required=False,
                    widget=forms.NumberInput(
                        attrs={
                            "min": spec.item_min,
                            "max": spec.item_max,
                            "inputmode": "numeric",
                            "class": "form-control",
                        }
                    ),
                )

    def _responses(self, spec) -> list[int | None]:
        return [self.cleaned_data.get(f"{spec.code}_{n}") for n in range(1, spec.item_count + 1)]

    def _labels(self, spec) -> list[str]:
        if not spec.patient_named_items:
            return []
        return [
            self.cleaned_data.get(f"{spec.code}_label_{n}", "")
            for n in range(1, spec.item_count + 1)
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for spec in self.specs:
            try:
                instrument_score(instrument=spec.code, responses=self._responses(spec))
            except ValidationError as error:
                self.section_errors[spec.code] = error.messages
        if self.section_errors:
            raise forms.ValidationError(CHECK_ANSWERS)
        return data

    def answers(self) -> dict[str, tuple[list[int | None], list[str]]]:
        return {spec.code: (self._responses(spec), self._labels(spec)) for spec in self.specs}

    def sections(self) -> list[dict]:
        """Per instrument, for the template: its name, help, messages and (name, rating) rows."""
        return [
            {
                "spec": spec,
                "help": ""
                if spec.wording_shown
                else RESTRICTED_WORDING_HELP.format(instrument=spec.name),
                "errors": self.section_errors.get(spec.code, []),
                "rows": [
                    (
                        self[f"{spec.code}_label_{n}"] if spec.patient_named_items else None,
                        self[f"{spec.code}_{n}"],
                    )
                    for n in range(1, spec.item_count + 1)
                ],
            }
            for spec in self.specs
        ]


class OutcomeLinkForm(forms.Form):
    """Staff, on the episode page: which timepoint and instruments the patient's link asks."""

    timepoint = forms.ChoiceField(choices=Timepoint.choices)
    instruments = forms.MultipleChoiceField(
        choices=[(code, spec.name) for code, spec in INSTRUMENTS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NO_INSTRUMENT_CHOSEN},
    )

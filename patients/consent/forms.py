from django import forms

from clinic.lib.form_tokens import FormTokenField
from patients.models import EpisodeOfCare

from .models import ConsentForm, GuardianReason, SignedConsent, Signer
from .services import EPISODE_NOT_OPEN_FOR_PATIENT, NAME_REQUIRED, QUESTIONS_NOT_CONFIRMED
from .signature import SIGNATURE_EMPTY, signature_clean

# The signer types their own name: the label says whose.
SIGNER_NAME_LABEL = "Full name of the person signing"
QUESTIONS_LABEL = SignedConsent._meta.get_field("questions_answered").verbose_name

BOOTSTRAP_CLASSES = {
    forms.CheckboxInput: "form-check-input",
    forms.RadioSelect: "form-check-input",
    forms.Select: "form-select",
}


class BootstrapForm:
    """Fields laid out by hand (the signing page is a tablet page) with Bootstrap's classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not widget.is_hidden:
                widget.attrs["class"] = BOOTSTRAP_CLASSES.get(type(widget), "form-control")


class ConsentFormForm(BootstrapForm, forms.ModelForm):
    """The next version of the clinic's form, prefilled with the current one."""

    class Meta:
        model = ConsentForm
        fields = ["title", "body", "requires_reconsent"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}


class ConsentSignForm(BootstrapForm, forms.Form):
    """What the patient (or guardian) enters on the tablet; the service checks the rules."""

    form_token = FormTokenField()
    form_version = forms.ModelChoiceField(
        queryset=ConsentForm.objects.all(), widget=forms.HiddenInput
    )
    episode = forms.ModelChoiceField(
        label="For the episode of care",
        queryset=EpisodeOfCare.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": EPISODE_NOT_OPEN_FOR_PATIENT,
            "invalid_choice": EPISODE_NOT_OPEN_FOR_PATIENT,
        },
    )
    questions_answered = forms.BooleanField(
        label=QUESTIONS_LABEL,
        error_messages={"required": QUESTIONS_NOT_CONFIRMED},
    )
    signer = forms.ChoiceField(
        label="Who signs", choices=Signer.choices, initial=Signer.PATIENT, widget=forms.RadioSelect
    )
    guardian_relationship = forms.CharField(
        label="Guardian's relationship to the patient",
        max_length=100,
        required=False,
        help_text="For example: mother, father, legal guardian.",
    )
    guardian_reason = forms.ChoiceField(
        label="Why a guardian signs",
        choices=[("", "—"), *GuardianReason.choices],
        required=False,
    )
    signer_name = forms.CharField(
        label=SIGNER_NAME_LABEL,
        max_length=200,
        error_messages={"required": NAME_REQUIRED},
    )
    signature = forms.CharField(
        widget=forms.HiddenInput, error_messages={"required": SIGNATURE_EMPTY}
    )

    def __init__(self, *args, episodes: list[EpisodeOfCare], **kwargs):
        """`episodes`: the patient's open episodes (the only ones a consent is signed for)."""
        if len(episodes) == 1:
            kwargs.setdefault("initial", {})["episode"] = episodes[0].pk
        super().__init__(*args, **kwargs)
        field = self.fields["episode"]
        field.queryset = EpisodeOfCare.objects.filter(pk__in=[e.pk for e in episodes])
        # Rendered from the list the page has already read.
        field.widget.choices = [(episode.pk, str(episode)) for episode in episodes]

    def clean_signature(self) -> str:
        return signature_clean(self.cleaned_data["signature"])

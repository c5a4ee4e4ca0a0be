"""Consent forms as versioned data, and the consents patients (or their guardians) signed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from .querysets import ConsentFormQuerySet, SignedConsentQuerySet

SHA256_HEX_LENGTH = 64


class ConsentForm(CheckedModel):
    """One published version of a clinic's consent form. Never edited: a change is a new
    version, so what a patient signed stays as it was."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="consent_forms"
    )
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Plain text. A line starting with '# ' is a heading; a blank line starts a "
        "new paragraph."
    )
    requires_reconsent = models.BooleanField(
        "Requires re-consent",
        default=False,
        help_text="Patients who signed an earlier version sign this one before their next "
        "needling.",
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the default text the clinic started with.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentFormQuerySet.as_manager()

    class Meta:
        ordering = ["clinic", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "version"],
                name="%(app_label)s_%(class)s_version_unique_per_clinic",
                violation_error_message="This clinic already has a form of this version.",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="%(app_label)s_%(class)s_version_positive",
                violation_error_message="Form versions start at 1.",
            ),
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(body=""),
                name="%(app_label)s_%(class)s_has_text",
                violation_error_message="A consent form needs a title and a text.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Signer(models.TextChoices):
    PATIENT = "patient", "The patient"
    GUARDIAN = "guardian", "A guardian"


class GuardianReason(models.TextChoices):
    MINOR = "minor", "The patient is a minor"
    NO_CAPACITY = "no_capacity", "The patient cannot give consent themselves"


class SignedConsent(CheckedModel):
    """A signed consent: the exact text signed and its SHA-256, the form version, the signature
    drawing (SVG path data), the signing time and the therapist who witnessed it. Current until
    withdrawn, until the clinic publishes a version that requires re-consent, or until the
    episode of care it was signed for closes (the rule: `SignedConsentQuerySet.current_at`)."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="signed_consents"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="signed_consents"
    )
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="signed")
    # The episode of care the consent was signed for. Empty only on consents signed before
    # consents were tied to episodes (and that no episode was open for): those lapse only by
    # withdrawal or a re-consent version.
    episode = models.ForeignKey(
        "patients.EpisodeOfCare",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_consents",
        verbose_name="episode of care",
    )
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The text as the signer read it, training filled in.")
    text_sha256 = models.CharField("SHA-256 of the text", max_length=SHA256_HEX_LENGTH)
    questions_answered = models.BooleanField("I have had the chance to ask questions")
    signer = models.CharField(max_length=10, choices=Signer, default=Signer.PATIENT)
    signer_name = models.CharField("Full name of the signer", max_length=200)
    guardian_relationship = models.CharField(max_length=100, blank=True)
    guardian_reason = models.CharField(max_length=12, choices=GuardianReason, blank=True)
    signature = models.TextField(help_text="The drawn signature as SVG path data.")
    signed_at = models.DateTimeField()
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="witnessed_consents"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_witness = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="witnessed_withdrawals",
    )
    # The signing form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignedConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-pk"]
        constraints = [
            form_token_constraint(),
            choice_constraint("signer", Signer, rule="signer_valid", message="Unknown signer."),
            choice_constraint(
                "guardian_reason",
                GuardianReason,
                rule="guardian_reason_valid",
                message="Unknown reason for a guardian's signature.",
                blank=True,
            ),
            models.CheckConstraint(
                condition=Q(questions_answered=True),
                name="%(app_label)s_%(class)s_questions_answered",
                violation_error_message="The signer must confirm they could ask questions.",
            ),
            models.CheckConstraint(
                condition=~Q(signer_name="") & ~Q(signature="") & ~Q(text=""),
                name="%(app_label)s_%(class)s_signed",
                violation_error_message="A consent needs the text, the signer's name and the "
                "signature.",
            ),
            models.CheckConstraint(
                condition=Exact(Length("text_sha256"), SHA256_HEX_LENGTH),
                name="%(app_label)s_%(class)s_hash_length",
                violation_error_message="The text's SHA-256 is 64 hexadecimal digits.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(signer=Signer.PATIENT, guardian_relationship="", guardian_reason="")
                    | (
                        Q(signer=Signer.GUARDIAN)
                        & ~Q(guardian_relationship="")
                        & ~Q(guardian_reason="")
                    )
                ),
                name="%(app_label)s_%(class)s_guardian_details",
                violation_error_message="A guardian's signature needs their relationship to the "
                "patient and the reason; a patient's has neither.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawal_witness__isnull=True)
                | Q(withdrawn_at__gte=F("signed_at"), withdrawal_witness__isnull=False),
                name="%(app_label)s_%(class)s_withdrawal_witnessed",
                violation_error_message="A withdrawal has a time after the signature and a "
                "witness.",
            ),
        ]
        indexes = [
            # The safety gate and the patient page: a patient's consents, newest first.
            models.Index(fields=["patient", "-signed_at"], name="consent_patient_signed"),
        ]

    def __str__(self) -> str:
        signed = shown(timezone.localdate(self.signed_at))
        return f"Consent of {self.patient} signed {signed} ({self.form})"

    def get_absolute_url(self) -> str:
        return reverse("consent:detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

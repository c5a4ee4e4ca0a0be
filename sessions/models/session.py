from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field
from patients.models import Side

from ..querysets.needling import NeedlingSessionQuerySet, TriggerPointSiteQuerySet

NPRS_MIN, NPRS_MAX = 0, 10
NPRS_VALIDATORS = [MinValueValidator(NPRS_MIN), MaxValueValidator(NPRS_MAX)]
MAX_INSERTIONS = 100
MAX_DEPTH_MM = 150
ADDENDUM_INCOMPLETE = "An addendum needs a reason and text."
NO_CONSENT = "Needling needs the patient's informed consent."
MAX_NEEDLES = 500
# A session form takes at most this many site rows (a larger post is refused before the rows
# are read).
MAX_SITES = 40
TOO_MANY_SITES = f"A session records at most {MAX_SITES} trigger-point sites."


def nprs_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": NPRS_MIN, f"{field}__lte": NPRS_MAX})


class SessionLockedError(Exception):
    def __init__(self) -> None:
        super().__init__("A signed session cannot be changed; add an addendum instead.")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbal"
    WRITTEN = "written", "Written"


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"


class GateOutcome(models.TextChoices):
    CLEARED = "cleared", "Allowed: screening cleared"
    PRECAUTIONS = "precautions", "Allowed with precautions"


class Technique(models.TextChoices):
    STATIC = "static", "Static (in situ)"
    PISTONING = "pistoning", "Pistoning / fast-in fast-out"
    ROTATION = "rotation", "Rotation (winding)"
    ELECTRICAL = "electrical", "With electrical stimulation"


def patients_clinic() -> models.ForeignKey:
    """The patient's clinic, copied onto a clinical row (a patient never changes clinic) so
    that a clinic's rows come from an index that starts with it, not through the patient."""
    return models.ForeignKey(
        "accounts.Clinic",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # each model's clinic index starts with it
    )


class NeedlingSession(CheckedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="needling_sessions"
    )
    # Copied when the session is recorded: a clinic's sessions of a period come from one index
    # (session_clinic_started), whatever the other clinics hold.
    clinic = patients_clinic()
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="needling_sessions"
    )
    # The episode of care the session treats; the gate requires an open one.
    episode = models.ForeignKey(
        "patients.EpisodeOfCare", on_delete=models.PROTECT, related_name="needling_sessions"
    )
    screening = models.ForeignKey(
        "patients.Screening", on_delete=models.PROTECT, related_name="needling_sessions"
    )
    started_at = models.DateTimeField()
    consent_method = models.CharField(max_length=10, choices=ConsentMethod)
    consent_obtained = models.BooleanField("Informed consent obtained")
    health_unchanged = models.BooleanField(
        "Patient confirms health and medication unchanged since the screening"
    )
    pain_before = models.PositiveSmallIntegerField(
        "Pain before (NPRS 0-10)", validators=NPRS_VALIDATORS
    )
    pain_after = models.PositiveSmallIntegerField(
        "Pain after (NPRS 0-10)", validators=NPRS_VALIDATORS, null=True, blank=True
    )
    needle_type = models.CharField(
        max_length=100, blank=True, help_text="Brand and type, e.g. solid filament, guide tube."
    )
    needles_used = models.PositiveSmallIntegerField("Needles used", null=True, blank=True)
    needles_disposed = models.PositiveSmallIntegerField(
        "Needles removed and disposed",
        null=True,
        blank=True,
        help_text="Count them in, count them out: before signing, this matches needles used.",
    )
    clean_technique = models.BooleanField("Clean technique used", default=False)
    sharps_disposed = models.BooleanField("Sharps disposed of safely", default=False)
    notes = models.TextField(blank=True)
    gate_outcome = models.CharField(max_length=12, choices=GateOutcome)
    gate_summary = models.TextField(help_text="What the safety gate checked, in words.")
    status = models.CharField(max_length=10, choices=SessionStatus, default=SessionStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedlingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            form_token_constraint(),
            models.CheckConstraint(
                condition=Q(consent_obtained=True),
                name="%(app_label)s_%(class)s_consent_obtained",
                violation_error_message=NO_CONSENT,
            ),
            models.CheckConstraint(
                condition=Q(health_unchanged=True),
                name="%(app_label)s_%(class)s_health_unchanged",
                violation_error_message=(
                    "The patient must confirm their health is unchanged since the screening."
                ),
            ),
            choice_constraint(
                "consent_method",
                ConsentMethod,
                rule="consent_method_valid",
                message="Unknown consent method.",
            ),
            models.CheckConstraint(
                condition=nprs_in_range("pain_before"),
                name="%(app_label)s_%(class)s_pain_before_range",
                violation_error_message="Pain before must be between 0 and 10.",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True) | nprs_in_range("pain_after"),
                name="%(app_label)s_%(class)s_pain_after_range",
                violation_error_message="Pain after must be between 0 and 10.",
            ),
            choice_constraint(
                "gate_outcome",
                GateOutcome,
                rule="gate_outcome_valid",
                message="Unknown safety gate outcome.",
            ),
            choice_constraint(
                "status",
                SessionStatus,
                rule="status_valid",
                message="Unknown session status.",
            ),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.DRAFT)
                | Q(
                    signed_at__isnull=False,
                    pain_after__isnull=False,
                    clean_technique=True,
                    sharps_disposed=True,
                ),
                name="%(app_label)s_%(class)s_signed_complete",
                violation_error_message=(
                    "A signed session needs pain after treatment, clean technique and sharps "
                    "disposal confirmed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(needles_used__isnull=True)
                | Q(needles_used__gte=1, needles_used__lte=MAX_NEEDLES),
                name="%(app_label)s_%(class)s_needles_used_range",
                violation_error_message=f"Needles used must be between 1 and {MAX_NEEDLES}.",
            ),
            models.CheckConstraint(
                condition=Q(needles_disposed__isnull=True)
                | Q(needles_used__isnull=False, needles_disposed__lte=models.F("needles_used")),
                name="%(app_label)s_%(class)s_disposed_within_used",
                violation_error_message="More needles disposed of than used: recount.",
            ),
        ]
        indexes = [
            # Patient page: a patient's sessions, newest first.
            models.Index(fields=["patient", "-started_at"], name="session_patient_newest"),
            # Reports and clinic scoping: a clinic's sessions that started in the period.
            models.Index(fields=["clinic", "started_at"], name="session_clinic_started"),
        ]

    def __str__(self) -> str:
        return f"Needling of {self.patient} on {shown(timezone.localdate(self.started_at))}"

    def clean_fields(self, exclude=None) -> None:
        # The clinic is never entered: save() copies it from the patient.
        super().clean_fields(exclude={*(exclude or ()), "clinic"})

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:
            self.clinic_id = self.patient.clinic_id
        elif NeedlingSession.objects.signed().filter(pk=self.pk).exists():
            raise SessionLockedError
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("treatment_sessions:detail", args=[self.pk])

    @property
    def is_signed(self) -> bool:
        return self.status == SessionStatus.SIGNED

    @property
    def needles_unaccounted(self) -> int:
        if self.needles_used is None or self.needles_disposed is None:
            return 0
        return self.needles_used - self.needles_disposed

    @property
    def pain_change(self) -> int | None:
        if self.pain_after is None:
            return None
        return self.pain_after - self.pain_before


class TriggerPointSite(CheckedModel):
    session = models.ForeignKey(NeedlingSession, on_delete=models.PROTECT, related_name="sites")
    muscle = models.ForeignKey("treatment_sessions.Muscle", on_delete=models.PROTECT)
    side = models.CharField(max_length=10, choices=Side)
    technique = models.CharField(max_length=12, choices=Technique, default=Technique.STATIC)
    insertions = models.PositiveSmallIntegerField(
        "Insertions or passes",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INSERTIONS)],
    )
    twitch_response = models.BooleanField("Local twitch response", default=False)
    depth_mm = models.PositiveSmallIntegerField(
        "Depth (mm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DEPTH_MM)],
    )
    needle_length_mm = models.PositiveSmallIntegerField(
        "Needle length (mm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(MAX_DEPTH_MM)],
    )
    needle_gauge_mm = models.DecimalField(
        "Needle gauge (mm)",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.1), MaxValueValidator(0.5)],
    )
    # Copied from the muscle when recorded, so the acknowledgement rule is a table constraint.
    lung_risk = models.BooleanField(default=False, editable=False)
    lung_risk_acknowledged = models.BooleanField(
        "Lung-risk precaution taken (needle direction and depth away from the pleura)",
        default=False,
    )
    notes = models.CharField(max_length=500, blank=True)

    objects = TriggerPointSiteQuerySet.as_manager()

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            choice_constraint("side", Side, rule="side_valid", message="Unknown side."),
            choice_constraint(
                "technique",
                Technique,
                rule="technique_valid",
                message="Unknown technique.",
            ),
            models.CheckConstraint(
                condition=Q(insertions__gte=1, insertions__lte=MAX_INSERTIONS),
                name="%(app_label)s_%(class)s_insertions_range",
                violation_error_message=f"Insertions must be between 1 and {MAX_INSERTIONS}.",
            ),
            models.CheckConstraint(
                condition=Q(depth_mm__isnull=True) | Q(depth_mm__gte=1, depth_mm__lte=MAX_DEPTH_MM),
                name="%(app_label)s_%(class)s_depth_range",
                violation_error_message=f"Depth must be between 1 and {MAX_DEPTH_MM} mm.",
            ),
            models.CheckConstraint(
                condition=Q(lung_risk=False) | Q(lung_risk_acknowledged=True),
                name="%(app_label)s_%(class)s_lung_risk_acknowledged",
                violation_error_message="A lung-risk site needs the precaution acknowledged.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.muscle} ({self.get_side_display().lower()})"

    def save(self, *args, **kwargs) -> None:
        if NeedlingSession.objects.signed().filter(pk=self.session_id).exists():
            raise SessionLockedError
        super().save(*args, **kwargs)


class SessionAddendum(CheckedModel):
    """A correction or late entry appended below a signed note."""

    session = models.ForeignKey(NeedlingSession, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_addenda"
    )
    reason = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "session addenda"
        constraints = [
            form_token_constraint(),
            models.CheckConstraint(
                condition=~Q(text="") & ~Q(reason=""),
                name="%(app_label)s_%(class)s_text_and_reason",
                violation_error_message=ADDENDUM_INCOMPLETE,
            ),
        ]

    def __str__(self) -> str:
        return f"Addendum to {self.session} by {self.author}"

"""Episodes of care: a course of treatment for one complaint, from intake to discharge."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..querysets import EpisodeQuerySet
from .patient import BodyRegion

DISCHARGE_BEFORE_INTAKE = "Discharge cannot be before the intake date."
ONSET_AFTER_INTAKE = "The onset of the complaint cannot be after the intake date."
ONE_OPEN_EPISODE_PER_REGION = (
    "This patient already has an open episode of care for this body region: discharge it first."
)
DISCHARGE_NEEDS_REASON = "A discharged episode needs its discharge date and reason, and only then."


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", "Goals met"
    PLATEAU = "plateau", "Plateau"
    REFERRED_ON = "referred_on", "Referred on"
    SELF_DISCHARGED = "self_discharged", "Self-discharged"
    OTHER = "other", "Other"


class EpisodeOfCare(CheckedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="episodes"
    )
    # Copied from the patient so the outcomes report card reads a clinic's episodes from one
    # index (episode_clinic_opened).
    clinic = models.ForeignKey(
        "accounts.Clinic",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="episodes"
    )
    body_region = models.CharField(max_length=20, choices=BodyRegion)
    complaint = models.CharField(max_length=200)
    onset_date = models.DateField(null=True, blank=True, help_text="When the complaint began.")
    goal = models.TextField(blank=True)
    referral_source = models.CharField(
        max_length=100, blank=True, help_text="Who referred the patient (self, physician, ...)."
    )
    opened_on = models.DateField("Intake date")
    closed_on = models.DateField("Discharge date", null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=DischargeReason, blank=True)
    discharge_note = models.TextField(blank=True)
    # The intake form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = "episode of care"
        verbose_name_plural = "episodes of care"
        constraints = [
            form_token_constraint(),
            choice_constraint(
                "body_region", BodyRegion, rule="body_region_valid", message="Unknown body region."
            ),
            choice_constraint(
                "discharge_reason",
                DischargeReason,
                rule="discharge_reason_valid",
                message="Unknown discharge reason.",
                blank=True,
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, discharge_reason="")
                | (Q(closed_on__isnull=False) & ~Q(discharge_reason="")),
                name="%(app_label)s_%(class)s_discharge_complete",
                violation_error_message=DISCHARGE_NEEDS_REASON,
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="%(app_label)s_%(class)s_discharge_after_intake",
                violation_error_message=DISCHARGE_BEFORE_INTAKE,
            ),
            models.CheckConstraint(
                condition=Q(onset_date__isnull=True) | Q(onset_date__lte=F("opened_on")),
                name="%(app_label)s_%(class)s_onset_before_intake",
                violation_error_message=ONSET_AFTER_INTAKE,
            ),
            models.UniqueConstraint(
                fields=["patient", "body_region"],
                condition=Q(closed_on__isnull=True),
                name="%(app_label)s_%(class)s_one_open_per_region",
                violation_error_message=ONE_OPEN_EPISODE_PER_REGION,
            ),
        ]
        indexes = [
            # Outcomes report card: a clinic's episodes opened in the period.
            models.Index(fields=["clinic", "opened_on"], name="episode_clinic_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.get_body_region_display()}: {self.complaint} ({shown(self.opened_on)})"

    def clean_fields(self, exclude=None) -> None:
        # The clinic is never entered: save() copies it from the patient.
        super().clean_fields(exclude={*(exclude or ()), "clinic"})

    def save(self, *args, **kwargs) -> None:
        if self._state.adding:
            self.clinic_id = self.patient.clinic_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("patients:episode_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

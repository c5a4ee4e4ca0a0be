from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..querysets.followup import AdverseEventQuerySet, SorenessCheckQuerySet
from .session import NPRS_VALIDATORS, nprs_in_range, patients_clinic

UNKNOWN_CHECK_STATUS = "Unknown follow-up status."
DISMISSAL_NEEDS_REASON = "Dismissing an escalation needs a reason."
PNEUMOTHORAX_IS_MAJOR = "A pneumothorax is always a major adverse event."
WARNING_SIGNS_UNANSWERED = "A done follow-up that asks about warning signs needs all three answers."


class CheckStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    CLOSED = "closed", "Closed (soreness resolved earlier)"


class Timeliness(models.TextChoices):
    EARLY = "early", "Early"
    ON_TIME = "on_time", "On time"
    LATE = "late", "Late"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    MESSAGE = "message", "Message"
    # Recorded by the patient through a follow-up link, never chosen by staff.
    SELF_REPORT = "self_report", "Patient self-report"


STAFF_METHODS = [method for method in ContactMethod if method != ContactMethod.SELF_REPORT]


class SorenessCheck(CheckedModel):
    """A scheduled post-needling soreness follow-up (24/48/72 h by default)."""

    session = models.ForeignKey(
        "treatment_sessions.NeedlingSession", on_delete=models.PROTECT, related_name="checks"
    )
    # Copied when the check is scheduled: the worklist and the navigation count read a
    # clinic's open checks from one index (check_clinic_status_due).
    clinic = patients_clinic()
    hours_after = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CheckStatus, default=CheckStatus.SCHEDULED)
    done_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness, blank=True)
    method = models.CharField(max_length=12, choices=ContactMethod, blank=True)
    soreness = models.PositiveSmallIntegerField(
        "Soreness (NPRS 0-10)", null=True, blank=True, validators=NPRS_VALIDATORS
    )
    sore_sites = models.ManyToManyField(
        "treatment_sessions.TriggerPointSite", blank=True, related_name="+"
    )
    resolved = models.BooleanField("Soreness resolved", default=False)
    # Set when scheduled: a follow-up soon after a lung-risk site was needled asks about the
    # warning signs of a pneumothorax (rules.followup.WARNING_SIGNS_WITHIN_HOURS).
    asks_warning_signs = models.BooleanField(default=False, editable=False)
    chest_pain = models.BooleanField("New chest pain", null=True, blank=True)
    breathlessness = models.BooleanField("Breathlessness", null=True, blank=True)
    dry_cough = models.BooleanField("Dry cough", null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="soreness_checks",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SorenessCheckQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "hours_after"],
                name="%(app_label)s_%(class)s_one_per_time",
                violation_error_message="This follow-up is already scheduled.",
            ),
            choice_constraint(
                "status",
                CheckStatus,
                rule="status_valid",
                message=UNKNOWN_CHECK_STATUS,
            ),
            choice_constraint(
                "timeliness",
                Timeliness,
                rule="timeliness_valid",
                message="Unknown timeliness.",
                blank=True,
            ),
            choice_constraint(
                "method",
                ContactMethod,
                rule="method_valid",
                message="Unknown contact method.",
                blank=True,
            ),
            models.CheckConstraint(
                condition=Q(soreness__isnull=True) | nprs_in_range("soreness"),
                name="%(app_label)s_%(class)s_soreness_range",
                violation_error_message="Soreness must be between 0 and 10.",
            ),
            models.CheckConstraint(
                condition=~Q(status=CheckStatus.DONE)
                | (
                    Q(done_at__isnull=False, soreness__isnull=False)
                    & ~Q(method="")
                    & ~Q(timeliness="")
                ),
                name="%(app_label)s_%(class)s_done_complete",
                violation_error_message="A done follow-up needs its time, method and soreness.",
            ),
            models.CheckConstraint(
                condition=~Q(method=ContactMethod.SELF_REPORT) | Q(recorded_by__isnull=True),
                name="%(app_label)s_%(class)s_self_report_has_no_staff",
                violation_error_message="A patient's self-report is not recorded by staff.",
            ),
            models.CheckConstraint(
                condition=~Q(status=CheckStatus.DONE, asks_warning_signs=True)
                | Q(
                    chest_pain__isnull=False, breathlessness__isnull=False, dry_cough__isnull=False
                ),
                name="%(app_label)s_%(class)s_warning_signs_answered",
                violation_error_message=WARNING_SIGNS_UNANSWERED,
            ),
        ]
        indexes = [
            # Marking missed checks: scheduled checks by due time, all clinics.
            models.Index(fields=["status", "due_at"], name="check_status_due"),
            # Worklist and navigation count: a clinic's open checks by due time.
            models.Index(fields=["clinic", "status", "due_at"], name="check_clinic_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.hours_after} h follow-up of {self.session}"

    @property
    def warning_signs(self) -> list[str]:
        """The warning signs the patient reported at this follow-up, by their labels."""
        names = ["chest_pain", "breathlessness", "dry_cough"]
        return [self._meta.get_field(name).verbose_name for name in names if getattr(self, name)]


class AdverseEventType(models.TextChoices):
    BRUISING = "bruising", "Bruising"
    BLEEDING = "bleeding", "Bleeding"
    PAIN_DURING = "pain_during", "Pain during treatment"
    PAIN_AFTER = "pain_after", "Pain/soreness after treatment"
    AGGRAVATION = "aggravation", "Aggravation of symptoms"
    DROWSINESS = "drowsiness", "Drowsiness/fatigue"
    HEADACHE = "headache", "Headache"
    NAUSEA = "nausea", "Nausea"
    VASOVAGAL = "vasovagal", "Vasovagal reaction/fainting"
    SKIN_REACTION = "skin_reaction", "Skin reaction"
    INFECTION = "infection", "Infection"
    NERVE_IRRITATION = "nerve_irritation", "Nerve irritation"
    PNEUMOTHORAX = "pneumothorax", "Pneumothorax"
    FORGOTTEN_NEEDLE = "forgotten_needle", "Forgotten needle"
    NEEDLE_BREAKAGE = "needle_breakage", "Needle breakage"
    BENT_NEEDLE = "bent_needle", "Bent needle"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    MILD = "mild", "Mild: short-lived, no change to treatment"
    MODERATE = "moderate", "Moderate: needed a treatment change or medical advice"
    MAJOR = "major", "Major: hospital care, lasting harm or pneumothorax"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft (to confirm or dismiss)"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class AdverseEvent(CheckedModel):
    session = models.ForeignKey(
        "treatment_sessions.NeedlingSession",
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    site = models.ForeignKey(
        "treatment_sessions.TriggerPointSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    event_type = models.CharField("Type", max_length=20, choices=AdverseEventType)
    severity = models.CharField(max_length=10, choices=Severity, blank=True)
    onset_at = models.DateTimeField("Onset")
    description = models.TextField()
    action_taken = models.TextField(blank=True)
    referral_made = models.BooleanField("Referred to a physician or emergency care", default=False)
    resolved_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=EventStatus, default=EventStatus.CONFIRMED)
    escalated_from = models.OneToOneField(
        "treatment_sessions.SorenessCheck",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalation",
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_adverse_events",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdverseEventQuerySet.as_manager()

    class Meta:
        ordering = ["-onset_at", "-pk"]
        constraints = [
            form_token_constraint(),
            choice_constraint(
                "event_type",
                AdverseEventType,
                rule="type_valid",
                message="Unknown adverse event type.",
            ),
            choice_constraint(
                "severity",
                Severity,
                rule="severity_valid",
                message="Unknown severity.",
                blank=True,
            ),
            choice_constraint(
                "status",
                EventStatus,
                rule="status_valid",
                message="Unknown adverse event status.",
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CONFIRMED) | ~Q(severity=""),
                name="%(app_label)s_%(class)s_confirmed_has_severity",
                violation_error_message="A confirmed adverse event needs a severity class.",
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.DISMISSED) | ~Q(decision_reason=""),
                name="%(app_label)s_%(class)s_dismissal_has_reason",
                violation_error_message=DISMISSAL_NEEDS_REASON,
            ),
            models.CheckConstraint(
                condition=~Q(event_type=AdverseEventType.PNEUMOTHORAX)
                | Q(severity="")
                | Q(severity=Severity.MAJOR),
                name="%(app_label)s_%(class)s_pneumothorax_is_major",
                violation_error_message=PNEUMOTHORAX_IS_MAJOR,
            ),
        ]
        indexes = [
            # Admin dashboard and safety report: a clinic's events by onset.
            models.Index(fields=["status", "severity", "-onset_at"], name="event_status_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} after {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("treatment_sessions:adverse_event_detail", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.severity == Severity.MAJOR and self.status == EventStatus.CONFIRMED

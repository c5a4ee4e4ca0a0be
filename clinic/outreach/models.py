"""Patient links and their deliveries.

A link's token is shown once (in the message) and stored only as its SHA-256 hash.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.lib.constraints import CheckedModel, choice_constraint
from patients.instruments import Timepoint

from .querysets import DeliveryQuerySet, PatientLinkQuerySet


class LinkPurpose(models.TextChoices):
    SORENESS_CHECK = "soreness_check", "Soreness follow-up"
    PLAN = "plan", "Strengthening plan"
    OUTCOME_MEASURE = "outcome_measure", "Outcome measure"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    OPENED = "opened", "Opened"
    ANSWERED = "answered", "Answered"


class LinkState(models.TextChoices):
    """Where a link stands, as staff see it (newest event first)."""

    NOT_SENT = "not_sent", "Not sent yet"
    SENT = "sent", "Sent"
    OPENED = "opened", "Opened"
    ANSWERED = "answered", "Answered"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"


class PatientLink(CheckedModel):
    """One patient's way in for one purpose: a soreness check, their strengthening plan, or an
    episode of care's outcome measures due at one timepoint."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="links")
    purpose = models.CharField(max_length=20, choices=LinkPurpose)
    soreness_check = models.ForeignKey(
        "treatment_sessions.SorenessCheck",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    plan = models.ForeignKey(
        "treatment_sessions.StrengtheningPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    episode = models.ForeignKey(
        "patients.EpisodeOfCare",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="links",
    )
    # An outcome-measure link: the timepoint and the instruments (codes) the patient fills.
    timepoint = models.CharField(max_length=12, choices=Timepoint, blank=True)
    instruments = models.JSONField(default=list, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            choice_constraint(
                "purpose", LinkPurpose, rule="purpose_valid", message="Unknown link purpose."
            ),
            models.CheckConstraint(
                condition=Q(
                    purpose=LinkPurpose.SORENESS_CHECK,
                    soreness_check__isnull=False,
                    plan__isnull=True,
                    episode__isnull=True,
                )
                | Q(
                    purpose=LinkPurpose.PLAN,
                    plan__isnull=False,
                    soreness_check__isnull=True,
                    episode__isnull=True,
                )
                | Q(
                    purpose=LinkPurpose.OUTCOME_MEASURE,
                    episode__isnull=False,
                    soreness_check__isnull=True,
                    plan__isnull=True,
                ),
                name="%(app_label)s_%(class)s_one_purpose",
                violation_error_message=(
                    "A link opens exactly one follow-up, one plan or one episode's measures."
                ),
            ),
            models.CheckConstraint(
                condition=Q(purpose=LinkPurpose.OUTCOME_MEASURE, timepoint__in=Timepoint.values)
                | (~Q(purpose=LinkPurpose.OUTCOME_MEASURE) & Q(timepoint="")),
                name="%(app_label)s_%(class)s_timepoint_for_measures",
                violation_error_message="An outcome-measure link names its timepoint.",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),
                name="%(app_label)s_%(class)s_token_hashed",
                violation_error_message="A link stores its token's SHA-256 hash only.",
            ),
        ]
        indexes = [
            # Worklist: the links of the checks on the page.
            models.Index(fields=["soreness_check", "-created_at"], name="link_check_newest"),
            # Plan page and exercise alerts: a plan's links.
            models.Index(fields=["plan", "-created_at"], name="link_plan_newest"),
            # Episode page: an episode's outcome-measure links.
            models.Index(fields=["episode", "-created_at"], name="link_episode_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link {self.pk} for patient {self.patient_id}"


class Delivery(CheckedModel):
    """One sending of a link by one channel, and what became of it."""

    link = models.ForeignKey(PatientLink, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel)
    address = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            choice_constraint("channel", Channel, rule="channel_valid", message="Unknown channel."),
            choice_constraint(
                "status", DeliveryStatus, rule="status_valid", message="Unknown delivery status."
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.FAILED) | ~Q(failure_reason=""),
                name="%(app_label)s_%(class)s_failure_has_reason",
                violation_error_message="A failed delivery says why.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED])
                | Q(sent_at__isnull=False),
                name="%(app_label)s_%(class)s_sent_has_time",
                violation_error_message="A sent delivery has its sending time.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} of {self.link}: {self.get_status_display()}"

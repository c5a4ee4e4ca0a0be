import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clinic.lib.constraints import CheckedModel, choice_constraint

from .querysets import CredentialQuerySet, UserQuerySet

DEFAULT_SCREENING_VALIDITY_DAYS = 30
# A bleeding disorder limits needling to this depth unless the clinic sets its own.
DEFAULT_SUPERFICIAL_DEPTH_MM = 10
MAX_DEPTH_MM = 150
# The staff page warns of a credential running out this many days ahead.
CREDENTIAL_EXPIRY_WARNING_DAYS = 60
MAX_TRAINING_HOURS = 2000
HOURS_RANGE = f"Training hours must be between 1 and {MAX_TRAINING_HOURS}."
EXPIRES_BEFORE_COMPLETED = "A credential cannot expire before it was completed."
DEFAULT_SORENESS_CHECK_HOURS = (24, 48, 72)
MAX_SORENESS_CHECK_HOURS = 14 * 24


def default_soreness_check_hours() -> list[int]:
    return list(DEFAULT_SORENESS_CHECK_HOURS)


def validate_soreness_check_hours(value) -> None:
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= 6
        or not all(isinstance(h, int) and 1 <= h <= MAX_SORENESS_CHECK_HOURS for h in value)
        or value != sorted(set(value))
    ):
        raise ValidationError(
            "List 1 to 6 follow-up times in hours after treatment, ascending, e.g. [24, 48, 72]."
        )


TIME_ZONE_UNKNOWN = "Unknown time zone: give an IANA name such as Europe/London."


def default_time_zone() -> str:
    return settings.TIME_ZONE


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value) -> None:
    if value not in known_time_zones():
        raise ValidationError(TIME_ZONE_UNKNOWN, code="time_zone_unknown")


class McidRule(models.TextChoices):
    """How the clinic decides that a patient's pain improved by a clinically important amount."""

    POINTS_OR_PERCENT = "points_or_percent", "At least 2 points or 30% of the baseline"
    BY_BASELINE = "by_baseline", "By baseline: 1 point (1-4), 2 points (5-7), 3 points (8-10)"


DEFAULT_REASSESS_EVERY_VISITS = 6
DEFAULT_REASSESS_EVERY_DAYS = 30


class Clinic(CheckedModel):
    name = models.CharField(max_length=200, unique=True)
    phone = models.CharField(
        max_length=40, blank=True, help_text="Shown to patients on their follow-up links."
    )
    screening_validity_days = models.PositiveSmallIntegerField(
        default=DEFAULT_SCREENING_VALIDITY_DAYS,
        help_text="How many days a contraindication screening stays valid.",
    )
    soreness_check_hours = models.JSONField(
        default=default_soreness_check_hours,
        validators=[validate_soreness_check_hours],
        help_text="When to check post-needling soreness, in hours after treatment.",
    )
    require_mfa_for_admins = models.BooleanField(
        "Clinic admins must use two-factor sign-in",
        default=False,
        help_text="Clinic admins then reach no page without a code from their authenticator app.",
    )
    superficial_depth_limit_mm = models.PositiveSmallIntegerField(
        "Superficial needling limit (mm)",
        default=DEFAULT_SUPERFICIAL_DEPTH_MM,
        help_text="The deepest needling allowed when a screening found a bleeding disorder.",
    )
    mcid_rule = models.CharField(
        "Pain improvement rule (MCID)",
        max_length=20,
        choices=McidRule,
        default=McidRule.POINTS_OR_PERCENT,
        help_text="When a fall in pain between visits counts as clinically important.",
    )
    # Outcome measures are due again after this many visits or days, whichever comes first.
    reassess_every_visits = models.PositiveSmallIntegerField(
        default=DEFAULT_REASSESS_EVERY_VISITS,
        help_text="Re-assess outcome measures after this many visits in an episode.",
    )
    reassess_every_days = models.PositiveSmallIntegerField(
        default=DEFAULT_REASSESS_EVERY_DAYS,
        help_text="Re-assess outcome measures after this many days in an episode.",
    )
    # Pages, reports and the audit trail show times in this zone to the clinic's staff.
    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="The clinic's time zone (IANA name, e.g. Europe/London): pages, reports and "
        "the audit trail show times in it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(screening_validity_days__gte=1, screening_validity_days__lte=365),
                name="%(app_label)s_%(class)s_validity_days_range",
                violation_error_message="Screening validity must be between 1 and 365 days.",
            ),
            models.CheckConstraint(
                condition=Q(
                    superficial_depth_limit_mm__gte=1, superficial_depth_limit_mm__lte=MAX_DEPTH_MM
                ),
                name="%(app_label)s_%(class)s_superficial_depth_range",
                violation_error_message="The superficial needling limit must be 1 to 150 mm.",
            ),
            choice_constraint(
                "mcid_rule", McidRule, rule="mcid_rule_valid", message="Unknown MCID rule."
            ),
            models.CheckConstraint(
                condition=Q(reassess_every_visits__gte=1, reassess_every_days__gte=1),
                name="%(app_label)s_%(class)s_reassess_interval_positive",
                violation_error_message="Re-assessment intervals must be at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class StaffManager(UserManager.from_queryset(UserQuerySet)):
    pass


class Role(models.TextChoices):
    THERAPIST = "therapist", "Physical therapist"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"


class User(CheckedModel, AbstractUser):
    """A member of a clinic's staff. Platform superusers may have no clinic."""

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.THERAPIST)
    must_change_password = models.BooleanField(
        "Must set a new password at next sign-in",
        default=False,
        help_text="New staff choose their own password; a clinic admin can ask for a new one.",
    )

    objects = StaffManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            choice_constraint("role", Role, rule="role_valid", message="Unknown staff role."),
            models.CheckConstraint(
                condition=Q(clinic__isnull=False) | Q(is_superuser=True),
                name="%(app_label)s_%(class)s_clinic_required",
                violation_error_message="Every staff member belongs to a clinic.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def mfa_required(self) -> bool:
        clinic = self.clinic
        return (
            self.role == Role.CLINIC_ADMIN and clinic is not None and clinic.require_mfa_for_admins
        )


class Credential(CheckedModel):
    """A therapist's dry-needling training or qualification (FHIR Practitioner.qualification).

    Current from the day it was completed through its `valid_until` date, if it has one."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    course = models.CharField("Course or qualification", max_length=200)
    hours = models.PositiveSmallIntegerField("Training hours")
    completed_on = models.DateField("Date completed")
    jurisdiction = models.CharField(
        max_length=100, help_text="The state, province or country whose rules it meets."
    )
    valid_until = models.DateField(
        null=True,
        blank=True,
        help_text="The last day it is valid; leave empty if it never expires.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["holder", "-completed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1, hours__lte=MAX_TRAINING_HOURS),
                name="%(app_label)s_%(class)s_hours_range",
                violation_error_message=HOURS_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("completed_on")),
                name="%(app_label)s_%(class)s_valid_after_completed",
                violation_error_message=EXPIRES_BEFORE_COMPLETED,
            ),
            models.CheckConstraint(
                condition=~Q(course="") & ~Q(jurisdiction=""),
                name="%(app_label)s_%(class)s_named",
                violation_error_message="Name the course and the jurisdiction.",
            ),
        ]
        indexes = [
            # The safety gate: a therapist's credentials current on the session's day.
            models.Index(fields=["holder", "valid_until"], name="credential_holder_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.hours} h, {self.jurisdiction})"

    def is_current_on(self, day) -> bool:
        return self.completed_on <= day and (self.valid_until is None or day <= self.valid_until)

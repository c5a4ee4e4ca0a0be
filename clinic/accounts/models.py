from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from clinic.lib.constraints import CheckedModel, choice_constraint

from .querysets import UserQuerySet

DEFAULT_SCREENING_VALIDITY_DAYS = 30
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


class Clinic(CheckedModel):
    name = models.CharField(max_length=200, unique=True)
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
        ]

    def __str__(self) -> str:
        return self.name


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

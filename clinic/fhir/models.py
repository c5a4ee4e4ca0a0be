from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.lib.constraints import CheckedModel

from .querysets import ApiTokenQuerySet

REVOKED_WITH_WHO = "A revoked token records who revoked it and when."
TOKEN_NEEDS_NAME = "Name the system that will use the token."


class ApiToken(CheckedModel):
    """A staff member's key to the FHIR read API of their clinic; only its hash is stored."""

    clinic = models.ForeignKey(
        "accounts.Clinic", on_delete=models.PROTECT, related_name="api_tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="The system that uses it, e.g. 'City EMR'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        max_length=12, editable=False, help_text="Shown to tell tokens apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""),
                name="%(app_label)s_%(class)s_name_present",
                violation_error_message=TOKEN_NEEDS_NAME,
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="%(app_label)s_%(class)s_revoked_with_who",
                violation_error_message=REVOKED_WITH_WHO,
            ),
        ]
        indexes = [
            # Token page: a clinic's tokens, newest first.
            models.Index(fields=["clinic", "-created_at"], name="apitoken_clinic_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

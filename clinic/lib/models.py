from django.db import models
from django.db.models import Q


class RateLimitCounter(models.Model):
    """Hits of one key in one fixed window, shared by every server process."""

    key = models.CharField(max_length=200)
    window_start = models.BigIntegerField(help_text="Start of the window, in Unix seconds.")
    expires_at = models.BigIntegerField(help_text="End of the window, in Unix seconds.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"],
                name="%(app_label)s_%(class)s_one_per_window",
                violation_error_message="This key already has a counter for the window.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("window_start")),
                name="%(app_label)s_%(class)s_expires_after_start",
                violation_error_message="A window ends after it starts.",
            ),
        ]
        indexes = [
            # Every new window purges the windows that have ended, whatever their key.
            models.Index(fields=["expires_at"], name="ratelimit_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.hits} from {self.window_start}"

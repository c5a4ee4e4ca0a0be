from django.apps import AppConfig


class OutreachConfig(AppConfig):
    """Patient links (follow-up self-reports, home exercise logs) and their delivery."""

    name = "clinic.outreach"
    label = "outreach"
    verbose_name = "Patient links"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import records  # noqa: F401  (the links' section of the audit page)
        from .models import Delivery, PatientLink

        auditlog.register(PatientLink, exclude_fields=["token_hash"])
        auditlog.register(Delivery)

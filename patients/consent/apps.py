from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "patients.consent"
    label = "consent"
    verbose_name = "Informed consent"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import records  # noqa: F401  (consents on the audit page and in the export)
        from .models import ConsentForm, SignedConsent

        auditlog.register(ConsentForm)
        # The signature drawing is kept on the record itself, not repeated in every log entry.
        auditlog.register(SignedConsent, exclude_fields=["signature"])

from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "clinic.fhir"
    label = "fhir"
    verbose_name = "FHIR export and read API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import ApiToken

        auditlog.register(ApiToken, exclude_fields=["token_hash", "last_used_at"])

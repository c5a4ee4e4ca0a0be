from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clinic.audit"
    label = "audit"
    verbose_name = "Audit trail and record export"
    default_auto_field = "django.db.models.BigAutoField"

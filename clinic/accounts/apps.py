from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic.accounts"
    label = "accounts"
    verbose_name = "Clinics and staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Clinic, User

        auditlog.register(Clinic)
        auditlog.register(User, exclude_fields=["password", "last_login"])

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clinic.accounts"
    label = "accounts"
    verbose_name = "Clinics and staff"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from .credentials import remember_mfa_step
        from .models import Clinic, User

        user_logged_in.connect(remember_mfa_step, dispatch_uid="accounts.remember_mfa_step")

        auditlog.register(Clinic)
        auditlog.register(User, exclude_fields=["password", "last_login"])

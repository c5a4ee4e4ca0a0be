from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import AvoidRegion, Patient, Screening, ScreeningAnswer, ScreeningQuestion

        for model in (Patient, Screening, ScreeningAnswer, AvoidRegion, ScreeningQuestion):
            auditlog.register(model)

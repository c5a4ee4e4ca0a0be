from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients and screening"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            AvoidRegion,
            EpisodeOfCare,
            OutcomeAssessment,
            Patient,
            Screening,
            ScreeningAnswer,
            ScreeningQuestion,
        )

        for model in (
            Patient,
            Screening,
            ScreeningAnswer,
            AvoidRegion,
            ScreeningQuestion,
            EpisodeOfCare,
            OutcomeAssessment,
        ):
            auditlog.register(model)
        from . import records  # noqa: F401  (episodes on the audit page and in the export)

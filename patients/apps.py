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

        # Derived values, not clinical facts: the accent-free name for search, and the counter
        # that keys the cached record pages.
        auditlog.register(Patient, exclude_fields=["search_name", "record_version"])
        for model in (
            Screening,
            ScreeningAnswer,
            AvoidRegion,
            ScreeningQuestion,
            EpisodeOfCare,
            OutcomeAssessment,
        ):
            auditlog.register(model)
        from . import records  # noqa: F401  (episodes on the audit page and in the export)

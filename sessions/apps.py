from django.apps import AppConfig


class TreatmentSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is django.contrib.sessions' label.
    label = "treatment_sessions"
    verbose_name = "Needling sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import records  # noqa: F401  (registers the audit collector and export section)
        from .models import (
            AdverseEvent,
            Muscle,
            NeedlingSession,
            SessionAddendum,
            SorenessCheck,
            TriggerPointSite,
        )

        for model in (Muscle, NeedlingSession, TriggerPointSite, SessionAddendum, AdverseEvent):
            auditlog.register(model)
        auditlog.register(SorenessCheck, m2m_fields={"sore_sites"})

        from . import plan_records  # noqa: F401  (strengthening plans on the audit page, export)
        from .models import (
            AdherenceEntry,
            Exercise,
            ExerciseLog,
            PlanItem,
            PlanPairing,
            StrengtheningPlan,
        )

        auditlog.register(Exercise, m2m_fields={"muscles"})
        for model in (StrengtheningPlan, PlanPairing, PlanItem, AdherenceEntry, ExerciseLog):
            auditlog.register(model)

from django.apps import AppConfig


class TreatmentSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is django.contrib.sessions' label.
    label = "treatment_sessions"
    verbose_name = "Needling sessions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import (
            AdverseEvent,
            Muscle,
            NeedlingSession,
            SessionAddendum,
            SorenessCheck,
            TriggerPointSite,
        )
        from .records import needling  # noqa: F401  (registers the audit collector and export section)

        for model in (Muscle, NeedlingSession, TriggerPointSite, SessionAddendum, AdverseEvent):
            auditlog.register(model)
        auditlog.register(SorenessCheck, m2m_fields={"sore_sites"})

        from .models import (
            AdherenceEntry,
            Exercise,
            ExerciseLog,
            PlanItem,
            PlanPairing,
            StrengtheningPlan,
        )
        from .records import plans  # noqa: F401  (strengthening plans on the audit page, export)

        auditlog.register(Exercise, m2m_fields={"muscles"})
        for model in (StrengtheningPlan, PlanPairing, PlanItem, AdherenceEntry, ExerciseLog):
            auditlog.register(model)

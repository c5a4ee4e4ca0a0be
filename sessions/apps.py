from django.apps import AppConfig


class TreatmentSessionsConfig(AppConfig):
    name = "sessions"
    # "sessions" is django.contrib.sessions' label.
    label = "treatment_sessions"
    verbose_name = "Needling sessions"
    default_auto_field = "django.db.models.BigAutoField"

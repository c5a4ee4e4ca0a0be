from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clinic.reports"
    label = "reports"
    verbose_name = "Clinic reports"
    default_auto_field = "django.db.models.BigAutoField"

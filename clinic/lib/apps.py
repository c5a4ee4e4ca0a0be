from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers shared by the apps; an app only to own the rate limiter's counter table."""

    name = "clinic.lib"
    label = "lib"
    verbose_name = "Shared helpers"
    default_auto_field = "django.db.models.BigAutoField"

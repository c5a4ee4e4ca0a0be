from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Performance tooling: the synthetic dataset, the page benchmark and its comparison.

    No models: it reads and writes the clinical apps' tables only.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"
    verbose_name = "Benchmark"

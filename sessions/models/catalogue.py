from django.db import models

from clinic.lib.constraints import CheckedModel, choice_constraint
from patients.models import BodyRegion


class MuscleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def lung_risk_regions(self) -> list[str]:
        """Body regions where an active muscle carries a pneumothorax risk (one query)."""
        return list(
            self.active().filter(lung_risk=True).values_list("region", flat=True).distinct()
        )


class Muscle(CheckedModel):
    """A muscle that can be needled; catalogue data, edited in admin, never deleted."""

    name = models.CharField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=BodyRegion)
    lung_risk = models.BooleanField(
        default=False, help_text="Needling it can reach the pleura (pneumothorax risk)."
    )
    active = models.BooleanField(default=True)

    objects = MuscleQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            choice_constraint(
                "region",
                BodyRegion,
                rule="region_valid",
                message="Unknown body region.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

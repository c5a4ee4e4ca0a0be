from django.core.exceptions import ValidationError
from django.db import models

from clinic.lib.constraints import CheckedModel, choice_constraint
from patients.models import BodyRegion


class MuscleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


# A record shows the catalogue entry as it was when it was made: once an entry is used, what
# records show of it is never edited (a correction is a new entry; the old one is retired).
CATALOGUE_ENTRY_IN_USE = (
    "{fields} cannot change: records already show this entry. Add a new entry and retire "
    "this one instead."
)


class CatalogueEntry(CheckedModel):
    """A catalogue row whose `shown_in_records` fields are fixed once a record uses it."""

    shown_in_records: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def is_in_use(self) -> bool:
        raise NotImplementedError

    def changed_shown_fields(self) -> list[str]:
        if self._state.adding or not self.is_in_use():
            return []
        stored = type(self)._default_manager.filter(pk=self.pk).values(*self.shown_in_records)
        before = stored.first() or {}
        return [name for name in self.shown_in_records if before.get(name) != getattr(self, name)]

    def clean(self) -> None:
        super().clean()
        changed = self.changed_shown_fields()
        if changed:
            labels = ", ".join(self._meta.get_field(name).verbose_name for name in changed)
            message = CATALOGUE_ENTRY_IN_USE.format(fields=labels.capitalize())
            raise ValidationError(dict.fromkeys(changed, message))

    def save(self, *args, **kwargs) -> None:
        changed = self.changed_shown_fields()
        if changed:
            raise ValidationError(CATALOGUE_ENTRY_IN_USE.format(fields=", ".join(changed)))
        super().save(*args, **kwargs)


class Muscle(CatalogueEntry):
    """A muscle that can be needled; catalogue data, edited in admin, never deleted."""

    shown_in_records = ("name", "region")

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

    def is_in_use(self) -> bool:
        return self.triggerpointsite_set.exists()


class CatalogueVersion(models.Model):
    """One row: raised with every change to the muscle and exercise catalogues, so cached
    fragments that print catalogue entries are keyed on it (`catalogue_version_bump`)."""

    number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"catalogue version {self.number}"

"""The catalogue's version, raised with every change an administrator makes to it."""

from django.db.models import F

from ..models import CatalogueVersion

# The one row of CatalogueVersion.
CATALOGUE_VERSION_ROW = 1


def catalogue_version_bump() -> None:
    """One `UPDATE` (an `INSERT` the first time); call inside the change's transaction."""
    raised = CatalogueVersion.objects.filter(pk=CATALOGUE_VERSION_ROW).update(
        number=F("number") + 1
    )
    if not raised:
        CatalogueVersion.objects.create(pk=CATALOGUE_VERSION_ROW, number=1)

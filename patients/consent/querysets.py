from datetime import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q


class ConsentFormQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def newest_first(self):
        return self.order_by("-version")

    def reconsent_versions_by(self, at):
        """Versions that asked every patient to sign again, published by `at`."""
        return self.filter(requires_reconsent=True, published_at__lte=at)


class SignedConsentQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def newest_first(self):
        return self.order_by("-signed_at", "-pk")

    def current_at(self, at: datetime):
        """Consents in force at `at`: signed by then, not withdrawn by then, and not older than
        a form version the clinic published by then with "requires re-consent"."""
        from .models import ConsentForm

        superseding = ConsentForm.objects.filter(
            clinic=OuterRef("clinic"), version__gt=OuterRef("form__version")
        ).reconsent_versions_by(at)
        return self.filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at), signed_at__lte=at
        ).exclude(Exists(superseding))

    def in_force_for_outer(self, *, patient_field: str, at_field: str):
        """For a subquery: the consents of the outer row's patient in force at the outer row's
        time (the same rule as `current_at`)."""
        from .models import ConsentForm

        superseding = ConsentForm.objects.filter(
            clinic=OuterRef("clinic"),
            version__gt=OuterRef("form__version"),
            requires_reconsent=True,
            published_at__lte=OuterRef(OuterRef(at_field)),
        )
        at = OuterRef(at_field)
        return self.filter(
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at),
            patient=OuterRef(patient_field),
            signed_at__lte=at,
        ).exclude(Exists(superseding))

from datetime import timedelta

from django.db import models
from django.db.models import Q


class UserQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def therapists(self):
        from .models import Role

        return self.filter(role=Role.THERAPIST, is_active=True)

    def with_credential_status(self, day):
        """Annotate whether each member holds a dry-needling credential current on `day`, and
        whether it runs out within the warning period (one query for the whole staff list)."""
        from .models import CREDENTIAL_EXPIRY_WARNING_DAYS, Credential

        current = Credential.objects.filter(holder=models.OuterRef("pk")).current_on(day)
        lasting = current.filter(
            Q(valid_until__isnull=True)
            | Q(valid_until__gt=day + timedelta(days=CREDENTIAL_EXPIRY_WARNING_DAYS))
        )
        return self.annotate(
            credential_current=models.Exists(current),
            credential_lasting=models.Exists(lasting),
            credential_valid_until=models.Subquery(
                current.order_by(models.F("valid_until").desc(nulls_first=True)).values(
                    "valid_until"
                )[:1]
            ),
        )


class CredentialQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(holder__clinic=clinic)

    def current_on(self, day):
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day), completed_on__lte=day
        )

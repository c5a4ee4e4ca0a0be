from datetime import datetime

from django.db import models


class PatientLinkQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def live(self, now: datetime):
        """Not revoked and not expired (a check link also needs its check still scheduled)."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class DeliveryQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(link__clinic=clinic)

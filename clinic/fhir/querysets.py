from django.db import models


class ApiTokenQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def active(self):
        return self.filter(revoked_at__isnull=True)

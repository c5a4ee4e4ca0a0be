from django.db import models


class UserQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def therapists(self):
        from .models import Role

        return self.filter(role=Role.THERAPIST, is_active=True)

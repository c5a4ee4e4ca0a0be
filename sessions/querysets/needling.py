from django.db import models


class NeedlingSessionQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def signed(self):
        from ..models import SessionStatus

        return self.filter(status=SessionStatus.SIGNED)

    def newest_first(self):
        return self.order_by("-started_at", "-pk")

    def with_sites(self):
        """Sites and their muscles in two extra queries, whatever the number of sessions."""
        from ..models import TriggerPointSite

        return self.prefetch_related(
            models.Prefetch(
                "sites", queryset=TriggerPointSite.objects.select_related("muscle").order_by("pk")
            )
        )

    def with_followup(self):
        """Soreness checks (in due order) for a trend per session, in one extra query."""
        from ..models import SorenessCheck

        return self.prefetch_related(
            models.Prefetch("checks", queryset=SorenessCheck.objects.order_by("due_at"))
        )


class TriggerPointSiteQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(session__clinic=clinic)

    def map_counts(self):
        """(muscle name, region, side, number of sites) rows for the body map, counted by the
        database."""
        return (
            self.values_list("muscle__name", "muscle__region", "side")
            .annotate(count=models.Count("pk"))
            .order_by()
        )

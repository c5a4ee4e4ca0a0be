from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .search import fold


class PatientQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def search(self, text: str):
        """Match every word against the name or MRN, so "smi jo" finds Jo Smith and "zoe"
        finds Zoë: names are compared folded (see patients.search)."""
        queryset = self
        for word in text.split():
            queryset = queryset.filter(Q(search_name__contains=fold(word)) | Q(mrn__iexact=word))
        return queryset

    def born_on(self, day: date):
        return self.filter(date_of_birth=day)

    def listed(self, ids):
        """One page of the patient list: `ids` is the page's slice of a patient id queryset.

        The page's ids are found first, from the index alone, so the newest screening is looked
        up for those rows only, not for every row an OFFSET skips.
        """
        return self.filter(pk__in=ids).with_latest_screening()

    def with_latest_screening(self):
        """Annotate the newest screening's outcome and expiry (one query for a whole page)."""
        from .models import Screening

        latest = Screening.objects.filter(patient=models.OuterRef("pk")).order_by("-taken_at")
        return self.annotate(
            latest_outcome=models.Subquery(latest.values("outcome")[:1]),
            latest_valid_until=models.Subquery(latest.values("valid_until")[:1]),
            latest_screening_expired=models.ExpressionWrapper(
                Q(latest_valid_until__lte=timezone.now()), output_field=models.BooleanField()
            ),
        )


class ChecklistVersionQuerySet(models.QuerySet):
    def current(self):
        """The edition new screenings are taken with: the newest one."""
        return self.order_by("-number").first()


class ScreeningQuestionQuerySet(models.QuerySet):
    def active(self):
        """The questions of the current checklist edition, in the order they are asked."""
        from .models import ChecklistVersion

        newest = ChecklistVersion.objects.order_by("-number").values("pk")[:1]
        return self.filter(version=models.Subquery(newest)).order_by("category", "order", "pk")


class ScreeningQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(patient__clinic=clinic)

    def valid_at(self, moment=None):
        moment = moment or timezone.now()
        return self.filter(taken_at__lte=moment, valid_until__gt=moment)

    def newest_first(self):
        return self.order_by("-taken_at", "-pk")

    def with_checklist_currency(self):
        """Annotate `on_older_checklist`: taken with an edition the checklist has moved past."""
        from .models import ChecklistVersion

        newest = ChecklistVersion.objects.order_by("-number").values("number")[:1]
        return self.select_related("checklist_version").annotate(
            on_older_checklist=models.ExpressionWrapper(
                Q(checklist_version__number__lt=models.Subquery(newest)),
                output_field=models.BooleanField(),
            )
        )


class EpisodeQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def open(self):
        return self.filter(closed_on__isnull=True)

    def open_on(self, day: date):
        """Episodes of care open on `day`: opened on or before it and not closed."""
        return self.open().filter(opened_on__lte=day)

    def newest_first(self):
        return self.order_by("-opened_on", "-pk")


class OutcomeAssessmentQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(episode__clinic=clinic)

    def in_order(self):
        return self.order_by("taken_on", "created_at", "pk")

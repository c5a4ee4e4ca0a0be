from datetime import datetime

from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone


class ConsentFormQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def newest_first(self):
        return self.order_by("-version")

    def reconsent_versions_by(self, at):
        """Versions that asked every patient to sign again, published by `at`."""
        return self.filter(requires_reconsent=True, published_at__lte=at)


def _episode_rule(day, session_episode=None) -> Q:
    """The episode part of the rule: a consent lapses when the episode of care it was signed for
    closes. A consent signed before consents were tied to episodes (none) never lapses this way.
    On the discharge day itself it still covers that episode's own sessions, which were recorded
    before the discharge (a closed episode takes no new session); any other session of that day
    needs a consent of its own episode."""
    rule = (
        Q(episode__isnull=True) | Q(episode__closed_on__isnull=True) | Q(episode__closed_on__gt=day)
    )
    if session_episode is not None:
        rule |= Q(episode=session_episode, episode__closed_on=day)
    return rule


class SignedConsentQuerySet(models.QuerySet):
    def for_clinic(self, clinic):
        return self.filter(clinic=clinic)

    def newest_first(self):
        return self.order_by("-signed_at", "-pk")

    def episode_open_at(self, at: datetime):
        """Consents whose episode of care had not closed by `at` (see `_episode_rule`)."""
        return self.filter(_episode_rule(timezone.localdate(at)))

    def current_at(self, at: datetime):
        """Consents in force at `at`: signed by then, not withdrawn by then, not older than a
        form version the clinic published by then with "requires re-consent", and signed for an
        episode of care that had not closed by then."""
        from .models import ConsentForm

        superseding = ConsentForm.objects.filter(
            clinic=OuterRef("clinic"), version__gt=OuterRef("form__version")
        ).reconsent_versions_by(at)
        return (
            self.filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at), signed_at__lte=at)
            .episode_open_at(at)
            .exclude(Exists(superseding))
        )

    def in_force_for_outer(self, *, patient_field: str, at_field: str, episode_field: str):
        """For a subquery: the consents of the outer row's patient in force at the outer row's
        time, for the outer row's episode of care (the same rule as `current_at`)."""
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
            _episode_rule(
                TruncDate(ExpressionWrapper(at, output_field=models.DateTimeField())),
                session_episode=OuterRef(episode_field),
            ),
            patient=OuterRef(patient_field),
            signed_at__lte=at,
        ).exclude(Exists(superseding))

"""Outcome measures: one instrument's responses at one timepoint of an episode of care. The score
is computed by the instrument's scoring service (patients.services.scoring), never typed."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..instruments import INSTRUMENTS, Instrument, Timepoint
from ..querysets import OutcomeAssessmentQuerySet

SCORE_OUT_OF_RANGE = "The score is outside the instrument's range."
ONE_INTAKE_PER_INSTRUMENT = "This episode already has an intake score for this instrument."
ONE_DISCHARGE_PER_INSTRUMENT = "This episode already has a discharge score for this instrument."
RECORDER_MATCHES_METHOD = (
    "A staff entry names the staff member who recorded it; a patient self-report names none."
)


class CollectionMethod(models.TextChoices):
    STAFF = "staff", "Staff entry"
    # Answered by the patient through an outcome-measure link, never chosen by staff.
    SELF_REPORT = "self_report", "Patient self-report"


def _score_in_range() -> Q:
    return reduce(
        or_,
        (
            Q(instrument=code, score__gte=spec.score_min, score__lte=spec.score_max)
            for code, spec in INSTRUMENTS.items()
        ),
    )


class OutcomeAssessment(CheckedModel):
    episode = models.ForeignKey(
        "patients.EpisodeOfCare", on_delete=models.PROTECT, related_name="assessments"
    )
    instrument = models.CharField(max_length=12, choices=Instrument)
    timepoint = models.CharField(max_length=12, choices=Timepoint)
    taken_on = models.DateField()
    # Item responses in item order, None for a blank item.
    responses = models.JSONField(default=list)
    # PSFS: the activities the patient named, in item order.
    item_labels = models.JSONField(default=list, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=2, editable=False)
    method = models.CharField(
        max_length=12, choices=CollectionMethod, default=CollectionMethod.STAFF
    )
    # None for a patient self-report: the audit trail names the link the patient came through.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcome_assessments",
    )
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutcomeAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "created_at", "pk"]
        constraints = [
            form_token_constraint(),
            choice_constraint(
                "instrument", Instrument, rule="instrument_valid", message="Unknown instrument."
            ),
            choice_constraint(
                "timepoint", Timepoint, rule="timepoint_valid", message="Unknown timepoint."
            ),
            choice_constraint(
                "method", CollectionMethod, rule="method_valid", message="Unknown method."
            ),
            models.CheckConstraint(
                condition=Q(method=CollectionMethod.STAFF, recorded_by__isnull=False)
                | Q(method=CollectionMethod.SELF_REPORT, recorded_by__isnull=True),
                name="%(app_label)s_%(class)s_recorder_matches_method",
                violation_error_message=RECORDER_MATCHES_METHOD,
            ),
            models.CheckConstraint(
                condition=_score_in_range(),
                name="%(app_label)s_%(class)s_score_in_range",
                violation_error_message=SCORE_OUT_OF_RANGE,
            ),
            models.UniqueConstraint(
                fields=["episode", "instrument"],
                condition=Q(timepoint=Timepoint.INTAKE),
                name="%(app_label)s_%(class)s_one_intake",
                violation_error_message=ONE_INTAKE_PER_INSTRUMENT,
            ),
            models.UniqueConstraint(
                fields=["episode", "instrument"],
                condition=Q(timepoint=Timepoint.DISCHARGE),
                name="%(app_label)s_%(class)s_one_discharge",
                violation_error_message=ONE_DISCHARGE_PER_INSTRUMENT,
            ),
        ]
        indexes = [
            # Episode page and report card: an episode's scores per instrument in time order.
            models.Index(fields=["episode", "instrument", "taken_on"], name="assessment_episode"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_instrument_display()} {self.get_timepoint_display().lower()}: {self.score}"
        )

    @property
    def spec(self):
        return INSTRUMENTS[self.instrument]

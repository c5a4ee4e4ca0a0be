"""What the patient reports about a strengthening plan: adherence entries and exercise logs."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..querysets.plans import AdherenceEntryQuerySet, ExerciseLogQuerySet
from .dosage import MAX_FREQUENCY_PER_WEEK, MAX_SETS, in_range, optional_in_range
from .plans import PlanItem, StrengtheningPlan

SESSIONS_DONE_RANGE = f"Sessions completed must be between 0 and {MAX_FREQUENCY_PER_WEEK}."
SETS_DONE_RANGE = f"Sets done must be between 0 and {MAX_SETS}."
RPE_RANGE = "Perceived effort (RPE) must be between 0 and 10."
PAIN_RANGE = "Pain during (NPRS) must be between 0 and 10."
EFFORT_AND_PAIN_NEEDED = "For an exercise that was done, record its effort (RPE) and pain."
ONE_ENTRY_PER_DAY = "Adherence for this plan is already recorded on that date."
VISIT_ENTRY_NEEDS_STAFF = "Adherence reported at a visit is recorded by a member of staff."


class EntrySource(models.TextChoices):
    VISIT = "visit", "Reported at a visit"
    # Logged by the patient through their plan link: one log per day, no staff recorder.
    PATIENT_LOG = "patient_log", "Patient's daily log"


class AdherenceEntry(CheckedModel):
    """What the patient reports about the plan's home exercise, at a visit or in a daily log."""

    plan = models.ForeignKey(
        StrengtheningPlan, on_delete=models.PROTECT, related_name="adherence_entries"
    )
    source = models.CharField(max_length=12, choices=EntrySource, default=EntrySource.VISIT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adherence_entries",
    )
    date = models.DateField()
    sessions_completed = models.PositiveSmallIntegerField(
        "Exercise sessions completed that week",
        validators=[
            MinValueValidator(0, message=SESSIONS_DONE_RANGE),
            MaxValueValidator(MAX_FREQUENCY_PER_WEEK, message=SESSIONS_DONE_RANGE),
        ],
    )
    notes = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdherenceEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "adherence entries"
        constraints = [
            form_token_constraint(),
            models.CheckConstraint(
                condition=in_range("sessions_completed", 0, MAX_FREQUENCY_PER_WEEK),
                name="%(app_label)s_%(class)s_sessions_completed_range",
                violation_error_message=SESSIONS_DONE_RANGE,
            ),
            models.UniqueConstraint(
                fields=["plan", "date", "source"],
                name="%(app_label)s_%(class)s_one_per_day",
                violation_error_message=ONE_ENTRY_PER_DAY,
            ),
            choice_constraint(
                "source", EntrySource, rule="source_valid", message="Unknown adherence source."
            ),
            models.CheckConstraint(
                condition=Q(source=EntrySource.VISIT, recorded_by__isnull=False)
                | Q(source=EntrySource.PATIENT_LOG, recorded_by__isnull=True),
                name="%(app_label)s_%(class)s_recorder_matches_source",
                violation_error_message=VISIT_ENTRY_NEEDS_STAFF,
            ),
        ]
        indexes = [
            # Plan page: the plan's adherence, newest first and by week.
            models.Index(fields=["plan", "-date"], name="adherence_plan_newest"),
        ]

    def __str__(self) -> str:
        return f"Adherence to {self.plan} on {shown(self.date)}"


class ExerciseLog(CheckedModel):
    """One exercise of the plan as the patient reports it in an adherence entry."""

    entry = models.ForeignKey(AdherenceEntry, on_delete=models.PROTECT, related_name="logs")
    item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="logs")
    sets_done = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(0, message=SETS_DONE_RANGE),
            MaxValueValidator(MAX_SETS, message=SETS_DONE_RANGE),
        ]
    )
    rpe = models.PositiveSmallIntegerField(
        "Perceived effort (RPE 0-10)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=RPE_RANGE), MaxValueValidator(10, RPE_RANGE)],
    )
    pain_during = models.PositiveSmallIntegerField(
        "Pain during (NPRS 0-10)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=PAIN_RANGE), MaxValueValidator(10, PAIN_RANGE)],
    )

    objects = ExerciseLogQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "item"]
        constraints = [
            models.CheckConstraint(
                condition=in_range("sets_done", 0, MAX_SETS),
                name="%(app_label)s_%(class)s_sets_done_range",
                violation_error_message=SETS_DONE_RANGE,
            ),
            models.CheckConstraint(
                condition=optional_in_range("rpe", 0, 10),
                name="%(app_label)s_%(class)s_rpe_range",
                violation_error_message=RPE_RANGE,
            ),
            models.CheckConstraint(
                condition=optional_in_range("pain_during", 0, 10),
                name="%(app_label)s_%(class)s_pain_during_range",
                violation_error_message=PAIN_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(sets_done=0) | Q(rpe__isnull=False, pain_during__isnull=False),
                name="%(app_label)s_%(class)s_effort_and_pain_recorded",
                violation_error_message=EFFORT_AND_PAIN_NEEDED,
            ),
            models.UniqueConstraint(
                fields=["entry", "item"],
                name="%(app_label)s_%(class)s_one_per_item",
                violation_error_message="Each exercise is logged once per entry.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.exercise}: {self.sets_done} sets, RPE {self.rpe}"

"""Strengthening plans paired with needling: the exercise catalogue, plans and their items."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..querysets.plans import (
    ExerciseQuerySet,
    PlanItemQuerySet,
    StrengtheningPlanQuerySet,
)
from .catalogue import CatalogueEntry
from .dosage import (
    ADD_HOLD_NEEDS_HOLD,
    ADD_LOAD_NEEDS_KG,
    ADD_REPS_NEEDS_REPS,
    BAND_LEVELS,
    DEFAULT_EASY_LOGS,
    EASY_LOGS_RANGE,
    EASY_RPE_MAX,
    FREQUENCY_RANGE,
    HOLD_RANGE,
    LOAD_NEGATIVE,
    MAX_EASY_LOGS,
    MAX_FREQUENCY_PER_WEEK,
    MAX_HOLD_SECONDS,
    MAX_PROGRESSION_STEP,
    MAX_REPS,
    MAX_SETS,
    NEXT_BAND_NEEDS_BAND,
    REPS_RANGE,
    SETS_RANGE,
    STEP_RANGE,
    LoadType,
    ProgressionRule,
    dosage_constraints,
    in_range,
)

STOPPED_NEEDS_REASON = "Say why the plan was stopped."
ONE_ACTIVE_PLAN = "The patient already has an active strengthening plan: complete or stop it first."
REVIEW_BEFORE_START = "The review date cannot be before the start date."
EXERCISE_TWICE = "Each exercise appears once in a plan."
# A plan form takes at most this many exercise rows.
MAX_PLAN_ITEMS = 30
TOO_MANY_ITEMS = f"A plan holds at most {MAX_PLAN_ITEMS} exercises."


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class Exercise(CatalogueEntry):
    """A strengthening exercise; catalogue data, edited in admin, never deleted."""

    # The handout of a past plan shows these.
    shown_in_records = ("name", "instructions", "equipment")

    name = models.CharField(max_length=100, unique=True)
    instructions = models.TextField(help_text="Short, plain-language steps for the handout.")
    equipment = models.CharField(max_length=100, blank=True)
    muscles = models.ManyToManyField(
        "treatment_sessions.Muscle",
        related_name="exercises",
        blank=True,
        help_text="Muscles of the needling catalogue that the exercise loads.",
    )
    default_sets = models.PositiveSmallIntegerField(default=3)
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True)
    default_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    default_load_type = models.CharField(
        max_length=20, choices=LoadType, default=LoadType.BODYWEIGHT
    )
    default_load_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(default=True)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = dosage_constraints("default_")

    def __str__(self) -> str:
        return self.name

    def is_in_use(self) -> bool:
        return self.plan_items.exists()


class StrengtheningPlan(CheckedModel):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="strengthening_plans"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="strengthening_plans"
    )
    # The episode of its paired sessions; empty only for a plan without paired sessions.
    episode = models.ForeignKey(
        "patients.EpisodeOfCare",
        on_delete=models.PROTECT,
        related_name="strengthening_plans",
        null=True,
        blank=True,
    )
    sessions = models.ManyToManyField(
        "treatment_sessions.NeedlingSession",
        through="PlanPairing",
        related_name="strengthening_plans",
        verbose_name="paired needling sessions",
    )
    goal = models.CharField(
        max_length=300, help_text="What the patient wants to be able to do, in their words."
    )
    start_date = models.DateField()
    review_date = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus, default=PlanStatus.ACTIVE)
    stopped_reason = models.CharField(max_length=300, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The create form's one-time token: a second submit finds this row (clinic.lib.form_tokens).
    form_token = form_token_field()
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrengtheningPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            form_token_constraint(),
            choice_constraint(
                "status",
                PlanStatus,
                rule="status_valid",
                message="Unknown plan status.",
            ),
            models.CheckConstraint(
                condition=~Q(status=PlanStatus.STOPPED) | ~Q(stopped_reason=""),
                name="%(app_label)s_%(class)s_stopped_reason",
                violation_error_message=STOPPED_NEEDS_REASON,
            ),
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_review_after_start",
                violation_error_message=REVIEW_BEFORE_START,
            ),
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status=PlanStatus.ACTIVE),
                name="%(app_label)s_%(class)s_one_active_per_patient",
                violation_error_message=ONE_ACTIVE_PLAN,
            ),
        ]

    def __str__(self) -> str:
        return f"Strengthening plan for {self.patient} from {shown(self.start_date)}"

    def get_absolute_url(self) -> str:
        return reverse("treatment_sessions:plan_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE


class PlanPairing(CheckedModel):
    """A needling session a plan is paired with; both sides are clinical rows, so PROTECT."""

    plan = models.ForeignKey(StrengtheningPlan, on_delete=models.PROTECT, related_name="pairings")
    session = models.ForeignKey(
        "treatment_sessions.NeedlingSession", on_delete=models.PROTECT, related_name="pairings"
    )

    class Meta:
        ordering = ["plan", "session"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "session"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="The session is already paired with this plan.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} paired with {self.session}"


class PlanItem(CheckedModel):
    plan = models.ForeignKey(StrengtheningPlan, on_delete=models.PROTECT, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="plan_items")
    sets = models.PositiveSmallIntegerField(
        default=3,
        validators=[
            MinValueValidator(1, message=SETS_RANGE),
            MaxValueValidator(MAX_SETS, message=SETS_RANGE),
        ],
    )
    reps = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=REPS_RANGE),
            MaxValueValidator(MAX_REPS, message=REPS_RANGE),
        ],
    )
    hold_seconds = models.PositiveSmallIntegerField(
        "Hold (seconds)",
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=HOLD_RANGE),
            MaxValueValidator(MAX_HOLD_SECONDS, message=HOLD_RANGE),
        ],
    )
    load_type = models.CharField(max_length=20, choices=LoadType, default=LoadType.BODYWEIGHT)
    load_kg = models.DecimalField(
        "Load (kg)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=LOAD_NEGATIVE)],
    )
    frequency_per_week = models.PositiveSmallIntegerField(
        "Times a week",
        default=3,
        validators=[
            MinValueValidator(1, message=FREQUENCY_RANGE),
            MaxValueValidator(MAX_FREQUENCY_PER_WEEK, message=FREQUENCY_RANGE),
        ],
    )
    progression_rule = models.CharField(
        max_length=20, choices=ProgressionRule, default=ProgressionRule.ADD_REPS
    )
    progression_step = models.PositiveSmallIntegerField(
        default=2,
        help_text="Percent of load, reps, seconds or band levels to add.",
        validators=[
            MinValueValidator(1, message=STEP_RANGE),
            MaxValueValidator(MAX_PROGRESSION_STEP, message=STEP_RANGE),
        ],
    )
    easy_logs_needed = models.PositiveSmallIntegerField(
        "Consecutive easy logs before progressing",
        default=DEFAULT_EASY_LOGS,
        help_text=f"A log is easy when the patient rates the effort RPE {EASY_RPE_MAX} or less.",
        validators=[
            MinValueValidator(1, message=EASY_LOGS_RANGE),
            MaxValueValidator(MAX_EASY_LOGS, message=EASY_LOGS_RANGE),
        ],
    )
    notes = models.CharField(max_length=300, blank=True)
    # Logs recorded after this moment count toward the next progression.
    dosage_set_at = models.DateTimeField(auto_now_add=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            *dosage_constraints(),
            models.CheckConstraint(
                condition=in_range("frequency_per_week", 1, MAX_FREQUENCY_PER_WEEK),
                name="%(app_label)s_%(class)s_frequency_range",
                violation_error_message=FREQUENCY_RANGE,
            ),
            choice_constraint(
                "progression_rule",
                ProgressionRule,
                rule="progression_rule_valid",
                message="Unknown progression rule.",
            ),
            models.CheckConstraint(
                condition=in_range("progression_step", 1, MAX_PROGRESSION_STEP),
                name="%(app_label)s_%(class)s_progression_step_range",
                violation_error_message=STEP_RANGE,
            ),
            models.CheckConstraint(
                condition=in_range("easy_logs_needed", 1, MAX_EASY_LOGS),
                name="%(app_label)s_%(class)s_easy_logs_range",
                violation_error_message=EASY_LOGS_RANGE,
            ),
            models.CheckConstraint(
                condition=~Q(progression_rule=ProgressionRule.ADD_LOAD_PERCENT)
                | Q(load_type=LoadType.KG),
                name="%(app_label)s_%(class)s_add_load_needs_kg",
                violation_error_message=ADD_LOAD_NEEDS_KG,
            ),
            models.CheckConstraint(
                condition=~Q(progression_rule=ProgressionRule.ADD_REPS) | Q(reps__isnull=False),
                name="%(app_label)s_%(class)s_add_reps_needs_reps",
                violation_error_message=ADD_REPS_NEEDS_REPS,
            ),
            models.CheckConstraint(
                condition=~Q(progression_rule=ProgressionRule.ADD_HOLD_SECONDS)
                | Q(hold_seconds__isnull=False),
                name="%(app_label)s_%(class)s_add_hold_needs_hold",
                violation_error_message=ADD_HOLD_NEEDS_HOLD,
            ),
            models.CheckConstraint(
                condition=~Q(progression_rule=ProgressionRule.NEXT_BAND)
                | Q(load_type__in=BAND_LEVELS),
                name="%(app_label)s_%(class)s_next_band_needs_band",
                violation_error_message=NEXT_BAND_NEEDS_BAND,
            ),
            models.UniqueConstraint(
                fields=["plan", "exercise"],
                name="%(app_label)s_%(class)s_exercise_once",
                violation_error_message=EXERCISE_TWICE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.dosage}"

    @property
    def dosage(self) -> str:
        amount = f"{self.reps} reps" if self.reps is not None else f"{self.hold_seconds} s hold"
        return f"{self.sets} × {amount}, {self.load}, {self.frequency_per_week}× a week"

    @property
    def load(self) -> str:
        if self.load_type == LoadType.KG:
            return f"{self.load_kg.normalize():f} kg"
        return LoadType(self.load_type).label.lower()

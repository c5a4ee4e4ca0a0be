from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from clinic.formats import shown
from clinic.lib.constraints import CheckedModel, choice_constraint
from clinic.lib.form_tokens import form_token_constraint, form_token_field

from ..querysets import (
    ChecklistVersionQuerySet,
    PatientQuerySet,
    ScreeningQuerySet,
    ScreeningQuestionQuerySet,
)
from ..search import NameSearchField

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
MRN_IN_USE = "Another patient in this clinic already has this MRN."
# The name the unique index below gets, which the database reports when two writers race.
MRN_UNIQUE_CONSTRAINT = "patients_patient_mrn_unique_per_clinic"


class BodyRegion(models.TextChoices):
    HEAD_NECK = "head_neck", "Head/neck"
    SHOULDER = "shoulder", "Shoulder"
    THORACIC = "thoracic", "Thoracic"
    CHEST = "chest", "Chest"
    UPPER_ARM = "upper_arm", "Upper arm"
    FOREARM_HAND = "forearm_hand", "Forearm/hand"
    LUMBAR = "lumbar", "Lumbar"
    PELVIS_HIP = "pelvis_hip", "Pelvis/hip"
    THIGH = "thigh", "Thigh"
    LEG = "leg", "Leg"
    FOOT = "foot", "Foot"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    BILATERAL = "bilateral", "Bilateral"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other / not stated"


class Patient(CheckedModel):
    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=32, help_text="Medical record number in your clinic.")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # The name as search compares it (case and accents folded); kept by the field itself.
    search_name = NameSearchField()
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Follow-up and plan links go out only with consent, by the channels not opted out of.
    contact_consent = models.BooleanField(
        "Agrees to be sent follow-up and exercise links", default=False
    )
    email_opt_out = models.BooleanField("No links by email", default=False)
    sms_opt_out = models.BooleanField("No links by text message", default=False)
    takes_anticoagulants = models.BooleanField(
        "Takes anticoagulant or antiplatelet medication", default=False
    )
    relevant_history = models.TextField(
        blank=True, help_text="Conditions, surgery, medication relevant to needling."
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # The registration form's one-time token: a second submit finds this row.
    form_token = form_token_field()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by every service write to the patient's records (`record_version_bump`), in the
    # same transaction: the cached fragments of their pages are keyed on it.
    record_version = models.PositiveIntegerField(default=0, editable=False)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            form_token_constraint(),
            # Letter case does not tell two MRNs apart (`rp00001` is `RP00001`).
            models.UniqueConstraint(
                "clinic",
                Upper("mrn"),
                name="%(app_label)s_%(class)s_mrn_unique_per_clinic",
                violation_error_message=MRN_IN_USE,
            ),
            choice_constraint("sex", Sex, rule="sex_valid", message="Unknown sex."),
            models.CheckConstraint(
                condition=~Q(mrn=""),
                name="%(app_label)s_%(class)s_mrn_present",
                violation_error_message="A patient needs an MRN.",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=EARLIEST_BIRTH_DATE),
                name="%(app_label)s_%(class)s_dob_plausible",
                violation_error_message="Date of birth is before 1900.",
            ),
        ]
        indexes = [
            # Patient list: a clinic's patients in name order.
            models.Index(fields=["clinic", "last_name", "first_name"], name="patient_clinic_name"),
            # Patient search by date of birth.
            models.Index(fields=["clinic", "date_of_birth"], name="patient_clinic_dob"),
            # Patient list and search: a page of active patients' ids in name order, and their
            # count, read from the index alone (the MRN is included for the search).
            models.Index(
                fields=["clinic", "last_name", "first_name", "id"],
                include=["mrn"],
                condition=Q(archived_at__isnull=True),
                name="patient_active_by_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name} ({self.mrn})"

    def clean(self) -> None:
        self.mrn = self.mrn.strip()

    def save(self, *args, **kwargs) -> None:
        # Only `record_version_bump` moves the version: saving a copy read before a write
        # must not set it back (a cached fragment would then be taken for current).
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "record_version"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("patients:detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class QuestionCategory(models.TextChoices):
    # Order matters: the screening form lists red flags first.
    RED_FLAG = "red_flag", "Red flag (refer to a physician)"
    ABSOLUTE = "absolute", "Absolute contraindication"
    REGIONAL = "regional", "Regional contraindication (no needling in the regions named)"
    RELATIVE = "relative", "Relative contraindication / precaution"


class ChecklistVersion(models.Model):
    """One edition of the contraindication checklist. Each edition is a data migration; a
    screening keeps the edition it was taken with, so its questions read as they were asked."""

    number = models.PositiveSmallIntegerField(unique=True)
    introduced_on = models.DateField()
    summary = models.TextField(blank=True, help_text="What changed from the previous edition.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Checklist version {self.number} ({shown(self.introduced_on)})"


class ScreeningQuestion(CheckedModel):
    """One item of one checklist edition, as asked: never edited, never deleted."""

    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="questions"
    )
    # Stable across editions: reports count a finding by its code.
    code = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    category = models.CharField(max_length=10, choices=QuestionCategory)
    needs_avoid_region = models.BooleanField(
        default=False, help_text="A 'yes' must name the body region(s) to avoid."
    )
    superficial_only = models.BooleanField(
        default=False,
        help_text="A 'yes' limits needling to the clinic's superficial depth, recorded per site.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = ScreeningQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "category", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="%(app_label)s_%(class)s_code_once_per_version",
                violation_error_message="A checklist version asks each question once.",
            ),
            choice_constraint(
                "category",
                QuestionCategory,
                rule="category_valid",
                message="Unknown question category.",
            ),
            models.CheckConstraint(
                condition=~Q(category=QuestionCategory.REGIONAL) | Q(needs_avoid_region=True),
                name="%(app_label)s_%(class)s_regional_names_regions",
                violation_error_message="A regional contraindication names the regions to avoid.",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ScreeningOutcome(models.TextChoices):
    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_PRECAUTIONS = "precautions", "Cleared with precautions"
    NOT_CLEARED = "not_cleared", "Not cleared"
    REFER = "refer", "Refer to physician"


class Screening(CheckedModel):
    """A contraindication screening. Immutable: a change in health means a new screening."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    checklist_version = models.ForeignKey(
        ChecklistVersion, on_delete=models.PROTECT, related_name="screenings"
    )
    taken_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    outcome = models.CharField(max_length=12, choices=ScreeningOutcome)
    justification = models.TextField(
        blank=True, help_text="Why needling is still appropriate despite the precautions."
    )
    notes = models.TextField(blank=True)
    form_token = form_token_field()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]
        constraints = [
            form_token_constraint(),
            choice_constraint(
                "outcome",
                ScreeningOutcome,
                rule="outcome_valid",
                message="Unknown screening outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=ScreeningOutcome.CLEARED_WITH_PRECAUTIONS)
                | ~Q(justification=""),
                name="%(app_label)s_%(class)s_precautions_justified",
                violation_error_message="Clearing with precautions needs a written justification.",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("taken_at")),
                name="%(app_label)s_%(class)s_valid_after_taken",
                violation_error_message="A screening must be valid after it was taken.",
            ),
        ]
        indexes = [
            # Patient page and the safety gate: a patient's newest screening.
            models.Index(fields=["patient", "-taken_at"], name="screening_patient_newest"),
            # Screening report: the screenings taken in the period.
            models.Index(fields=["taken_at"], name="screening_taken"),
        ]

    def __str__(self) -> str:
        taken = shown(timezone.localdate(self.taken_at))
        return f"Screening of {self.patient} on {taken}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ScreeningImmutableError
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("patients:screening_detail", args=[self.pk])

    def is_valid_at(self, moment) -> bool:
        return self.taken_at <= moment < self.valid_until

    @property
    def is_expired(self) -> bool:
        return self.valid_until <= timezone.now()

    @property
    def allows_needling(self) -> bool:
        return self.outcome in (
            ScreeningOutcome.CLEARED,
            ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
        )


class ScreeningImmutableError(Exception):
    def __init__(self) -> None:
        super().__init__("A saved screening cannot be changed; record a new screening instead.")


class ScreeningAnswer(CheckedModel):
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(ScreeningQuestion, on_delete=models.PROTECT, related_name="+")
    # The question's class when asked, so a later catalogue edit cannot change a past outcome.
    category = models.CharField(max_length=10, choices=QuestionCategory)
    present = models.BooleanField()

    class Meta:
        ordering = ["screening", "question__category", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "question"],
                name="%(app_label)s_%(class)s_one_per_question",
                violation_error_message="Each question is answered once per screening.",
            ),
            choice_constraint(
                "category",
                QuestionCategory,
                rule="category_valid",
                message="Unknown question category.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'yes' if self.present else 'no'}"


class AvoidRegion(CheckedModel):
    """A body region that must not be needled while the screening is in force."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="avoid_regions")
    region = models.CharField(max_length=20, choices=BodyRegion)
    side = models.CharField(max_length=10, choices=Side)

    class Meta:
        ordering = ["region", "side"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "region", "side"],
                name="%(app_label)s_%(class)s_unique",
                violation_error_message="This region is already listed.",
            ),
            choice_constraint(
                "region",
                BodyRegion,
                rule="region_valid",
                message="Unknown body region.",
            ),
            choice_constraint("side", Side, rule="side_valid", message="Unknown side."),
        ]

    def __str__(self) -> str:
        return f"{self.get_region_display()} ({self.get_side_display().lower()})"

    def covers(self, region: str, side: str) -> bool:
        if region != self.region:
            return False
        return Side.BILATERAL in (self.side, side) or self.side == side

from django.contrib import admin

from clinic.accounts.admin import ClinicScopedAdmin, NoDeleteAdmin
from patients.admin import ReadOnlyAdmin

from .models import (
    AdverseEvent,
    Exercise,
    Muscle,
    NeedlingSession,
    PlanItem,
    SessionAddendum,
    SorenessCheck,
    StrengtheningPlan,
    TriggerPointSite,
)
from .services.catalogue import catalogue_version_bump


class CatalogueAdmin(NoDeleteAdmin):
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        catalogue_version_bump()

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # What past records show of a used entry is never edited (sessions.models.catalogue).
        fixed = list(obj.shown_in_records) if obj and obj.is_in_use() else []
        return [*super().get_readonly_fields(request, obj), *fixed]


@admin.register(Muscle)
class MuscleAdmin(CatalogueAdmin):
    list_display = ["name", "region", "lung_risk", "active"]
    list_filter = ["region", "lung_risk", "active"]
    search_fields = ["name"]


class TriggerPointSiteInline(admin.TabularInline):
    model = TriggerPointSite
    fields = [
        "muscle",
        "side",
        "technique",
        "insertions",
        "twitch_response",
        "depth_mm",
        "lung_risk",
        "lung_risk_acknowledged",
    ]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SessionAddendumInline(TriggerPointSiteInline):
    model = SessionAddendum
    fields = ["created_at", "author", "reason", "text"]
    readonly_fields = fields


@admin.register(NeedlingSession)
class NeedlingSessionAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Sessions are written only through sessions.services.needling, behind the safety gate."""

    clinic_lookup = "clinic"
    list_display = ["patient", "started_at", "therapist", "status", "gate_outcome"]
    list_filter = ["status", "gate_outcome"]
    list_select_related = ["patient", "therapist"]
    inlines = [TriggerPointSiteInline, SessionAddendumInline]


@admin.register(Exercise)
class ExerciseAdmin(CatalogueAdmin):
    list_display = ["name", "equipment", "default_sets", "default_load_type", "active"]
    list_filter = ["active", "default_load_type"]
    search_fields = ["name"]
    filter_horizontal = ["muscles"]


class PlanItemInline(TriggerPointSiteInline):
    model = PlanItem
    fields = [
        "exercise",
        "sets",
        "reps",
        "hold_seconds",
        "load_type",
        "load_kg",
        "frequency_per_week",
        "progression_rule",
        "progression_step",
        "easy_logs_needed",
    ]
    readonly_fields = fields


@admin.register(StrengtheningPlan)
class StrengtheningPlanAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Plans are written only through sessions.services.plans."""

    clinic_lookup = "patient__clinic"
    list_display = ["patient", "start_date", "review_date", "therapist", "status"]
    list_filter = ["status"]
    list_select_related = ["patient", "therapist"]
    inlines = [PlanItemInline]


@admin.register(SorenessCheck)
class SorenessCheckAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    """Follow-ups are recorded only through sessions.services.followup."""

    clinic_lookup = "clinic"
    list_display = ["session", "hours_after", "due_at", "status", "timeliness", "soreness"]
    list_filter = ["status", "timeliness"]
    list_select_related = ["session__patient"]


@admin.register(AdverseEvent)
class AdverseEventAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    clinic_lookup = "session__patient__clinic"
    list_display = ["session", "event_type", "severity", "status", "onset_at", "referral_made"]
    list_filter = ["status", "severity", "event_type"]
    list_select_related = ["session__patient"]

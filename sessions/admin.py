from django.contrib import admin

from clinic.accounts.admin import ClinicScopedAdmin, NoDeleteAdmin
from patients.admin import ReadOnlyAdmin

from .models import Muscle, NeedlingSession, SessionAddendum, TriggerPointSite


@admin.register(Muscle)
class MuscleAdmin(NoDeleteAdmin):
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
    """Sessions are written only through sessions.services, behind the safety gate."""

    clinic_lookup = "patient__clinic"
    list_display = ["patient", "started_at", "therapist", "status", "gate_outcome"]
    list_filter = ["status", "gate_outcome"]
    list_select_related = ["patient", "therapist"]
    inlines = [TriggerPointSiteInline, SessionAddendumInline]

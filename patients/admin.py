from django.contrib import admin

from clinic.accounts.admin import ClinicScopedAdmin, NoDeleteAdmin

from .models import (
    AvoidRegion,
    ChecklistVersion,
    Patient,
    Screening,
    ScreeningAnswer,
    ScreeningQuestion,
)


class ReadOnlyAdmin(NoDeleteAdmin):
    """Records written only through the services (so every rule holds); admin can look."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Patient)
class PatientAdmin(ClinicScopedAdmin, NoDeleteAdmin):
    list_display = ["mrn", "last_name", "first_name", "date_of_birth", "clinic", "archived_at"]
    list_filter = ["clinic", "sex"]
    list_select_related = ["clinic"]
    search_fields = ["mrn", "last_name", "first_name"]
    readonly_fields = ["archived_at", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # A patient never moves clinic: their records are scoped through it.
        return [*self.readonly_fields, "clinic"] if obj else self.readonly_fields


class ChecklistQuestionInline(admin.TabularInline):
    model = ScreeningQuestion
    fields = ["order", "code", "text", "category", "needs_avoid_region", "superficial_only"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


# The checklist is read-only here: saved screenings point at the questions they asked, so a
# change is a new checklist version, written as a data migration.
@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(ReadOnlyAdmin):
    list_display = ["number", "introduced_on", "summary"]
    inlines = [ChecklistQuestionInline]


@admin.register(ScreeningQuestion)
class ScreeningQuestionAdmin(ReadOnlyAdmin):
    list_display = ["text", "code", "category", "needs_avoid_region", "superficial_only", "version"]
    list_filter = ["version", "category"]
    list_select_related = ["version"]
    search_fields = ["text", "code"]


class ScreeningAnswerInline(admin.TabularInline):
    model = ScreeningAnswer
    fields = ["question", "category", "present"]
    readonly_fields = fields
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AvoidRegionInline(ScreeningAnswerInline):
    model = AvoidRegion
    fields = ["region", "side"]
    readonly_fields = fields


@admin.register(Screening)
class ScreeningAdmin(ClinicScopedAdmin, ReadOnlyAdmin):
    clinic_lookup = "patient__clinic"
    list_display = [
        "patient",
        "taken_at",
        "outcome",
        "valid_until",
        "therapist",
        "checklist_version",
    ]
    list_filter = ["outcome", "checklist_version"]
    list_select_related = ["patient", "therapist"]
    inlines = [ScreeningAnswerInline, AvoidRegionInline]

from django.contrib import admin

from clinic.accounts.admin import ClinicScopedAdmin, NoDeleteAdmin

from .models import AvoidRegion, Patient, Screening, ScreeningAnswer, ScreeningQuestion


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


@admin.register(ScreeningQuestion)
class ScreeningQuestionAdmin(NoDeleteAdmin):
    list_display = ["text", "category", "needs_avoid_region", "order", "active"]
    list_filter = ["category", "active"]
    list_editable = ["order", "active"]
    search_fields = ["text", "code"]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # The safety gate and past outcomes rely on a question's code and class: change them
        # with a new question (data migration), never by editing an asked one.
        return ["code", "category"] if obj else []


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
    list_display = ["patient", "taken_at", "outcome", "valid_until", "therapist"]
    list_filter = ["outcome"]
    list_select_related = ["patient", "therapist"]
    inlines = [ScreeningAnswerInline, AvoidRegionInline]

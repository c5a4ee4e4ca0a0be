from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Clinic, User


class ClinicScopedAdmin(admin.ModelAdmin):
    """Staff who are not platform superusers only ever see their own clinic's rows."""

    clinic_lookup = "clinic"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.clinic_lookup: request.user.clinic_id})


class NoDeleteAdmin(admin.ModelAdmin):
    """Clinical records are archived, never deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Clinic)
class ClinicAdmin(NoDeleteAdmin):
    list_display = [
        "name",
        "time_zone",
        "screening_validity_days",
        "superficial_depth_limit_mm",
        "mcid_rule",
    ]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(ClinicScopedAdmin, NoDeleteAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "clinic", "role", "is_active"]
    list_filter = ["clinic", "role", "is_active"]
    list_select_related = ["clinic"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Clinic", {"fields": ["clinic", "role", "must_change_password"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ["clinic", "role"]}),
    )

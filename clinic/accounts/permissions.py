"""What each staff role may do: the one place where access rules live.

Every app view is wrapped in `role_required(Permission.X)`. A user without a clinic (a platform
superuser) or whose role lacks the permission gets 403; objects of another clinic are 404
because views only look them up through `for_clinic(request.user.clinic)`.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models

from .models import Role


class Permission(models.TextChoices):
    VIEW_PATIENTS = "view_patients", "View patients and their records"
    EDIT_PATIENTS = "edit_patients", "Register and edit patients"
    RECORD_CLINICAL = "record_clinical", "Record screenings and treatment"
    MANAGE_STAFF = "manage_staff", "Manage the clinic's staff"
    VIEW_REPORTS = "view_reports", "View clinic reports"
    VIEW_AUDIT = "view_audit", "View the audit trail"
    MANAGE_CONSENT_FORM = "manage_consent_form", "Publish the clinic's consent form"


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.THERAPIST: frozenset(
        {Permission.VIEW_PATIENTS, Permission.EDIT_PATIENTS, Permission.RECORD_CLINICAL}
    ),
    Role.CLINIC_ADMIN: frozenset(
        {
            Permission.VIEW_PATIENTS,
            Permission.EDIT_PATIENTS,
            Permission.MANAGE_STAFF,
            Permission.VIEW_REPORTS,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_CONSENT_FORM,
        }
    ),
}


def has_permission(user, permission: Permission) -> bool:
    if not user.is_authenticated or not user.is_active or user.clinic_id is None:
        return False
    return permission in ROLE_PERMISSIONS.get(user.role, frozenset())


def role_required(permission: Permission) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_permission(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the access-matrix test to know which roles may open each URL.
        wrapped.required_permission = permission
        return wrapped

    return decorator

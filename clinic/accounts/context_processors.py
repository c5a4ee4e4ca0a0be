from .permissions import ROLE_PERMISSIONS


def staff(request) -> dict:
    """Expose the signed-in staff member's permissions to the navigation."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.clinic_id is None:
        return {"perms_for_role": frozenset()}
    return {"perms_for_role": frozenset(p.value for p in ROLE_PERMISSIONS.get(user.role, ()))}

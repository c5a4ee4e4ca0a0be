from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinic.accounts.permissions import Permission, has_permission

from .querysets.followup import worklist_counts


def worklist(request) -> dict:
    """Counts for the navigation bar, queried only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not has_permission(user, Permission.RECORD_CLINICAL):
        return {}
    clinic = user.clinic
    return {"worklist_counts": SimpleLazyObject(lambda: worklist_counts(clinic, timezone.now()))}

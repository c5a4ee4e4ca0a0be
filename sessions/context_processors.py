from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from clinic.accounts.permissions import Permission, has_permission

from .models import AdverseEvent, SorenessCheck


def worklist(request) -> dict:
    """Counts for the navigation bar, queried only when a page shows them."""
    user = getattr(request, "user", None)
    if user is None or not has_permission(user, Permission.RECORD_CLINICAL):
        return {}
    clinic = user.clinic
    return {
        "followups_due_count": SimpleLazyObject(
            lambda: (
                SorenessCheck.objects.for_clinic(clinic).due_by_end_of_day(timezone.now()).count()
            )
        ),
        "escalations_count": SimpleLazyObject(
            lambda: AdverseEvent.objects.for_clinic(clinic).drafts().count()
        ),
    }

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, role_required
from sessions.models import AdverseEvent, SorenessCheck

MAJOR_EVENTS_SHOWN_FOR = timedelta(days=365)


@require_GET
@role_required(Permission.VIEW_REPORTS)
def dashboard(request):
    """The clinic admin's home: what needs attention now."""
    clinic = request.user.clinic
    now = timezone.now()
    major_events = (
        AdverseEvent.objects.for_clinic(clinic)
        .major()
        .filter(onset_at__gte=now - MAJOR_EVENTS_SHOWN_FOR)
        .select_related("session__patient", "session__therapist")
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "major_events": major_events,
            "open_escalations": AdverseEvent.objects.for_clinic(clinic).drafts().count(),
            "overdue_followups": SorenessCheck.objects.for_clinic(clinic).overdue(now).count(),
        },
    )

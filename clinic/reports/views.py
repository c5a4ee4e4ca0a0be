from datetime import timedelta
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, role_required
from sessions.models import AdverseEvent, SorenessCheck

from . import services
from .export import csv_response
from .forms import ReportFilterForm
from .tables import REPORTS, ROWS_SHOWN, Period

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


def _report(request, slug: str):
    """The report page for the period asked; `?export=<table>` downloads that table as CSV."""
    form = ReportFilterForm(request.GET, clinic=request.user.clinic)
    if not form.is_valid():
        return render(request, "reports/report.html", {"form": form, "slug": slug})
    export = request.GET.get("export")
    period = Period(
        clinic=request.user.clinic,
        **form.cleaned_data,
        row_limit=None if export is not None else ROWS_SHOWN,
    )
    report = REPORTS[slug](period)
    if export is not None:
        table = report.table(export)
        if table is None:
            raise Http404("No such table in this report.")
        services.report_export_log(period=period, report=slug, table=table.key, actor=request.user)
        return csv_response(
            filename=f"{slug}-{table.key}-{period.start}-{period.end}.csv",
            columns=table.columns,
            rows=table.rows,
        )
    query = {"start": period.start, "end": period.end}
    if period.therapist:
        query["therapist"] = period.therapist.pk
    return render(
        request,
        "reports/report.html",
        {"form": form, "slug": slug, "report": report, "period": period, "query": urlencode(query)},
    )


@require_GET
@role_required(Permission.VIEW_REPORTS)
def screening(request):
    return _report(request, "screening")


@require_GET
@role_required(Permission.VIEW_REPORTS)
def safety(request):
    return _report(request, "safety")


@require_GET
@role_required(Permission.VIEW_REPORTS)
def followup(request):
    return _report(request, "followup")


@require_GET
@role_required(Permission.VIEW_REPORTS)
def outcomes(request):
    return _report(request, "outcomes")

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access

from . import services
from .export import csv_response
from .forms import ReportFilterForm
from .selectors import dashboard as selectors
from .selectors.base import ReportFilter
from .tables import REPORTS
from .tables.base import ROWS_SHOWN


@require_GET
@role_required(Permission.VIEW_REPORTS)
def dashboard(request):
    """The clinic admin's home: what needs attention now."""
    clinic = request.user.clinic
    now = timezone.now()
    access.list_read(request, clinic, page=access.DASHBOARD)
    return render(
        request,
        "reports/dashboard.html",
        {
            "urgent": selectors.urgent_escalations(clinic=clinic),
            "major_events": selectors.recent_major_events(clinic=clinic, now=now),
            "open_escalations": selectors.open_escalation_count(clinic=clinic),
            "overdue_followups": selectors.overdue_followup_count(clinic=clinic, now=now),
        },
    )


def _report(request, slug: str):
    """The report page for the period asked; `?export=<table>` downloads that table as CSV."""
    form = ReportFilterForm(request.GET, clinic=request.user.clinic)
    if not form.is_valid():
        return render(request, "reports/report.html", {"form": form, "slug": slug})
    export = request.GET.get("export")
    report_filter = ReportFilter(clinic=request.user.clinic, **form.cleaned_data)
    report = REPORTS[slug](report_filter, row_limit=None if export is not None else ROWS_SHOWN)
    if export is not None:
        table = report.table(export)
        if table is None:
            raise Http404("No such table in this report.")
        services.report_export_log(
            report_filter=report_filter, report=slug, table=table.key, actor=request.user
        )
        return csv_response(
            filename=f"{slug}-{table.key}-{report_filter.start}-{report_filter.end}.csv",
            columns=table.columns,
            rows=table.rows,
        )
    access.list_read(request, request.user.clinic, page=access.REPORT.format(report=slug))
    query = {"start": report_filter.start, "end": report_filter.end}
    if report_filter.therapist:
        query["therapist"] = report_filter.therapist.pk
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "slug": slug,
            "report": report,
            "period": report_filter,
            "query": urlencode(query),
        },
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


@require_GET
@role_required(Permission.VIEW_REPORTS)
def outcome_card(request):
    return _report(request, "outcome_card")

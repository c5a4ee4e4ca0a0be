"""The therapist's worklist: its rows are cached fragments (clinic.lib.fragments), keyed on
the patient's record version, the check's state and whether it is overdue."""

from collections import namedtuple

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from clinic.lib import fragments
from clinic.lib.paging import WORKLIST_PER_PAGE, CountedPaginator

from ..models import AdverseEvent, Severity, SorenessCheck
from ..querysets.followup import worklist_counts
from ..rules.followup import ESCALATION_HOUSE_RULE, WARNING_SIGNS_ASKED, is_overdue

# What `fragments.patient_key` reads of a row's patient and versions.
_Versions = namedtuple(
    "_Versions", ["clinic_id", "pk", "record_version", "catalogue_version", "checklist_version"]
)


@require_GET
@role_required(Permission.RECORD_CLINICAL)
def worklist(request):
    """The therapist's day: follow-ups due today or overdue, and escalations to decide."""
    clinic = request.user.clinic
    now = timezone.now()
    checks = SorenessCheck.objects.for_clinic(clinic).due_by_end_of_day(now)
    # The navigation bar's counts, read once: the whole clinic's count is the page's.
    counts = worklist_counts(clinic, now)
    mine = request.GET.get("mine") == "1"
    if mine:
        checks = checks.filter(session__therapist=request.user)
    count = checks.count() if mine else counts.followups_due
    paginator = CountedPaginator(checks.worklist_keys(), WORKLIST_PER_PAGE, count=count)
    page = paginator.get_page(request.GET.get("page"))
    access.list_read(request, clinic, page=access.WORKLIST)
    urgent, escalations = _escalations(AdverseEvent.objects.for_clinic(clinic))
    return render(
        request,
        "sessions/worklist.html",
        {
            "rows": _rows(clinic, page.object_list, now),
            "page": page,
            "escalations": escalations,
            "urgent": urgent,
            "mine": mine,
            "house_rule": ESCALATION_HOUSE_RULE,
            "worklist_counts": counts,
        },
    )


def _escalations(events) -> tuple[list[AdverseEvent], list[AdverseEvent]]:
    """The clinic's drafts in one query: the urgent ones (major: warning signs at a
    follow-up), newest first, and the others to decide, newest onset first."""
    drafts = list(events.to_decide())
    urgent = [event for event in drafts if event.severity == Severity.MAJOR]
    urgent.sort(key=lambda event: (event.created_at, event.pk), reverse=True)
    return urgent, [event for event in drafts if event.severity != Severity.MAJOR]


def _rows(clinic, keys, now) -> list[str]:
    """The page's rows from the cache, the missing ones rendered in one pass (3 queries)."""
    overdue = {}
    by_key = {}
    for pk, due_at, status, patient_id, *versions in keys:
        overdue[pk] = is_overdue(due_at, now)
        patient = _Versions(clinic.pk, patient_id, *versions)
        key = fragments.patient_key(
            "worklist-row", patient, pk, status, due_at.isoformat(), overdue[pk]
        )
        by_key[key] = pk
    checks = SorenessCheck.objects.for_clinic(clinic)
    rows = fragments.cached_many(by_key, lambda pks: _render_rows(checks, pks, overdue, now))
    return [rows[pk] for pk, *_ in keys]


def _render_rows(checks, pks, overdue, now) -> dict[int, fragments.Rendered]:
    """Worklist rows, for the cache: no form or CSRF token (the buttons post the page's
    form), stale when a live patient link expires."""
    rendered = {}
    for check in checks.filter(pk__in=pks).for_worklist_rows():
        html = render_to_string(
            "sessions/_worklist_row.html",
            {
                "check": check,
                "overdue": overdue[check.pk],
                "warning_signs_asked": WARNING_SIGNS_ASKED,
            },
        )
        expiries = [link.expires_at for link in check.links.all() if link.expires_at > now]
        rendered[check.pk] = fragments.Rendered(mark_safe(html), min(expiries, default=None))
    return rendered

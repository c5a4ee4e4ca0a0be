"""The therapist's worklist: its rows are cached fragments (clinic.lib.fragments), keyed on
the patient's record version, the check's state and whether it is overdue."""

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


@require_GET
@role_required(Permission.RECORD_CLINICAL)
def worklist(request):
    """The therapist's day: follow-ups due today or overdue, and escalations to decide."""
    clinic = request.user.clinic
    now = timezone.now()
    # Read before the lists cached under it (the escalations, the patient link panels).
    records_version = fragments.clinic_version(clinic)
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
    row_keys, overdue = _row_keys(clinic, page.object_list, now)
    escalations_key = fragments.clinic_key("worklist-escalations", clinic, records_version)
    panels_key = fragments.clinic_key("worklist-panels", clinic, records_version)
    # Every fragment of the page in one round trip.
    stored = fragments.stored([escalations_key, panels_key, *row_keys])
    checks = SorenessCheck.objects.for_clinic(clinic)
    rows = fragments.cached_many(
        row_keys, lambda pks: _render_rows(checks, pks, overdue, now), stored
    )
    return render(
        request,
        "sessions/worklist.html",
        {
            "rows": [rows[pk] for pk in row_keys.values()],
            "page": page,
            "escalations": fragments.cached(escalations_key, lambda: _escalations(clinic), stored),
            "panels_key": panels_key,
            "stored": stored,
            "mine": mine,
            "worklist_counts": counts,
        },
    )


def _escalations(clinic) -> fragments.Rendered:
    """The clinic's drafts for the cache, in one query: the urgent ones (major: warning signs
    at a follow-up), newest first, then the others to decide, newest onset first."""
    drafts = list(AdverseEvent.objects.for_clinic(clinic).to_decide())
    urgent = [event for event in drafts if event.severity == Severity.MAJOR]
    urgent.sort(key=lambda event: (event.created_at, event.pk), reverse=True)
    html = render_to_string(
        "sessions/_worklist_escalations.html",
        {
            "urgent": urgent,
            "escalations": [event for event in drafts if event.severity != Severity.MAJOR],
            "house_rule": ESCALATION_HOUSE_RULE,
        },
    )
    return fragments.Rendered(mark_safe(html))


def _row_keys(clinic, keys, now) -> tuple[dict[str, int], dict[int, bool]]:
    """Each row's cache key (key: check pk, in the page's order) and whether it is overdue."""
    overdue = {}
    by_key = {}
    for pk, due_at, status, patient_id, record_version in keys:
        overdue[pk] = is_overdue(due_at, now)
        key = fragments.record_key(
            "worklist-row",
            clinic_id=clinic.pk,
            patient_id=patient_id,
            record_version=record_version,
            parts=(pk, status, due_at.isoformat(), overdue[pk]),
        )
        by_key[key] = pk
    return by_key, overdue


def _render_rows(checks, pks, overdue, now) -> dict[int, fragments.Rendered]:
    """Worklist rows for the cache, in 3 queries: no form or CSRF token (the buttons post the page's
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

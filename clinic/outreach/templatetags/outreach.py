"""The worklist's pieces about patient links, so the sessions app needs no import of ours."""

from django import template
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from clinic.lib import fragments

from ..rules import PAIN_DURING_ALERT
from ..selectors import exercise_alerts, recent_self_reports, worklist_panels_change_at

register = template.Library()


@register.simple_tag(takes_context=True)
def patient_link_panels(context, key, stored):
    """Patients' own answers and home exercise alerts, cached under `key` (the page's, on the
    clinic's records version read before them), read from `stored` (`fragments.stored`)."""
    clinic = context["request"].user.clinic
    return fragments.cached(key, lambda: _panels(clinic), stored)


def _panels(clinic) -> fragments.Rendered:
    """The panels for the cache (three queries), stale when they change with time alone."""
    now = timezone.now()
    self_reports = recent_self_reports(clinic=clinic, now=now)
    html = render_to_string(
        "outreach/_worklist_panels.html",
        {
            "self_reports": self_reports,
            "alerts": exercise_alerts(clinic=clinic, now=now),
            "pain_alert": PAIN_DURING_ALERT,
        },
    )
    changes = worklist_panels_change_at(clinic=clinic, now=now, self_reports=self_reports)
    return fragments.Rendered(mark_safe(html), changes)


@register.simple_tag
def prefetch_check_links(rows) -> str:
    """Load the links and deliveries of every check on the page in two queries."""
    prefetch_related_objects([row["check"] for row in rows], "links__deliveries")
    return ""


@register.inclusion_tag("outreach/_check_link.html")
def check_link(check):
    """Whether the check's newest link went out, was opened or answered; send or revoke it.
    Reads the check's links and their deliveries as prefetched (in any order)."""
    link = max(check.links.all(), key=lambda link: (link.created_at, link.pk), default=None)
    deliveries = sorted(link.deliveries.all(), key=lambda d: d.channel) if link else []
    return {
        "check": check,
        "link": link,
        "live": link is not None and link.revoked_at is None and link.expires_at > timezone.now(),
        "deliveries": deliveries,
    }

"""The worklist's pieces about patient links, so the sessions app needs no import of ours."""

from django import template
from django.db.models import prefetch_related_objects
from django.utils import timezone

from ..rules import PAIN_DURING_ALERT
from ..selectors import exercise_alerts, recent_self_reports

register = template.Library()


@register.inclusion_tag("outreach/_worklist_panels.html", takes_context=True)
def patient_link_panels(context):
    """Patients' own answers and home exercise alerts (two queries)."""
    clinic = context["request"].user.clinic
    now = timezone.now()
    return {
        "self_reports": recent_self_reports(clinic=clinic, now=now),
        "alerts": exercise_alerts(clinic=clinic, now=now),
        "pain_alert": PAIN_DURING_ALERT,
    }


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

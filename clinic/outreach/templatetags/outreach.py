"""The worklist's pieces about patient links, so the sessions app needs no import of ours."""

from django import template
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from ..models import Delivery, PatientLink
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
    checks = [row["check"] for row in rows]
    deliveries = Delivery.objects.order_by("channel")
    links = PatientLink.objects.order_by("-created_at", "-pk").prefetch_related(
        Prefetch("deliveries", queryset=deliveries)
    )
    prefetch_related_objects(checks, Prefetch("links", queryset=links))
    return ""


@register.inclusion_tag("outreach/_check_link.html", takes_context=True)
def check_link(context, check):
    """Whether the check's newest link went out, was opened or answered; send or revoke it."""
    links = list(check.links.all())
    link = links[0] if links else None
    return {
        "check": check,
        "link": link,
        "live": link is not None and link.revoked_at is None and link.expires_at > timezone.now(),
        "deliveries": list(link.deliveries.all()) if link else [],
        "csrf_token": context.get("csrf_token"),
    }

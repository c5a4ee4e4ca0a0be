"""Staff actions on patient links: send (or resend) a check's, a plan's or an episode's
outcome-measure link, revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from clinic.accounts.permissions import Permission, role_required
from patients.models import EpisodeOfCare
from sessions.models import SorenessCheck, StrengtheningPlan

from ..forms import OutcomeLinkForm
from ..models import PatientLink
from ..services.delivery import deliveries_queue
from ..services.links import (
    link_issue_for_check,
    link_issue_for_outcomes,
    link_issue_for_plan,
    link_revoke,
)
from ..tasks import deliveries_enqueue

LINK_SENT = "Sending the link to {name} by {channels}."
LINK_REVOKED = "Link revoked: it no longer opens."


def _send(request, issue) -> None:
    try:
        issued = issue()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    pending = deliveries_queue(issued=issued)
    deliveries_enqueue(pending)
    channels = " and ".join(
        str(delivery.get_channel_display()).lower()
        for delivery in issued.link.deliveries.order_by("pk")
    )
    messages.success(
        request, LINK_SENT.format(name=issued.link.patient.full_name, channels=channels)
    )


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def check_link_send(request, pk: int):
    check = get_object_or_404(SorenessCheck.objects.for_clinic(request.user.clinic), pk=pk)
    _send(request, lambda: link_issue_for_check(check=check, actor=request.user))
    return redirect("treatment_sessions:worklist")


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def plan_link_send(request, pk: int):
    plan = get_object_or_404(StrengtheningPlan.objects.for_clinic(request.user.clinic), pk=pk)
    _send(request, lambda: link_issue_for_plan(plan=plan, actor=request.user))
    return redirect(plan)


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def outcome_link_send(request, pk: int):
    """From the episode page: send the patient a link to fill the instruments due."""
    episode = get_object_or_404(EpisodeOfCare.objects.for_clinic(request.user.clinic), pk=pk)
    form = OutcomeLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(episode)
    _send(
        request,
        lambda: link_issue_for_outcomes(episode=episode, actor=request.user, **form.cleaned_data),
    )
    return redirect(episode)


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def link_revoke_view(request, pk: int):
    link = get_object_or_404(
        PatientLink.objects.for_clinic(request.user.clinic).select_related("plan", "episode"),
        pk=pk,
    )
    try:
        link_revoke(link=link, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, LINK_REVOKED)
    return redirect(link.plan or link.episode or "treatment_sessions:worklist")

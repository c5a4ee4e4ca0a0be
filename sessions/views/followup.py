from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access

from ..forms.followup import (
    AdverseEventForm,
    EscalationConfirmForm,
    EscalationDismissForm,
    SorenessCheckForm,
)
from ..models import AdverseEvent, NeedlingSession, SorenessCheck
from ..rules.followup import SEEK_EMERGENCY_CARE, WARNING_SIGNS_ASKED, is_overdue
from ..services import followup as services


def _clinic_check(request, pk: int) -> SorenessCheck:
    return get_object_or_404(
        SorenessCheck.objects.for_clinic(request.user.clinic).for_worklist(), pk=pk
    )


@require_GET
@role_required(Permission.RECORD_CLINICAL)
def followup_form(request, pk: int):
    """One check's follow-up form: the worklist row's form fetched by htmx, or its own page."""
    check = _clinic_check(request, pk)
    access.chart_read(request, check.session.patient, page=access.FOLLOWUP_FORM)
    context = {"check": check, "form": SorenessCheckForm(check=check)}
    if request.htmx:
        # The button it replaces had the focus: htmx moves it to the form's first field.
        context["form"].fields["method"].widget.attrs["autofocus"] = True
        return render(request, "sessions/_followup_form.html", context | {"inline": True})
    return render(
        request,
        "sessions/followup_form.html",
        context
        | {
            "rows": [context],
            "overdue": is_overdue(check.due_at, timezone.now()),
            "warning_signs_asked": WARNING_SIGNS_ASKED,
        },
    )


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def followup_record(request, pk: int):
    check = _clinic_check(request, pk)
    form = SorenessCheckForm(request.POST, check=check)
    recorded = None
    if form.is_valid():
        try:
            recorded = services.soreness_check_record(
                check=check, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
    if request.htmx:
        return render(
            request,
            "sessions/_worklist_row.html",
            {
                "check": check,
                "form": form,
                "recorded": recorded,
                "overdue": False,
                "inline": True,
                "seek_emergency_care": SEEK_EMERGENCY_CARE,
                "warning_signs_asked": WARNING_SIGNS_ASKED,
            },
        )
    if recorded is None:
        messages.error(request, "Follow-up not recorded: " + " ".join(_errors(form)))
    elif recorded.warning_signs:
        # Tell the patient now: the worklist's alert list keeps the draft in view.
        messages.error(request, SEEK_EMERGENCY_CARE)
    else:
        messages.success(request, f"Recorded the {check.hours_after} h follow-up.")
    return redirect("treatment_sessions:worklist")


def _errors(form) -> list[str]:
    return [f"{error}" for errors in form.errors.values() for error in errors]


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def adverse_event_create(request, pk: int):
    session = get_object_or_404(
        NeedlingSession.objects.for_clinic(request.user.clinic).select_related("patient"), pk=pk
    )
    form = AdverseEventForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.adverse_event_record(
                session=session, reporter=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Adverse event recorded: {event.get_event_type_display()}.")
            return redirect(event)
    access.chart_read(request, session.patient, page=access.ADVERSE_EVENT_FORM)
    return render(
        request,
        "sessions/adverse_event_form.html",
        {"form": form, "session": session, "patient": session.patient},
    )


def _clinic_event(request, pk: int) -> AdverseEvent:
    events = AdverseEvent.objects.for_clinic(request.user.clinic).select_related(
        "session__patient",
        "session__therapist",
        "site__muscle",
        "escalated_from",
        "decided_by",
        "reported_by",
    )
    return get_object_or_404(events, pk=pk)


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def adverse_event_detail(request, pk: int):
    event = _clinic_event(request, pk)
    access.chart_read(request, event.session.patient, page=access.ADVERSE_EVENT)
    return render(
        request,
        "sessions/adverse_event_detail.html",
        {
            "event": event,
            "session": event.session,
            "patient": event.session.patient,
            "confirm_form": EscalationConfirmForm(),
            "dismiss_form": EscalationDismissForm(),
        },
    )


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def adverse_event_confirm(request, pk: int):
    event = _clinic_event(request, pk)
    form = EscalationConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.adverse_event_confirm(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Adverse event confirmed.")
    else:
        messages.error(request, "Not confirmed: " + " ".join(_errors(form)))
    return redirect(event)


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def adverse_event_dismiss(request, pk: int):
    event = _clinic_event(request, pk)
    form = EscalationDismissForm(request.POST)
    if form.is_valid():
        try:
            services.adverse_event_dismiss(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Escalation dismissed; the decision is kept.")
    else:
        messages.error(request, services.DISMISS_REASON_REQUIRED)
    return redirect(event)

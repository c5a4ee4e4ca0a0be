from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from patients.models import Patient

from ..forms.plans import (
    ITEM_PREFIX,
    AdherenceForm,
    PlanEndForm,
    PlanForm,
    exercise_log_forms,
    item_values,
    plan_item_form,
    plan_item_formset,
    primary_keys,
)
from ..models import Exercise, NeedlingSession, PlanItem, StrengtheningPlan
from ..models.plans import MAX_PLAN_ITEMS
from ..querysets.plans import adherence_by_week
from ..services import plans as plan_services

RECENT_ENTRIES = 10


def _clinic_plan(request, pk: int) -> StrengtheningPlan:
    plans = StrengtheningPlan.objects.for_clinic(request.user.clinic).select_related(
        "patient__clinic", "therapist"
    )
    return get_object_or_404(plans, pk=pk)


def _suggestions(request, data):
    """Exercises for the ticked sessions (of the user's clinic), minus those already chosen."""
    sessions = NeedlingSession.objects.for_clinic(request.user.clinic).filter(
        pk__in=primary_keys(data.getlist("sessions"))
    )
    chosen = primary_keys(
        [
            value
            for name, value in data.items()
            if name.startswith(f"{ITEM_PREFIX}-")
            and name.endswith("-exercise")
            and not data.get(name.replace("-exercise", "-DELETE"))
        ]
    )
    return plan_services.exercise_suggestions(sessions=sessions, exclude=chosen)


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def plan_create(request, patient_pk: int):
    patient = get_object_or_404(Patient.objects.for_clinic(request.user.clinic), pk=patient_pk)
    active_plan = StrengtheningPlan.objects.filter(patient=patient).active().first()
    paired = primary_keys(request.GET.getlist("session"))
    form = PlanForm(request.POST or None, patient=patient, initial={"sessions": paired})
    formset = plan_item_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = plan_services.plan_create(
                patient=patient,
                therapist=request.user,
                items=item_values(formset),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Strengthening plan saved. Print the handout for the patient."
            )
            return redirect(plan)
    access.chart_read(request, patient, page=access.PLAN_FORM)
    data = request.POST if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        data.setlist("sessions", [str(pk) for pk in paired])
    return render(
        request,
        "sessions/plans/plan_form.html",
        {
            "patient": patient,
            "active_plan": active_plan,
            "form": form,
            "formset": formset,
            "suggestions": _suggestions(request, data),
        },
    )


@require_GET
@role_required(Permission.RECORD_CLINICAL)
def plan_suggestions(request):
    """For the plan form (htmx): the suggestion list again and, when asked, one more item row."""
    row = None
    if request.GET.get("row"):
        try:
            index = max(
                0, min(int(request.GET.get(f"{ITEM_PREFIX}-TOTAL_FORMS", "0")), MAX_PLAN_ITEMS)
            )
        except ValueError:
            index = 0
        exercise = (
            Exercise.objects.active()
            .filter(pk__in=primary_keys([request.GET.get("exercise", "")]))
            .first()
        )
        row = {"form": plan_item_form(index, exercise), "index": index, "total": index + 1}
    data = request.GET.copy()
    if row and row["form"].initial.get("exercise"):
        data[f"{ITEM_PREFIX}-{row['index']}-exercise"] = str(row["form"].initial["exercise"].pk)
    return render(
        request,
        "sessions/plans/_suggestions_response.html",
        {"row": row, "suggestions": _suggestions(request, data)},
    )


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def plan_detail(request, pk: int):
    plan = _clinic_plan(request, pk)
    access.chart_read(request, plan.patient, page=access.PLAN)
    items = list(plan.items.select_related("exercise").with_recent_logs())
    rows = [
        (item, plan_services.progression_due(item=item, logs=item.recent_logs)) for item in items
    ]
    target = max((item.frequency_per_week for item in items), default=0)
    return render(
        request,
        "sessions/plans/plan_detail.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "rows": rows,
            "sessions": plan.sessions.order_by("started_at"),
            "weeks": adherence_by_week(plan, target_sessions=target),
            "entries": plan.adherence_entries.with_logs().newest_first()[:RECENT_ENTRIES],
            "end_form": PlanEndForm(),
        },
    )


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def plan_handout(request, pk: int):
    plan = _clinic_plan(request, pk)
    access.chart_read(request, plan.patient, page=access.HANDOUT)
    return render(
        request,
        "sessions/plans/plan_handout.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "items": plan.items.select_related("exercise").order_by("pk"),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def adherence_create(request, pk: int):
    plan = _clinic_plan(request, pk)
    if not plan.is_active:
        messages.error(request, plan_services.PLAN_NOT_ACTIVE)
        return redirect(plan)
    items = list(plan.items.select_related("exercise").order_by("pk"))
    form = AdherenceForm(request.POST or None)
    log_forms = exercise_log_forms(items, request.POST or None)
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in log_forms):
        try:
            plan_services.adherence_record(
                plan=plan,
                recorded_by=request.user,
                logs=[{"item": f.item, **f.cleaned_data} for f in log_forms],
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Adherence recorded.")
            return redirect(plan)
    access.chart_read(request, plan.patient, page=access.ADHERENCE_FORM)
    return render(
        request,
        "sessions/plans/adherence_form.html",
        {"plan": plan, "patient": plan.patient, "form": form, "log_forms": log_forms},
    )


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def plan_end(request, pk: int):
    plan = _clinic_plan(request, pk)
    form = PlanEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(plan)
    try:
        plan = plan_services.plan_end(plan=plan, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Plan {plan.get_status_display().lower()}.")
    return redirect(plan)


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def plan_item_progress(request, pk: int):
    item = get_object_or_404(
        PlanItem.objects.for_clinic(request.user.clinic).select_related("plan", "exercise"), pk=pk
    )
    try:
        progression = plan_services.plan_item_progress(item=item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{item.exercise}: {progression.text}.")
    return redirect(item.plan)

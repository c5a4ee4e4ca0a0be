from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from clinic.fhir.selectors import may_export_patient
from clinic.lib import fragments
from clinic.lib.form_tokens import FORM_TOKEN
from clinic.lib.fragments import with_versions
from clinic.lib.paging import MAX_PAGE, PATIENTS_PER_PAGE, SESSIONS_PER_PAGE
from sessions.selectors import needling_standing, patient_clinical_summary

from .. import services
from ..filters import PatientFilter
from ..forms import PatientForm, ScreeningForm
from ..models import EpisodeOfCare, Patient, Screening, ScreeningQuestion


def _clinic_patient(request, pk: int) -> Patient:
    return get_object_or_404(
        Patient.objects.for_clinic(request.user.clinic).select_related("clinic"), pk=pk
    )


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def patient_list(request):
    patient_filter = PatientFilter(
        request.GET, queryset=Patient.objects.for_clinic(request.user.clinic)
    )
    page = Paginator(patient_filter.qs.values_list("pk", flat=True), PATIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = Patient.objects.listed(page.object_list)
    access.list_read(request, request.user.clinic, page=access.PATIENT_LIST)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "patients/patient_list.html",
        {"filter": patient_filter, "page": page, "filter_query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.EDIT_PATIENTS)
def patient_create(request):
    form = PatientForm(request.POST or None, clinic=request.user.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.patient_register(clinic=request.user.clinic, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Registered {patient.full_name}.")
            return redirect(patient)
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def patient_detail(request, pk: int):
    patient = get_object_or_404(
        with_versions(Patient.objects.for_clinic(request.user.clinic).select_related("clinic")),
        pk=pk,
    )
    access.chart_read(request, patient, page=access.PATIENT_PAGE)
    page_number = _page_number(request.GET.get("sessions"))
    consent, refusal = needling_standing(patient=patient, viewer=request.user)
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "fragments": fragments.cached(
                fragments.patient_key("patient-page", patient, page_number),
                lambda: _patient_fragments(patient, page_number),
            ),
            "may_export_fhir": may_export_patient(
                user=request.user, patient=patient, from_cache=True
            ),
            "consent": consent,
            "needling_refusal": refusal,
        },
    )


def _page_number(value: str | None) -> int:
    """A page of the session history: a number within reason (each is a cached fragment)."""
    return int(value) if value and value.isdigit() and 0 < int(value) < MAX_PAGE else 1


PATIENT_FRAGMENTS = {
    "major_events": "patients/_major_events.html",
    "episodes": "patients/_episodes.html",
    "overview": "patients/_overview.html",
    "screening_panel": "patients/_screening_panel.html",
    "active_plan": "sessions/plans/_active_plan.html",
    "history": "patients/_history.html",
}


def _patient_fragments(patient: Patient, page_number: int) -> fragments.Rendered:
    """The patient page's record parts, rendered for the fragment cache (no request: no form,
    no CSRF token, no permission check can be in them). Stale when the screening expires."""
    screenings = list(
        Screening.objects.filter(patient=patient)
        .select_related("therapist")
        .prefetch_related("avoid_regions")
        .with_checklist_currency()
        .newest_first()
    )
    current = screenings[0] if screenings else None
    checklist_notice = (
        services.OLDER_CHECKLIST.format(number=current.checklist_version.number)
        if current and current.on_older_checklist
        else ""
    )
    findings = current.answers.filter(present=True).select_related("question") if current else []
    summary = patient_clinical_summary(patient=patient, screening=current)
    context = {
        "patient": patient,
        "current": current,
        "checklist_notice": checklist_notice,
        "findings": findings,
        "screenings": screenings,
        "session_page": Paginator(summary.sessions, SESSIONS_PER_PAGE).get_page(page_number),
        "plan": summary.active_plan,
        "adverse_events": summary.adverse_events,
        "major_events": summary.major_events,
        "map_regions": summary.map_regions,
        "pain_chart": summary.pain_chart,
        "episodes": EpisodeOfCare.objects.filter(patient=patient).newest_first(),
    }
    html = {name: render_to_string(path, context) for name, path in PATIENT_FRAGMENTS.items()}
    expires = current.valid_until if current and not current.is_expired else None
    return fragments.Rendered({name: mark_safe(part) for name, part in html.items()}, expires)


@require_http_methods(["GET", "POST"])
@role_required(Permission.EDIT_PATIENTS)
def patient_edit(request, pk: int):
    patient = _clinic_patient(request, pk)
    form = PatientForm(request.POST or None, instance=patient, clinic=request.user.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_update(patient=patient, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Patient details saved.")
            return redirect(patient)
    access.chart_read(request, patient, page=access.PATIENT_EDIT_FORM)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@require_POST
@role_required(Permission.EDIT_PATIENTS)
def patient_archive(request, pk: int):
    patient = services.patient_archive(patient=_clinic_patient(request, pk))
    messages.success(request, f"{patient.full_name} is archived; their records are kept.")
    return redirect(patient)


@require_POST
@role_required(Permission.EDIT_PATIENTS)
def patient_restore(request, pk: int):
    patient = services.patient_restore(patient=_clinic_patient(request, pk))
    messages.success(request, f"{patient.full_name} is active again.")
    return redirect(patient)


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def screening_create(request, pk: int):
    patient = _clinic_patient(request, pk)
    questions = list(ScreeningQuestion.objects.active())
    form = ScreeningForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            screening = services.screening_record(
                patient=patient,
                therapist=request.user,
                answers=form.answers(),
                avoid_regions=form.regions(),
                justification=form.cleaned_data["justification"],
                notes=form.cleaned_data["notes"],
                form_token=form.cleaned_data[FORM_TOKEN],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Screening recorded: {screening.get_outcome_display()}.")
            return redirect(screening)
    access.chart_read(request, patient, page=access.SCREENING_FORM)
    return render(request, "patients/screening_form.html", {"form": form, "patient": patient})


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def screening_detail(request, pk: int):
    screening = get_object_or_404(
        Screening.objects.for_clinic(request.user.clinic).select_related(
            "patient", "therapist", "checklist_version"
        ),
        pk=pk,
    )
    access.chart_read(request, screening.patient, page=access.SCREENING)
    answers = screening.answers.select_related("question").order_by(
        "question__order", "question__pk"
    )
    return render(
        request,
        "patients/screening_detail.html",
        {
            "screening": screening,
            "patient": screening.patient,
            "answers": answers,
            "avoid_regions": screening.avoid_regions.all(),
        },
    )

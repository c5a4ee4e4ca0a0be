from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from clinic.lib import fragments
from patients.models import Patient

from ..figures.bodymap import form_body_map, session_body_map
from ..forms.needling import (
    SITE_PREFIX,
    AddendumForm,
    SessionForm,
    SiteForm,
    filled_site_forms,
    site_formset,
    site_values,
)
from ..models import NeedlingSession
from ..models.session import ADDENDUM_INCOMPLETE, MAX_SITES
from ..rules.billing import cpt_code
from ..services import gate as safety_gate
from ..services import needling as services

SESSION_SIGNED_MESSAGE = "Session signed."


def _clinic_session(request, pk: int):
    sessions = NeedlingSession.objects.for_clinic(request.user.clinic).select_related(
        "patient", "therapist", "screening"
    )
    return get_object_or_404(sessions, pk=pk)


def _save(request, form, formset, save):
    """Run a session write; put the gate's reasons next to the form and its sites."""
    site_forms = filled_site_forms(formset)
    try:
        return save(sites=[site_values(f) for f in site_forms], **form.cleaned_data)
    except safety_gate.NeedlingRefused as refusal:
        form.add_error(None, refusal.message)
        for index, errors in refusal.site_errors.items():
            for error in errors:
                site_forms[index].add_error(None, error)
    except ValidationError as error:
        form.add_error(None, error)
    return None


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def session_create(request, patient_pk: int):
    patients = Patient.objects.for_clinic(request.user.clinic).select_related("clinic")
    patient = get_object_or_404(patients, pk=patient_pk)
    form = SessionForm(request.POST or None, patient=patient)
    formset = site_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        session = _save(
            request,
            form,
            formset,
            lambda **values: services.session_record(
                patient=patient,
                therapist=request.user,
                sign=request.POST.get("action") == "sign",
                **values,
            ),
        )
        if session is not None:
            return _after_save(request, session)
    gate = safety_gate.needling_gate(patient=patient, therapist=request.user, at=timezone.now())
    access.chart_read(request, patient, page=access.SESSION_FORM)
    return render(
        request,
        "sessions/session_form.html",
        {
            "patient": patient,
            "gate": gate,
            "form": form,
            "formset": formset,
            "session": None,
            "map_regions": form_body_map(screening=gate.screening),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def session_edit(request, pk: int):
    session = _clinic_session(request, pk)
    try:
        services.session_check_editable(session=session, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
        return redirect(session)
    form = SessionForm(request.POST or None, instance=session)
    formset = site_formset(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        saved = _save(
            request,
            form,
            formset,
            lambda **values: services.session_update(session=session, actor=request.user, **values),
        )
        if saved is not None:
            return _after_save(request, saved)
    gate = safety_gate.needling_gate(
        patient=session.patient, therapist=session.therapist, at=session.started_at
    )
    access.chart_read(request, session.patient, page=access.SESSION_FORM)
    return render(
        request,
        "sessions/session_form.html",
        {
            "patient": session.patient,
            "gate": gate,
            "form": form,
            "formset": formset,
            "session": session,
            "map_regions": form_body_map(screening=gate.screening, session=session),
        },
    )


def _after_save(request, session):
    if request.POST.get("action") != "sign":
        messages.success(request, "Draft saved. Sign it when the note is complete.")
        return redirect(session)
    return _sign(request, session)


def _sign(request, session):
    if session.is_signed and session.therapist_id == request.user.pk:
        # Signed with the form's save, or by a first submit of the same form.
        messages.success(request, SESSION_SIGNED_MESSAGE)
        return redirect(session)
    try:
        services.session_sign(session=session, actor=request.user)
    except ValidationError as error:
        session.refresh_from_db()
        if not (session.is_signed and session.therapist_id == request.user.pk):
            messages.error(request, " ".join(error.messages))
            return redirect(session)
        # A second submit of the same sign: the first one signed it.
    messages.success(request, SESSION_SIGNED_MESSAGE)
    return redirect(session)


@require_GET
@role_required(Permission.RECORD_CLINICAL)
def site_row(request):
    """One more empty site row for the session form (htmx), numbered after the existing ones."""
    try:
        index = max(0, min(int(request.GET.get(f"{SITE_PREFIX}-TOTAL_FORMS", "1")), MAX_SITES))
    except ValueError:
        index = 1
    return render(
        request,
        "sessions/_site_row.html",
        {
            "site_form": SiteForm(prefix=f"{SITE_PREFIX}-{index}"),
            "index": index,
            "total": index + 1,
        },
    )


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def session_detail(request, pk: int):
    session = get_object_or_404(
        fragments.with_versions(
            NeedlingSession.objects.for_clinic(request.user.clinic).select_related(
                "patient", "therapist", "screening"
            )
        ),
        pk=pk,
    )
    access.chart_read(request, session.patient, page=access.SESSION_NOTE)
    parts = fragments.cached(
        fragments.patient_key("session-page", session.patient, session.pk, versions=session),
        lambda: _session_fragments(session),
    )
    return render(
        request,
        "sessions/session_detail.html",
        {
            "session": session,
            "patient": session.patient,
            "fragments": parts,
            "distinct_muscles": parts["distinct_muscles"],
            "billing_code": cpt_code(parts["distinct_muscles"]),
            "addendum_form": AddendumForm(),
        },
    )


SESSION_FRAGMENTS = {
    "sites": "sessions/_session_sites.html",
    "followups": "sessions/_session_followups.html",
    "events": "sessions/_session_events.html",
    "addenda": "sessions/_session_addenda.html",
}


def _session_fragments(session: NeedlingSession) -> fragments.Rendered:
    """The session page's record parts for the fragment cache (no request: no form, no CSRF
    token, no permission check), with the number of muscles needled for the billing code."""
    sites = list(session.sites.select_related("muscle"))
    context = {
        "session": session,
        "sites": sites,
        "map_regions": session_body_map(session=session, sites=sites),
        "addenda": session.addenda.select_related("author"),
        "checks": session.checks.order_by("due_at"),
        "events": session.adverse_events.all(),
    }
    parts = {name: render_to_string(path, context) for name, path in SESSION_FRAGMENTS.items()}
    return fragments.Rendered({**parts, "distinct_muscles": len({s.muscle_id for s in sites})})


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def session_sign(request, pk: int):
    return _sign(request, _clinic_session(request, pk))


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def addendum_create(request, pk: int):
    session = _clinic_session(request, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(session=session, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Addendum added.")
            return redirect(session)
    else:
        messages.error(request, ADDENDUM_INCOMPLETE)
    return redirect(session)

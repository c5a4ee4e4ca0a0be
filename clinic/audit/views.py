from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from clinic.accounts.models import User
from clinic.accounts.permissions import Permission, role_required
from clinic.lib.paging import AUDIT_EVENTS_PER_PAGE
from patients.models import Patient

from . import access, services
from .forms import AuditFilterForm
from .readable import readable_events
from .selectors import event_entries, patient_audit_events, patient_audit_kinds


def _clinic_patient(request, pk: int) -> Patient:
    return get_object_or_404(
        Patient.objects.for_clinic(request.user.clinic).select_related("clinic"), pk=pk
    )


@require_GET
@role_required(Permission.VIEW_AUDIT)
def patient_audit(request, pk: int):
    """The patient's trail, one entry per clinical event, newest first, filtered by the form."""
    patient = _clinic_patient(request, pk)
    access.chart_read(request, patient, page=access.AUDIT_PAGE)
    form = AuditFilterForm(
        request.GET,
        kinds=patient_audit_kinds(patient),
        staff=list(User.objects.filter(clinic=patient.clinic).order_by("last_name", "first_name")),
    )
    context = {"patient": patient, "form": form}
    if form.is_valid():
        events = patient_audit_events(patient=patient, condition=form.condition())
        page = Paginator(events, AUDIT_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        keys = [row["event"] for row in page]
        context |= {
            "page": page,
            "events": readable_events(event_entries(patient=patient, keys=keys), keys),
            "query": urlencode({k: v for k, v in request.GET.items() if k != "page" and v}),
        }
    return render(request, "audit/patient_audit.html", context)


@require_GET
@role_required(Permission.VIEW_AUDIT)
def patient_export(request, pk: int):
    patient = _clinic_patient(request, pk)
    record = services.patient_record_export(patient=patient, actor=request.user)
    response = JsonResponse(record, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-record.json"'
    return response

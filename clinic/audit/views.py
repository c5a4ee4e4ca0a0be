from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from clinic.accounts.permissions import Permission, role_required
from clinic.lib.paging import AUDIT_ENTRIES_PER_PAGE
from patients.models import Patient

from . import access, services
from .readable import readable_rows
from .selectors import patient_audit_entries


def _clinic_patient(request, pk: int) -> Patient:
    return get_object_or_404(
        Patient.objects.for_clinic(request.user.clinic).select_related("clinic"), pk=pk
    )


@require_GET
@role_required(Permission.VIEW_AUDIT)
def patient_audit(request, pk: int):
    patient = _clinic_patient(request, pk)
    access.chart_read(request, patient, page=access.AUDIT_PAGE)
    page = Paginator(patient_audit_entries(patient=patient), AUDIT_ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = readable_rows(list(page))
    return render(
        request, "audit/patient_audit.html", {"patient": patient, "page": page, "rows": rows}
    )


@require_GET
@role_required(Permission.VIEW_AUDIT)
def patient_export(request, pk: int):
    patient = _clinic_patient(request, pk)
    record = services.patient_record_export(patient=patient, actor=request.user)
    response = JsonResponse(record, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-record.json"'
    return response

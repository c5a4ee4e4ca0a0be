"""Staff pages: the patient's FHIR record download, and the clinic admin's API tokens."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from patients.models import Patient

from ..api.outcome import fhir_response
from ..forms import ApiTokenForm
from ..models import ApiToken
from ..selectors import may_export_patient
from ..services import export as export_services
from ..services import tokens as token_services
from .api import fhir_base_url

TOKEN_CREATED = "Token created for {user}. Copy it now: it is shown only once."
TOKEN_REVOKED = "Token {token} revoked: it no longer opens the API."


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def patient_bundle(request, pk: int):
    patient = get_object_or_404(
        Patient.objects.for_clinic(request.user.clinic).select_related("clinic"), pk=pk
    )
    if not may_export_patient(user=request.user, patient=patient):
        raise PermissionDenied
    bundle = export_services.patient_bundle_export(
        patient=patient, actor=request.user, base_url=fhir_base_url(request)
    )
    response = fhir_response(bundle)
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-fhir.json"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_STAFF)
def token_list(request):
    clinic = request.user.clinic
    form = ApiTokenForm(request.POST or None, clinic=clinic)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = token_services.api_token_create(
                clinic=clinic, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, TOKEN_CREATED.format(user=token.user))
            created = raw
            form = ApiTokenForm(clinic=clinic)
    tokens = ApiToken.objects.for_clinic(clinic).select_related("user", "created_by")
    return render(
        request,
        "fhir/token_list.html",
        {"form": form, "tokens": tokens, "created": created, "api_base": fhir_base_url(request)},
    )


@require_POST
@role_required(Permission.MANAGE_STAFF)
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.for_clinic(request.user.clinic), pk=pk)
    try:
        token_services.api_token_revoke(token=token, revoked_by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, TOKEN_REVOKED.format(token=token))
    return redirect("fhir:token_list")

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from clinic.formats import machine
from clinic.lib.form_tokens import FORM_TOKEN
from patients.models import Patient

from . import services
from .document import TRAINING_PLACEHOLDER, blocks, consent_text
from .forms import ConsentFormForm, ConsentSignForm
from .models import ConsentForm, SignedConsent
from .selectors import open_episodes
from .signature import signature_svg


def _clinic_consent(request, pk: int) -> SignedConsent:
    return get_object_or_404(
        SignedConsent.objects.for_clinic(request.user.clinic).select_related(
            "patient", "form", "witness", "withdrawal_witness", "clinic", "episode"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_CONSENT_FORM)
def consent_form_edit(request):
    clinic = request.user.clinic
    current = services.consent_form_current(clinic=clinic)
    form = ConsentFormForm(
        request.POST or None,
        initial={"title": current.title, "body": current.body, "requires_reconsent": False},
    )
    if request.method == "POST" and form.is_valid():
        try:
            published = services.consent_form_publish(
                clinic=clinic, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Published version {published.version} of the form.")
            return redirect("consent:form")
    versions = ConsentForm.objects.for_clinic(clinic).select_related("published_by")
    return render(
        request,
        "consent/consent_form.html",
        {
            "form": form,
            "current": current,
            "blocks": blocks(current.body),
            "versions": versions,
            "placeholder": TRAINING_PLACEHOLDER,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def consent_sign(request, pk: int):
    patient = get_object_or_404(Patient.objects.for_clinic(request.user.clinic), pk=pk)
    current = services.consent_form_current(clinic=patient.clinic)
    episodes = open_episodes(patient)
    form = ConsentSignForm(
        request.POST or None, initial={"form_version": current.pk}, episodes=episodes
    )
    # Without an open episode the page asks for the intake first and takes no signature.
    if episodes and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            consent = services.consent_sign(
                patient=patient,
                form=data.pop("form_version"),
                witness=request.user,
                form_token=data.pop(FORM_TOKEN),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Consent signed by {consent.signer_name}.")
            return redirect(consent)
    text = consent_text(body=current.body, therapist=request.user, on=timezone.localdate())
    access.chart_read(request, patient, page=access.CONSENT_FORM)
    return render(
        request,
        "consent/consent_sign.html",
        {
            "patient": patient,
            "form": form,
            "current": current,
            "blocks": blocks(text),
            "episodes": episodes,
            "no_open_episode": services.NO_OPEN_EPISODE,
        },
    )


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def consent_detail(request, pk: int):
    consent = _clinic_consent(request, pk)
    access.chart_read(request, consent.patient, page=access.CONSENT)
    image = base64.b64encode(signature_svg(consent.signature).encode()).decode()
    return render(
        request,
        "consent/consent_detail.html",
        {
            "consent": consent,
            "patient": consent.patient,
            "blocks": blocks(consent.text),
            "signature_src": f"data:image/svg+xml;base64,{image}",
        },
    )


@require_POST
@role_required(Permission.RECORD_CLINICAL)
def consent_withdraw(request, pk: int):
    consent = _clinic_consent(request, pk)
    try:
        services.consent_withdraw(consent=consent, witness=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Consent withdrawn: no needling until a new signature.")
    return redirect(consent)


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def consent_pdf(request, pk: int):
    consent = _clinic_consent(request, pk)
    document = services.consent_pdf_download(consent=consent, actor=request.user)
    response = HttpResponse(document, content_type="application/pdf")
    filename = f"consent-{consent.pk}-{machine(timezone.localdate(consent.signed_at))}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response

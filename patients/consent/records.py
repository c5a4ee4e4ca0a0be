"""Signed consents in a patient's audit history and record export."""

from clinic.audit.export import export_section
from clinic.audit.selectors import patient_record_collector
from patients.models import Patient

from .models import SignedConsent


@patient_record_collector
def consent_records(patient: Patient):
    return [(SignedConsent, SignedConsent.objects.filter(patient=patient))]


@export_section("signed_consents")
def signed_consents(patient: Patient) -> list[dict]:
    return [
        {
            "form_version": consent.form.version,
            "title": consent.title,
            "text": consent.text,
            "text_sha256": consent.text_sha256,
            "signer": consent.get_signer_display(),
            "signer_name": consent.signer_name,
            "guardian_relationship": consent.guardian_relationship,
            "guardian_reason": consent.get_guardian_reason_display(),
            "signed_at": consent.signed_at.isoformat(),
            "witness": str(consent.witness),
            "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            "withdrawal_witness": str(consent.withdrawal_witness or ""),
        }
        for consent in SignedConsent.objects.filter(patient=patient)
        .select_related("form", "witness", "withdrawal_witness")
        .newest_first()
    ]

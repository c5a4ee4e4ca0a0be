"""Consent written through the services, as the pages do."""

from patients.consent import services
from patients.consent.document import TRAINING_PLACEHOLDER
from patients.consent.models import SignedConsent
from patients.consent.selectors import open_episodes
from tests.factories import TEST_SIGNATURE, ClinicAdminFactory


def sign(patient, therapist, **overrides) -> SignedConsent:
    """Signed for the patient's newest open episode of care unless `episode` is given."""
    values = {
        "patient": patient,
        "episode": next(iter(open_episodes(patient)), None),
        "form": services.consent_form_current(clinic=patient.clinic),
        "witness": therapist,
        "signer_name": patient.full_name,
        "questions_answered": True,
        "signature": TEST_SIGNATURE,
    }
    values.update(overrides)
    return services.consent_sign(**values)


def publish(clinic, **overrides):
    values = {
        "clinic": clinic,
        "author": ClinicAdminFactory(clinic=clinic),
        "title": "Consent to dry needling",
        "body": f"# Risks\nBruising.\n\n# Training\n{TRAINING_PLACEHOLDER}",
        "requires_reconsent": False,
    }
    values.update(overrides)
    return services.consent_form_publish(**values)

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clinic.accounts.models import Credential
from patients.consent import services
from patients.consent.document import DEFAULT_BODY, TRAINING_PLACEHOLDER, text_sha256
from patients.consent.models import ConsentForm, GuardianReason, SignedConsent, Signer
from patients.consent.signature import (
    MAX_SIGNATURE_BYTES,
    SIGNATURE_EMPTY,
    SIGNATURE_MALFORMED,
    SIGNATURE_TOO_LARGE,
)
from tests.factories import PatientFactory

from .signing import publish, sign

pytestmark = pytest.mark.django_db


def test_publishing_a_new_version_leaves_signed_consents_unchanged(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    signed = sign(patient, therapist)
    before = (signed.form_id, signed.title, signed.text, signed.text_sha256)

    new_version = publish(therapist.clinic, title="Dry needling: your consent")

    signed.refresh_from_db()
    assert new_version.version == signed.form.version + 1
    assert (signed.form_id, signed.title, signed.text, signed.text_sha256) == before
    assert signed.text_sha256 == text_sha256(title=signed.title, text=signed.text)
    assert ConsentForm.objects.get(pk=signed.form_id).body == DEFAULT_BODY.strip()


def test_the_signed_text_names_the_risks_rates_and_the_witness_training(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)

    signed = sign(patient, therapist)

    for fact in ("19.18% of treatments", "7,629", "36.7%", "20,464", "pneumothorax"):
        assert fact in signed.text
    assert TRAINING_PLACEHOLDER not in signed.text
    assert therapist.get_full_name() in signed.text
    assert signed.witness == therapist


def test_the_training_named_is_the_credential_current_on_the_signing_day(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    credential = therapist.credentials.get()
    Credential.objects.filter(pk=credential.pk).update(
        completed_on=timezone.localdate() - timedelta(days=10)
    )

    signed = sign(patient, therapist)
    before_training = sign(patient, therapist, signed_at=timezone.now() - timedelta(days=30))

    assert f"{credential.course}, {credential.hours} hours" in signed.text
    assert credential.jurisdiction in signed.text
    assert credential.course not in before_training.text
    assert therapist.get_full_name() in before_training.text


def test_a_minor_needs_a_guardian_with_a_relationship(therapist):
    minor = PatientFactory(
        clinic=therapist.clinic,
        consent=False,
        date_of_birth=date(2015, 6, 1),
    )

    with pytest.raises(ValidationError) as missing_guardian:
        sign(minor, therapist)
    assert services.GUARDIAN_REQUIRED_FOR_MINOR.format(age=services.AGE_OF_MAJORITY) in (
        missing_guardian.value.messages
    )
    with pytest.raises(ValidationError) as no_relationship:
        sign(minor, therapist, signer=Signer.GUARDIAN, guardian_reason=GuardianReason.MINOR)
    assert no_relationship.value.messages == [services.GUARDIAN_RELATIONSHIP_REQUIRED]
    assert not SignedConsent.objects.exists()

    signed = sign(
        minor,
        therapist,
        signer=Signer.GUARDIAN,
        signer_name="Ana Ångström",
        guardian_relationship="Mother",
        guardian_reason=GuardianReason.MINOR,
    )
    assert (signed.signer_name, signed.guardian_relationship) == ("Ana Ångström", "Mother")


def test_an_adult_without_capacity_signs_through_a_guardian(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)

    signed = sign(
        patient,
        therapist,
        signer=Signer.GUARDIAN,
        signer_name="Sam Guardian",
        guardian_relationship="Court-appointed guardian",
        guardian_reason=GuardianReason.NO_CAPACITY,
    )

    assert signed.get_guardian_reason_display() == GuardianReason.NO_CAPACITY.label


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", SIGNATURE_EMPTY),
        ("   ", SIGNATURE_EMPTY),
        ("M1,1L" + "2,2L" * (MAX_SIGNATURE_BYTES // 4) + "3,3", SIGNATURE_TOO_LARGE),
        ("M1,1L2,2<script>", SIGNATURE_MALFORMED),
        ("M1,1L900,2", SIGNATURE_MALFORMED),
    ],
    ids=["empty", "blank", "over-1MB", "markup", "off-the-pad"],
)
def test_a_bad_signature_is_refused_and_nothing_is_written(therapist, signature, message):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)

    with pytest.raises(ValidationError) as refusal:
        sign(patient, therapist, signature=signature)

    assert refusal.value.messages == [message]
    assert not SignedConsent.objects.exists()


def test_a_name_of_only_spaces_is_refused(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)

    with pytest.raises(ValidationError) as refusal:
        sign(patient, therapist, signer_name="   ")

    assert refusal.value.messages == [services.NAME_REQUIRED]
    assert not SignedConsent.objects.exists()


def test_a_form_version_of_another_clinic_is_refused(therapist, other_clinic):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    foreign = services.consent_form_current(clinic=other_clinic)

    with pytest.raises(ValidationError) as refusal:
        sign(patient, therapist, form=foreign)

    assert refusal.value.messages == [services.FORM_OTHER_CLINIC]
    assert not SignedConsent.objects.exists()


def test_only_the_current_version_can_be_signed(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    old = services.consent_form_current(clinic=therapist.clinic)
    publish(therapist.clinic)

    with pytest.raises(ValidationError) as refusal:
        sign(patient, therapist, form=old)

    assert refusal.value.messages == [services.FORM_NOT_CURRENT]


def test_a_form_without_the_training_placeholder_is_refused(clinic):
    with pytest.raises(ValidationError) as refusal:
        publish(clinic, body="# Risks\nBruising.")

    assert refusal.value.messages == [services.BODY_NEEDS_TRAINING]
    assert not ConsentForm.objects.exists()


def test_a_withdrawal_is_recorded_once_with_its_witness(therapist):
    signed = sign(PatientFactory(clinic=therapist.clinic, consent=False), therapist)

    withdrawn = services.consent_withdraw(consent=signed, witness=therapist)

    assert withdrawn.withdrawal_witness == therapist
    assert withdrawn.withdrawn_at >= withdrawn.signed_at
    with pytest.raises(ValidationError) as again:
        services.consent_withdraw(consent=signed, witness=therapist)
    assert again.value.messages == [services.ALREADY_WITHDRAWN]

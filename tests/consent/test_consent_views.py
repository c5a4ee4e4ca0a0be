import io

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from patients.consent import services
from patients.consent.models import ConsentForm, SignedConsent
from patients.consent.signature import (
    MAX_SIGNATURE_BYTES,
    SIGNATURE_EMPTY,
    SIGNATURE_MALFORMED,
    SIGNATURE_TOO_LARGE,
)
from tests.factories import TEST_SIGNATURE, PatientFactory, SignedConsentFactory

from .signing import sign

pytestmark = pytest.mark.django_db


def sign_data(form: ConsentForm, patient, **overrides) -> dict:
    """What the signing page posts, for the patient's only open episode of care unless
    `episode` is given."""
    data = {
        "form_version": form.pk,
        "episode": overrides.pop("episode") if "episode" in overrides else None,
        "questions_answered": "on",
        "signer": "patient",
        "guardian_relationship": "",
        "guardian_reason": "",
        "signer_name": "Zoë Ångström-Müller",
        "signature": TEST_SIGNATURE,
    }
    data.update(overrides)
    if data["episode"] is None:
        data["episode"] = patient.episodes.get().pk
    return data


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_sign_page_shows_the_form_with_the_therapist_named(
    therapist_client, therapist, django_assert_max_num_queries
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    services.consent_form_current(clinic=therapist.clinic)

    with django_assert_max_num_queries(12):
        response = therapist_client.get(reverse("consent:sign", args=[patient.pk]))

    page = response.content.decode()
    assert "Consent to dry needling" in page
    assert therapist.get_full_name() in page
    assert 'data-signature-pad="id_signature"' in page


def test_signing_records_the_consent_and_audits_it(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False, first_name="Zoë")
    form = services.consent_form_current(clinic=therapist.clinic)

    response = therapist_client.post(
        reverse("consent:sign", args=[patient.pk]), sign_data(form, patient)
    )

    consent = SignedConsent.objects.get()
    assert response.url == consent.get_absolute_url()
    assert (consent.signer_name, consent.witness, consent.form) == (
        "Zoë Ångström-Müller",
        therapist,
        form,
    )
    entry = LogEntry.objects.get_for_object(consent).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, therapist)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"signature": ""}, SIGNATURE_EMPTY),
        ({"signature": "M1,1L" + "2,2L" * (MAX_SIGNATURE_BYTES // 4) + "3,3"}, SIGNATURE_TOO_LARGE),
        ({"signature": 'M1,1"/><script>'}, SIGNATURE_MALFORMED),
        ({"signer_name": "    "}, services.NAME_REQUIRED),
        ({"questions_answered": ""}, services.QUESTIONS_NOT_CONFIRMED),
        (
            {"signer": "guardian", "guardian_reason": "no_capacity"},
            services.GUARDIAN_RELATIONSHIP_REQUIRED,
        ),
    ],
    ids=[
        "empty-signature",
        "signature-over-1MB",
        "markup",
        "spaces-name",
        "no-questions",
        "guardian",
    ],
)
def test_bad_input_shows_a_clear_message_and_writes_nothing(
    therapist_client, therapist, overrides, message
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    form = services.consent_form_current(clinic=therapist.clinic)

    response = therapist_client.post(
        reverse("consent:sign", args=[patient.pk]), sign_data(form, patient, **overrides)
    )

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_a_form_version_of_another_clinic_is_refused_on_the_page(
    therapist_client, therapist, other_clinic
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    foreign = services.consent_form_current(clinic=other_clinic)

    response = therapist_client.post(
        reverse("consent:sign", args=[patient.pk]), sign_data(foreign, patient)
    )

    assert response.status_code == 200
    assert escape(services.FORM_OTHER_CLINIC) in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_a_minor_cannot_sign_for_themselves_on_the_page(therapist_client, therapist):
    minor = PatientFactory(clinic=therapist.clinic, consent=False, date_of_birth="2016-02-01")
    form = services.consent_form_current(clinic=therapist.clinic)

    response = therapist_client.post(
        reverse("consent:sign", args=[minor.pk]), sign_data(form, minor)
    )

    expected = services.GUARDIAN_REQUIRED_FOR_MINOR.format(age=services.AGE_OF_MAJORITY)
    assert escape(expected) in response.content.decode()
    assert not SignedConsent.objects.exists()


def test_another_clinics_consent_is_not_found(therapist_client, other_clinic):
    foreign = SignedConsentFactory(patient__clinic=other_clinic)

    for name in ("consent:detail", "consent:pdf"):
        assert therapist_client.get(reverse(name, args=[foreign.pk])).status_code == 404
    assert therapist_client.post(reverse("consent:withdraw", args=[foreign.pk])).status_code == 404
    assert not SignedConsent.objects.get().is_withdrawn


def test_withdrawal_from_the_page_is_recorded_with_its_witness(therapist_client, therapist):
    consent = SignedConsentFactory(patient__clinic=therapist.clinic, witness=therapist)

    therapist_client.post(reverse("consent:withdraw", args=[consent.pk]))

    consent.refresh_from_db()
    assert consent.withdrawal_witness == therapist
    entry = LogEntry.objects.get_for_object(consent).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == therapist
    assert "withdrawn_at" in entry.changes_dict


def test_the_pdf_copy_has_the_signed_text_and_is_the_same_each_time(therapist_client, therapist):
    patient = PatientFactory(
        clinic=therapist.clinic, consent=False, first_name="Zoë", last_name="Ångström-Müller"
    )
    consent = sign(patient, therapist, signer_name="Zoë Ångström-Müller")
    url = reverse("consent:pdf", args=[consent.pk])

    first, second = therapist_client.get(url), therapist_client.get(url)

    assert first["Content-Type"] == "application/pdf"
    text = pdf_text(first.content)
    assert text == pdf_text(second.content)
    for expected in ("Zoë Ångström-Müller", consent.text_sha256, "version 1", "19.18%"):
        assert expected in text
    downloads = LogEntry.objects.get_for_object(consent).filter(action=LogEntry.Action.ACCESS)
    assert downloads.count() == 2
    assert downloads.first().additional_data == {"download": services.PDF_DOWNLOADED}


def test_the_pdf_is_rebuilt_from_the_stored_record_alone(therapist):
    consent = sign(PatientFactory(clinic=therapist.clinic, consent=False), therapist)

    services.consent_form_current(clinic=therapist.clinic)
    stored = SignedConsent.objects.get(pk=consent.pk)

    assert services.consent_pdf(stored) == services.consent_pdf(consent)


def test_an_admin_publishes_a_new_version_and_signed_consents_keep_theirs(
    admin_client_, clinic_admin
):
    signed = SignedConsentFactory(patient__clinic=clinic_admin.clinic)
    current = services.consent_form_current(clinic=clinic_admin.clinic)
    body = current.body.replace("# Alternatives", "# Other treatment")

    response = admin_client_.post(
        reverse("consent:form"),
        {"title": "Dry needling consent", "body": body, "requires_reconsent": "on"},
    )

    assert response.status_code == 302
    newest = ConsentForm.objects.for_clinic(clinic_admin.clinic).newest_first().first()
    assert (newest.version, newest.requires_reconsent, newest.published_by) == (
        2,
        True,
        clinic_admin,
    )
    signed.refresh_from_db()
    assert signed.form == current
    assert "# Alternatives" in signed.text


def test_a_form_without_the_training_placeholder_is_not_published(admin_client_, clinic_admin):
    services.consent_form_current(clinic=clinic_admin.clinic)

    response = admin_client_.post(
        reverse("consent:form"), {"title": "Consent", "body": "# Risks\nBruising."}
    )

    assert escape(services.BODY_NEEDS_TRAINING) in response.content.decode()
    assert ConsentForm.objects.count() == 1


def test_signing_withdrawal_and_downloads_are_on_the_patients_audit_trail(
    client, therapist, clinic_admin
):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    consent = sign(patient, therapist)
    client.force_login(therapist)
    client.get(reverse("consent:pdf", args=[consent.pk]))
    client.post(reverse("consent:withdraw", args=[consent.pk]))
    client.force_login(clinic_admin)

    response = client.get(reverse("audit:patient", args=[patient.pk]))

    consent_entries = [
        entry
        for event in response.context["events"]
        for entry in event.entries
        if entry.object_pk == str(consent.pk)
    ]
    assert {entry.action for entry in consent_entries} == {
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.ACCESS,
    }


def test_the_patient_page_shows_the_consent_and_offers_signing_when_none_is_in_force(
    therapist_client, therapist
):
    signed = PatientFactory(clinic=therapist.clinic)
    unsigned = PatientFactory(clinic=therapist.clinic, consent=False)
    withdrawn = sign(PatientFactory(clinic=therapist.clinic, consent=False), therapist)
    services.consent_withdraw(consent=withdrawn, witness=therapist)
    sign_link = reverse("consent:sign", args=[unsigned.pk])

    signed_page = therapist_client.get(signed.get_absolute_url()).content.decode()
    unsigned_page = therapist_client.get(unsigned.get_absolute_url()).content.decode()
    withdrawn_page = therapist_client.get(withdrawn.patient.get_absolute_url()).content.decode()

    assert "Signed</span>" in signed_page
    assert reverse("consent:sign", args=[signed.pk]) not in signed_page
    assert "Not signed</span>" in unsigned_page
    assert sign_link in unsigned_page
    assert "Withdrawn</span>" in withdrawn_page
    assert reverse("consent:pdf", args=[withdrawn.pk]) in withdrawn_page


def test_the_patient_pages_queries_do_not_grow_with_consents(
    therapist_client, therapist, django_assert_max_num_queries
):
    patient = PatientFactory(clinic=therapist.clinic)
    # Cold (nothing cached yet); with no screening in force, one query tells when a screening
    # still running would expire (the cached verdict goes stale then).
    with django_assert_max_num_queries(23) as few:
        therapist_client.get(patient.get_absolute_url())
    for _ in range(4):
        SignedConsentFactory(patient=patient)
    # Written past the services: the page's cached reading of the consents is emptied.
    cache.clear()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = therapist_client.get(patient.get_absolute_url())
    assert len(response.context["consent"].signed) == 5

"""The screening report's consent lines: sessions without a signed consent at the time (must be
0) and the active patients without a consent in force today."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from clinic.formats import shown
from clinic.reports.tables import screening_report
from clinic.reports.tables.screening import (
    CONSENT_INTEGRITY_TITLE,
    EPISODE_CLOSED_ON,
    NEVER_SIGNED,
    RECONSENT_DUE,
    WITHDRAWN_ON,
)
from patients.consent.services import consent_form_current, consent_form_publish
from patients.models import DischargeReason
from tests.builders import at, column, period
from tests.factories import (
    ClinicAdminFactory,
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    SignedConsentFactory,
)

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 3, 31)


def session_of(patient, therapist, started_at, **fields):
    screening = ScreeningFactory(
        patient=patient, therapist=therapist, taken_at=started_at - timedelta(hours=1)
    )
    return NeedlingSessionFactory(screening=screening, started_at=started_at, **fields)


def publish_reconsent(clinic, when, time_machine):
    time_machine.move_to(when)
    body = "# Risks\nBruising.\n\n# Training\n{therapist_training}"
    consent_form_publish(
        clinic=clinic,
        author=ClinicAdminFactory(clinic=clinic),
        title="Consent to dry needling",
        body=body,
        requires_reconsent=True,
    )


@pytest.fixture
def consent_form(clinic, time_machine):
    """The clinic's first consent form, published before the period."""
    time_machine.move_to(at(2024, 12, 1))
    return consent_form_current(clinic=clinic)


def test_sessions_without_a_signed_consent_then_are_listed_and_counted(
    clinic, ann, consent_form, time_machine
):
    never = session_of(PatientFactory(clinic=clinic, consent=False), ann, at(2025, 1, 10))
    signed_later = SignedConsentFactory(patient__clinic=clinic, signed_at=at(2025, 2, 1))
    after_signing = session_of(signed_later.patient, ann, at(2025, 2, 2))
    before_signing = session_of(signed_later.patient, ann, at(2025, 1, 20))
    withdrawn = SignedConsentFactory(
        patient__clinic=clinic,
        signed_at=at(2025, 1, 1),
        withdrawn_at=at(2025, 2, 15),
        withdrawal_witness=ann,
    )
    before_withdrawal = session_of(withdrawn.patient, ann, at(2025, 2, 14))
    after_withdrawal = session_of(withdrawn.patient, ann, at(2025, 2, 16))
    superseded = SignedConsentFactory(patient__clinic=clinic, signed_at=at(2025, 1, 2))
    before_reconsent = session_of(superseded.patient, ann, at(2025, 3, 1))
    publish_reconsent(clinic, at(2025, 3, 2), time_machine)
    after_reconsent = session_of(superseded.patient, ann, at(2025, 3, 3))

    report = screening_report(period(clinic, START, END))

    table = report.table("consent-integrity")
    listed = {cell.url for cell in column(table, "Session")}
    assert listed == {
        s.get_absolute_url() for s in (never, before_signing, after_withdrawal, after_reconsent)
    }
    assert not listed & {
        s.get_absolute_url() for s in (after_signing, before_withdrawal, before_reconsent)
    }
    assert report.alerts[1].level == "danger"
    assert report.alerts[1].text.startswith(f"{CONSENT_INTEGRITY_TITLE}: 4")


def test_sessions_from_before_the_clinics_first_consent_form_are_not_counted(clinic, ann):
    session_of(PatientFactory(clinic=clinic, consent=False), ann, at(2025, 1, 10))
    consent_form_current(clinic=clinic)  # published today, after the session

    report = screening_report(period(clinic, START, END))

    assert report.alerts[1].text == f"{CONSENT_INTEGRITY_TITLE}: 0"


def test_a_consent_signed_in_the_start_minute_covers_the_session_as_the_gate_does(
    clinic, ann, consent_form
):
    consent = SignedConsentFactory(patient__clinic=clinic, signed_at=at(2025, 1, 5, 10, 7, 30))
    session_of(consent.patient, ann, at(2025, 1, 5, 10, 7))

    report = screening_report(period(clinic, START, END))

    assert report.alerts[1].level == "success"
    assert report.alerts[1].text == f"{CONSENT_INTEGRITY_TITLE}: 0"
    assert report.table("consent-integrity").rows == []


def test_active_patients_without_a_current_consent_are_listed_with_the_reason(
    clinic, other_clinic, ann, time_machine
):
    now = timezone.now()
    never = PatientFactory(clinic=clinic, consent=False, last_name="Never")
    withdrawn = SignedConsentFactory(
        patient__clinic=clinic,
        patient__last_name="Withdrawn",
        signed_at=now - timedelta(days=30),
        withdrawn_at=now - timedelta(days=2),
        withdrawal_witness=ann,
    ).patient
    PatientFactory(clinic=clinic, consent=False, archived_at=now)
    PatientFactory(clinic=other_clinic, consent=False)
    signed = PatientFactory(clinic=clinic, last_name="Signed")
    publish_reconsent(clinic, now - timedelta(days=1), time_machine)
    resigned = PatientFactory(clinic=clinic, last_name="Resigned")  # signed the new version
    time_machine.move_to(now)

    table = screening_report(period(clinic, START, END)).table("no-consent")

    names = [cell.text for cell in column(table, "Patient")]
    assert sorted(names) == sorted([never.full_name, withdrawn.full_name, signed.full_name])
    assert resigned.full_name not in names
    reasons = dict(zip(names, column(table, "Consent"), strict=True))
    assert reasons[never.full_name] == NEVER_SIGNED
    assert reasons[withdrawn.full_name].startswith(WITHDRAWN_ON)
    assert reasons[signed.full_name] == RECONSENT_DUE


def test_a_consent_covers_its_episode_until_the_episode_closes(clinic, ann, consent_form):
    """Through the discharge day for that episode's own sessions (recorded before the discharge);
    a session of a later episode needs a consent signed for it."""
    patient = PatientFactory(clinic=clinic, consent=False, episode=False)
    first = EpisodeOfCareFactory(
        patient=patient,
        opened_on=date(2024, 12, 1),
        closed_on=date(2025, 2, 1),
        discharge_reason=DischargeReason.GOALS_MET,
    )
    second = EpisodeOfCareFactory(patient=patient, opened_on=date(2025, 2, 5))
    SignedConsentFactory(patient=patient, episode=first, signed_at=at(2025, 1, 2))
    in_first = session_of(patient, ann, at(2025, 1, 10), episode=first)
    on_discharge_day = session_of(patient, ann, at(2025, 2, 1, 9), episode=first)
    unsigned_second = session_of(patient, ann, at(2025, 2, 10), episode=second)
    SignedConsentFactory(patient=patient, episode=second, signed_at=at(2025, 2, 15))
    signed_second = session_of(patient, ann, at(2025, 2, 20), episode=second)

    report = screening_report(period(clinic, START, END))

    listed = {cell.url for cell in column(report.table("consent-integrity"), "Session")}
    assert listed == {unsigned_second.get_absolute_url()}
    assert not listed & {s.get_absolute_url() for s in (in_first, on_discharge_day, signed_second)}


def test_a_patient_whose_consents_episode_closed_is_listed_with_the_reason(clinic, ann):
    patient = PatientFactory(clinic=clinic, consent=False, episode=False)
    closed = EpisodeOfCareFactory(
        patient=patient,
        opened_on=timezone.localdate() - timedelta(days=90),
        closed_on=timezone.localdate() - timedelta(days=3),
        discharge_reason=DischargeReason.GOALS_MET,
    )
    SignedConsentFactory(patient=patient, episode=closed, signed_at=timezone.now() - timedelta(60))
    EpisodeOfCareFactory(patient=patient, opened_on=timezone.localdate())

    table = screening_report(period(clinic, START, END)).table("no-consent")

    reasons = dict(zip(column(table, "Patient"), column(table, "Consent"), strict=True))
    assert {cell.text: reason for cell, reason in reasons.items()} == {
        patient.full_name: f"{EPISODE_CLOSED_ON} {shown(closed.closed_on)}"
    }

"""Outcome measures by link on a phone-sized Chromium: the patient fills the PSFS and the NDI,
a wrong answer is explained, and the page never scrolls sideways."""

import pytest
from playwright.sync_api import expect

from clinic.outreach.forms import CHECK_ANSWERS
from clinic.outreach.rules import OUTCOMES_SAVED
from clinic.outreach.services.links import link_issue_for_outcomes
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import CollectionMethod, OutcomeAssessment
from tests.factories import PatientFactory, TherapistFactory, open_episode

from .test_patient_link import phone  # noqa: F401 (the phone-sized page fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_patient_fills_their_outcome_measures_on_a_phone(phone, live_server, clinic):  # noqa: F811
    patient = PatientFactory(
        clinic=clinic, first_name="Nora", email="nora@example.org", contact_consent=True
    )
    episode = open_episode(patient)
    token = link_issue_for_outcomes(
        episode=episode,
        actor=TherapistFactory(clinic=clinic),
        timepoint=Timepoint.INTAKE,
        instruments=[Instrument.PSFS, Instrument.NDI],
    ).token

    phone.goto(f"{live_server.url}/p/{token}/")
    expect(phone.get_by_role("heading", name=INSTRUMENTS[Instrument.NDI].name)).to_be_visible()
    assert sideways_scroll(phone) == 0
    phone.get_by_label("Activity 1", exact=True).fill("Climbing stairs")
    phone.get_by_label("Rating (0-10)").first.fill("11")
    for number in range(1, 11):
        phone.get_by_label(f"Item {number}", exact=True).fill("2")
    phone.steps.shot("patient-outcome-measures")
    phone.get_by_role("button", name="Send my answers").click()

    expect(phone.get_by_text(CHECK_ANSWERS)).to_be_visible()
    assert sideways_scroll(phone) == 0
    assert not OutcomeAssessment.objects.exists()
    phone.get_by_label("Rating (0-10)").first.fill("6")
    phone.get_by_role("button", name="Send my answers").click()

    expect(phone.get_by_text(OUTCOMES_SAVED)).to_be_visible()
    scores = dict(OutcomeAssessment.objects.values_list("instrument", "score"))
    assert scores == {Instrument.PSFS: 6, Instrument.NDI: 40}
    assert set(OutcomeAssessment.objects.values_list("method", flat=True)) == {
        CollectionMethod.SELF_REPORT
    }

"""A therapist's day, end to end in Chromium, and the refusal path."""

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from clinic.reports.tables.screening import INTEGRITY_TITLE
from patients.consent.forms import QUESTIONS_LABEL, SIGNER_NAME_LABEL
from patients.models import Patient, ScreeningQuestion
from patients.services import screening_record
from sessions.forms.needling import LUNG_RISK_MARK
from sessions.models import CheckStatus, NeedlingSession, StrengtheningPlan
from tests.factories import TEST_PASSWORD, ClinicAdminFactory, PatientFactory, TherapistFactory

from .consent_pad import sign_with_mouse

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def staff(clinic):
    return {
        "therapist": TherapistFactory(clinic=clinic, username="sam", first_name="Sam"),
        "admin": ClinicAdminFactory(clinic=clinic, username="alex", first_name="Alex"),
    }


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def muscle(page, name: str, side: str, view: str = "back"):
    return page.locator(
        f"[data-body-map] .map-muscle[data-view='{view}'][data-name='{name}'][data-side='{side}']"
    )


def test_therapist_screens_needles_follows_up_and_builds_a_plan(page, live_server, staff):
    base = live_server.url
    sign_in(page, base, "sam")
    expect(page.get_by_role("heading", name="Today's worklist")).to_be_visible()
    page.steps.shot("worklist")

    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("link", name="Register patient").click()
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Date of birth").fill("1984-06-12")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("MRN").fill("E2E-1")
    page.get_by_label("Takes anticoagulant or antiplatelet medication").check()
    page.steps.shot("register-patient")
    page.get_by_role("button", name="Save patient").click()
    expect(page.get_by_text("Registered Nora Quinn.")).to_be_visible()

    page.get_by_role("link", name="New screening").click()
    anticoagulants = page.locator("[data-question]", has_text="Takes anticoagulant")
    anticoagulants.locator("label", has_text="Yes").click()
    for all_no in page.locator("[data-all-no]").all():
        all_no.click()
    page.get_by_label("Justification").fill("Superficial needling only; firm pressure after.")
    page.steps.shot("screening")
    page.get_by_role("button", name="Record screening").click()
    expect(page.get_by_text("Screening recorded: Cleared with precautions.")).to_be_visible()

    page.get_by_role("link", name="Nora Quinn").click()
    page.get_by_role("link", name="New episode of care").click()
    page.get_by_label("Body region").select_option("shoulder")
    page.get_by_label("Complaint").fill("Right shoulder and neck pain at the desk")
    page.get_by_role("button", name="Open episode of care").click()
    expect(page.get_by_text("Episode of care opened")).to_be_visible()

    page.get_by_role("link", name="Nora Quinn").click()
    page.get_by_role("link", name="Consent: sign the form").click()
    sign_with_mouse(page)
    page.get_by_label(QUESTIONS_LABEL).check()
    page.get_by_label(SIGNER_NAME_LABEL).fill("Nora Quinn")
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text("Consent signed by Nora Quinn.")).to_be_visible()

    page.get_by_role("link", name="Nora Quinn").click()
    page.get_by_role("link", name="New needling session").click()
    expect(page.get_by_text("Takes anticoagulant or antiplatelet medication")).to_be_visible()
    page.get_by_label("Consent method").select_option("verbal")
    page.get_by_label("Pain before (NPRS 0-10)").fill("7")
    page.get_by_label("Informed consent obtained").check()
    page.get_by_label("Patient confirms health and medication unchanged").check()
    muscle(page, "Upper trapezius", "right").click()
    first_muscle = page.locator("#id_sites-0-muscle")
    expect(first_muscle.locator("option[data-region='thigh']").first).to_be_hidden()
    expect(first_muscle.locator("option:checked")).to_have_text(f"Upper trapezius{LUNG_RISK_MARK}")
    expect(page.locator("#id_sites-0-side")).to_have_value("right")
    page.locator("#id_sites-0-lung_risk_acknowledged").check()
    # Every row is filled in: choosing another muscle adds a row for it.
    muscle(page, "Hamstrings", "left").press("Enter")
    expect(page.locator("#id_sites-1-muscle option:checked")).to_have_text("Hamstrings")
    expect(page.locator("#id_sites-1-side")).to_have_value("left")
    page.get_by_label("Pain after (NPRS 0-10)").fill("4")
    page.get_by_label("Clean technique used").check()
    page.get_by_label("Sharps disposed of safely").check()
    page.get_by_label("Needles used").fill("4")
    page.get_by_label("Needles removed and disposed").fill("4")
    page.steps.shot("session-form")
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_text("Session signed.")).to_be_visible()
    page.steps.shot("session-note")
    session = NeedlingSession.objects.get(patient__mrn="E2E-1")
    assert [str(site) for site in session.sites.order_by("pk")] == [
        "Upper trapezius (right)",
        "Hamstrings (left)",
    ]

    with time_machine.travel(timezone.now() + timedelta(hours=24)):
        sign_in(page, base, "sam")
        card = page.locator(".card", has_text="Nora Quinn")
        # The row shows the check; its form opens on demand.
        expect(card.get_by_label("Method")).to_have_count(0)
        card.get_by_role("link", name="Record follow-up").click()
        card.get_by_label("Method").select_option("phone")
        card.get_by_label("Soreness (NPRS 0-10)").fill("3")
        # The upper trapezius is a lung-risk site: the 24 h check asks the warning signs.
        for question in card.get_by_role("radiogroup").all():
            question.get_by_label("No").check()
        page.steps.shot("worklist-follow-up")
        card.get_by_role("button", name="Record follow-up").click()
        expect(card.get_by_text("Recorded: soreness 3/10")).to_be_visible()
        assert session.checks.get(hours_after=24).status == CheckStatus.DONE

        page.goto(f"{base}/patients/{session.patient_id}/")
        expect(page.get_by_role("img", name=re.compile("Pain"))).to_be_visible()
        page.steps.shot("patient")
        page.goto(f"{base}{session.get_absolute_url()}")
        page.get_by_role("link", name="Build strengthening plan").click()
        page.get_by_label("Goal").fill("Carry the shopping without neck pain.")
        page.locator("#suggestions").get_by_role("button", name="Add").first.click()
        expect(page.locator(".plan-item")).to_have_count(1)
        page.steps.shot("plan-form")
        page.get_by_role("button", name="Save plan").click()
        expect(page.get_by_text("Strengthening plan saved.")).to_be_visible()
        page.steps.shot("plan")
        page.get_by_role("link", name=re.compile("handout", re.I)).first.click()
        expect(page.get_by_text("Nora Quinn").first).to_be_visible()
        page.steps.shot("handout")
    assert StrengtheningPlan.objects.filter(patient__mrn="E2E-1").exists()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "alex")
    expect(page.get_by_role("heading", name=re.compile("dashboard"))).to_be_visible()
    page.steps.shot("dashboard")
    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page.get_by_text(f"{INTEGRITY_TITLE}: 0")).to_be_visible()
    page.steps.shot("screening-report")
    with page.expect_download() as download:
        page.locator("section[aria-labelledby='table-outcomes']").get_by_role(
            "link", name="Export CSV"
        ).click()
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert rows[0] == ["Outcome", "Screenings", "Share (%)"]
    assert ["Cleared with precautions", "1"] in [row[:2] for row in rows]


def test_absolute_contraindication_blocks_the_session_form(page, live_server, staff, clinic):
    patient = PatientFactory(clinic=clinic, first_name="Ivan", last_name="Petrov")
    questions = ScreeningQuestion.objects.active()
    screening_record(
        patient=patient,
        therapist=staff["therapist"],
        answers={q.pk: q.code == "needle-phobia" for q in questions},
    )
    sign_in(page, live_server.url, "sam")

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(page.get_by_text("Not cleared").first).to_be_visible()
    expect(page.get_by_role("link", name="New needling session")).to_have_count(0)
    page.goto(f"{live_server.url}/sessions/patients/{patient.pk}/new/")

    expect(page.get_by_role("heading", name="Needling cannot be recorded")).to_be_visible()
    expect(page.get_by_text("absolute contraindication")).to_be_visible()
    expect(page.get_by_role("button", name="Save and sign")).to_have_count(0)
    page.steps.shot("refused")
    assert not NeedlingSession.objects.filter(patient=patient).exists()
    assert Patient.objects.filter(pk=patient.pk).exists()

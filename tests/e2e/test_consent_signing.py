"""Signing the consent form on the pad in Chromium: with a mouse, and by touch on a tablet."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from patients.consent.forms import QUESTIONS_LABEL, SIGNER_NAME_LABEL
from patients.consent.models import SignedConsent
from patients.consent.signature import SIGNATURE_EMPTY
from tests.factories import PatientFactory, TherapistFactory

from .consent_pad import sign_with_mouse, sign_with_touch
from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PATIENT_NAME = "Zoë Ångström-Müller"
TABLET = {"width": 768, "height": 1024}


@pytest.fixture
def patient(clinic):
    TherapistFactory(clinic=clinic, username="sam", first_name="Sam", last_name="Okafor")
    return PatientFactory(
        clinic=clinic, first_name="Zoë", last_name="Ångström-Müller", consent=False
    )


def open_consent_form(page, base: str, patient) -> None:
    sign_in(page, base, "sam")
    page.goto(f"{base}{patient.get_absolute_url()}")
    page.get_by_role("link", name="Consent: sign the form").click()
    expect(page.get_by_role("heading", name="Consent to dry needling")).to_be_visible()


def finish_signing(page) -> None:
    expect(page.locator("#id_signature")).not_to_have_value("")
    page.get_by_label(QUESTIONS_LABEL).check()
    page.get_by_label(SIGNER_NAME_LABEL).fill(PATIENT_NAME)
    page.steps.shot("consent-form")
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text(f"Consent signed by {PATIENT_NAME}.")).to_be_visible()


def download_pdf(page, base: str) -> bytes:
    href = page.get_by_role("link", name="PDF copy for the patient").get_attribute("href")
    response = page.context.request.get(f"{base}{href}")
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def save_first_page(content: bytes, tmp_path: Path) -> None:
    """For `make screenshots`: the PDF's first page as a PNG, when poppler's pdftoppm is here."""
    target, pdftoppm = os.environ.get("NEEDLETRACK_SCREENSHOTS"), shutil.which("pdftoppm")
    if target and pdftoppm:
        document = tmp_path / "consent.pdf"
        document.write_bytes(content)
        output = str(Path(target) / "consent-pdf")
        command = [pdftoppm, "-png", "-r", "60", "-singlefile", str(document), output]
        subprocess.run(command, check=True)


def test_the_patient_signs_with_the_mouse(page, live_server, patient):
    open_consent_form(page, live_server.url, patient)
    page.get_by_role("button", name="Sign the consent").click()
    expect(page.get_by_text(SIGNATURE_EMPTY, exact=True)).to_be_visible()
    assert not SignedConsent.objects.exists()

    sign_with_mouse(page)
    finish_signing(page)

    consent = SignedConsent.objects.get()
    assert consent.signature.count("L") >= 20
    assert PATIENT_NAME in pdf_text(download_pdf(page, live_server.url))


def test_the_patient_signs_by_touch_on_a_tablet_and_gets_the_pdf(
    page, live_server, patient, tmp_path
):
    page.set_viewport_size(TABLET)
    open_consent_form(page, live_server.url, patient)

    sign_with_touch(page)
    finish_signing(page)
    page.steps.shot("signed-consent")

    consent = SignedConsent.objects.get()
    document = download_pdf(page, live_server.url)
    text = pdf_text(document)
    for expected in (PATIENT_NAME, consent.text_sha256, QUESTIONS_LABEL):
        assert expected in text
    assert text == pdf_text(download_pdf(page, live_server.url))
    save_first_page(document, tmp_path)

"""A create form is sent once: after the first click its submit button is disabled, so a second
click sends nothing, and the form still submits and saves one record."""

import pytest
from playwright.sync_api import expect

from patients.models import Patient
from tests.factories import TherapistFactory

from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs once the page's own submit handling has run (its listener was added first): notes
# whether the button is disabled then, and clicks it a second time, as a double click does.
CLICK_AGAIN = """() => document.addEventListener("submit", () => setTimeout(() => {
  const button = document.querySelector("#submit-id-submit");
  sessionStorage.setItem("disabledAfterFirstClick", String(button.disabled));
  button.click();
}))"""


def test_the_submit_button_is_disabled_after_the_first_click(page, live_server, clinic):
    TherapistFactory(clinic=clinic, username="sam")
    base = live_server.url
    sign_in(page, base, "sam")
    page.goto(f"{base}/patients/new/")
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Date of birth").fill("1984-06-12")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("MRN").fill("E2E-2")
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    page.evaluate(CLICK_AGAIN)

    page.get_by_role("button", name="Save patient").click()

    expect(page.get_by_text("Registered Nora Quinn.")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('disabledAfterFirstClick')") == "true"
    assert len(posts) == 1
    assert Patient.objects.filter(mrn="E2E-2").count() == 1

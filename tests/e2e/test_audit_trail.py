"""The audit trail in a real browser, at desktop and phone widths: one entry per clinical event,
filters that narrow it, a clear message for a bad date, and no sideways scroll."""

from collections import defaultdict

import pytest
from auditlog.context import set_actor
from playwright.sync_api import expect

from clinic.audit import access
from clinic.audit.events import audit_event
from clinic.audit.readable import OPENED_PAGE
from clinic.lib.form_errors import SUMMARY_TITLE
from patients.models import ScreeningQuestion
from patients.services import screening_record
from tests.builders import answers_with
from tests.factories import ClinicAdminFactory, PatientFactory, TherapistFactory

from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": 1366, "phone": 390}


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_trail_reads_one_entry_per_event_and_filters(page, live_server, clinic, width):
    therapist = TherapistFactory(
        clinic=clinic, username="sam", first_name="Sam", last_name="Okafor"
    )
    ClinicAdminFactory(clinic=clinic, username="alex")
    patient = PatientFactory(clinic=clinic, first_name="Eva", last_name="Lind")
    by_class = defaultdict(list)
    for question in ScreeningQuestion.objects.active():
        by_class[question.category].append(question)
    with audit_event(), set_actor(therapist):  # as the screening form's request records it
        screening = screening_record(
            patient=patient, therapist=therapist, answers=answers_with(by_class)
        )
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}{patient.get_absolute_url()}")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "alex")

    url = f"{live_server.url}/audit/patients/{patient.pk}/"
    page.goto(url)
    event = page.locator(".audit-event", has_text="Screening created")
    expect(event).to_have_count(1)
    expect(event.get_by_text("By Sam Okafor")).to_be_visible()
    answers = event.locator("summary", has_text="screening answers created")
    expect(answers).to_have_text(f"{screening.answers.count()} screening answers created")
    assert sideways_scroll(page) == 0
    page.steps.shot(f"audit-trail-{width}")
    answers.click()
    expect(event.locator("details .audit-part").first).to_be_visible()
    assert sideways_scroll(page) == 0

    page.get_by_label("Kind of record").select_option(label="Chart reads and exports")
    page.get_by_label("Who").select_option(label="Sam Okafor")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".audit-event")).to_have_count(1)
    expect(page.locator(".audit-event h2")).to_have_text(
        OPENED_PAGE.format(page=access.PATIENT_PAGE)
    )
    assert sideways_scroll(page) == 0
    page.steps.shot(f"audit-trail-filtered-{width}")

    page.goto(f"{url}?start=2026-02-30")
    expect(page.get_by_text(SUMMARY_TITLE)).to_be_visible()
    expect(page.locator(".audit-event")).to_have_count(0)
    assert sideways_scroll(page) == 0

"""A clinician's pass over the screens, at desktop and phone widths: honest statuses, errors
you cannot miss, only what you may do, and no page that scrolls sideways on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.accounts.models import User
from clinic.demo.builder import build_demo
from clinic.demo.data import DEMO_PASSWORD
from clinic.formats import shown
from clinic.lib.form_errors import SUMMARY_TITLE
from sessions.models import CheckStatus, NeedlingSession, SorenessCheck
from sessions.rules.followup import WARNING_SIGNS_ASKED
from sessions.services.gate import SCREENING_EXPIRED
from sessions.services.needling import NOT_YOUR_SESSION
from tests.factories import (
    ClinicAdminFactory,
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    SorenessCheckFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)
from tests.urlwalk import fill, project_routes

from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": 1366, "phone": 390}
# The pages kept in docs/screenshots at phone width by the walk below.
SHOWN_AT_PHONE_WIDTH = {
    "patients:detail",
    "treatment_sessions:detail",
    "treatment_sessions:create",
    "audit:patient",
    "accounts:staff_list",
    "reports:dashboard",
}


@pytest.fixture
def staff(clinic):
    return {
        "therapist": TherapistFactory(clinic=clinic, username="sam", first_name="Sam"),
        "admin": ClinicAdminFactory(clinic=clinic, username="alex", first_name="Alex"),
    }


# The checklist page measured 3936 px tall at 1280 px wide before it became a grid.
SCREENING_PAGE_HEIGHT_BEFORE = 3936


@pytest.fixture(params=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return request.param


def expired_screening(clinic):
    patient = PatientFactory(clinic=clinic, first_name="Eva", last_name="Lind")
    taken = timezone.now() - timedelta(days=60)
    return ScreeningFactory(patient=patient, taken_at=taken, valid_until=taken + timedelta(30))


def test_an_expired_screening_leads_and_only_a_new_screening_is_offered(
    page, live_server, staff, clinic, width
):
    screening = expired_screening(clinic)
    patient = screening.patient
    sign_in(page, live_server.url, "sam")

    page.goto(f"{live_server.url}/patients/")
    row = page.locator("tr", has_text="Lind, Eva")
    expect(row.get_by_text("Expired: screen again")).to_be_visible()
    expect(row.get_by_text("✓ Cleared")).to_have_count(0)
    page.steps.shot(f"patient-list-{width}")

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    refusal = SCREENING_EXPIRED.format(
        taken=shown(timezone.localdate(screening.taken_at)),
        expired=shown(timezone.localdate(screening.valid_until)),
    )
    expect(page.locator("[data-needling-refusal]")).to_contain_text(refusal)
    expect(page.get_by_role("link", name="New needling session")).to_have_count(0)
    new_screening = page.get_by_role("link", name="New screening")
    expect(new_screening).to_have_class("btn btn-primary")
    page.steps.shot(f"patient-expired-{width}")


def test_errors_are_summarised_focused_and_linked_to_their_field(
    page, live_server, staff, clinic, width
):
    patient = PatientFactory(clinic=clinic)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/patients/{patient.pk}/screenings/new/")
    if width == "desktop":
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= SCREENING_PAGE_HEIGHT_BEFORE / 2, height
    page.steps.shot(f"screening-{width}")

    page.get_by_role("button", name="Record screening").click()

    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading", name=SUMMARY_TITLE)).to_be_visible()
    expect(summary).to_be_focused()
    page.steps.shot(f"error-summary-{width}")
    first = summary.get_by_role("link").first
    target = first.get_attribute("href")[1:]
    first.click()
    assert page.evaluate("document.activeElement.id") == target


def test_a_colleague_opening_a_draft_gets_the_refusal_not_the_form(
    page, live_server, staff, clinic, width
):
    draft = NeedlingSessionFactory(screening__patient__clinic=clinic, signed=False)
    sign_in(page, live_server.url, "sam")

    page.goto(f"{live_server.url}/sessions/{draft.pk}/edit/")

    expect(page.get_by_text(NOT_YOUR_SESSION)).to_be_visible()
    expect(page.get_by_role("button", name="Save and sign")).to_have_count(0)
    assert NeedlingSession.objects.get(pk=draft.pk).therapist != staff["therapist"]


def demo_objects(clinic) -> dict[str, dict[str, int]]:
    """URL arguments pointing at the demo's richest records, by the kind of object a route takes
    (the kinds of the access matrix); kinds the demo lacks are made by its factories."""
    session = NeedlingSession.objects.filter(patient__clinic=clinic).order_by("-started_at")[0]
    patient = session.patient
    found = {
        "patient_pk": {"pk": patient.pk},
        "session_patient_pk": {"patient_pk": patient.pk},
        "screening_pk": {"pk": session.screening_id},
        "session_pk": {"pk": session.pk},
        "staff_pk": {"pk": User.objects.get(clinic=clinic, username="therapist2").pk},
    }
    check = SorenessCheck.objects.filter(clinic=clinic, status=CheckStatus.SCHEDULED).first()
    if check is not None:
        found["soreness_check_pk"] = {"pk": check.pk}
    plan = patient.strengthening_plans.first()
    if plan is not None:
        found["plan_pk"] = {"pk": plan.pk}
        found["plan_item_pk"] = {"pk": plan.items.first().pk}
    return found


def phone_pages(clinic) -> list[tuple[str, str]]:
    from tests.test_access_matrix import ROUTE_OBJECTS

    objects = demo_objects(clinic)
    urls = []
    for route in project_routes():
        if route.name in {"logout", "healthz"} or route.name.startswith("admin"):
            continue
        values = {}
        if route.kwarg_names:
            make = ROUTE_OBJECTS.get(route.name)
            if make is None:
                continue
            values = objects.get(make.__name__) or make(clinic)
        urls.append((route.name, fill(route, **values)))
    return urls


@pytest.mark.parametrize("username", ["therapist", "admin"])
def test_no_page_a_demo_user_opens_scrolls_sideways_at_phone_width(page, live_server, username):
    clinic = build_demo(patients=6).clinic
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    overflowing, opened = {}, 0
    for name, url in phone_pages(clinic):
        probe = page.request.get(f"{live_server.url}{url}", max_redirects=0)
        if probe.status != 200 or not probe.headers["content-type"].startswith("text/html"):
            continue
        page.goto(f"{live_server.url}{url}")
        opened += 1
        extra = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if name in SHOWN_AT_PHONE_WIDTH:
            page.steps.shot(f"phone-{name.replace(':', '-').replace('_', '-')}")
        if extra > 0:
            overflowing[url] = extra
            page.steps.shot(f"overflow-{username}-{url.strip('/').replace('/', '-')}")
    assert opened >= 10
    assert overflowing == {}


def test_a_name_typed_without_accents_or_capitals_finds_the_patient(
    page, live_server, staff, clinic, width
):
    PatientFactory(clinic=clinic, first_name="Zoë", last_name="Ångström")
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/patients/")

    for query in ["ångström", "ZOË", "zoe"]:
        page.get_by_label("Name or MRN").fill(query)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name="Ångström, Zoë")).to_be_visible()
    page.steps.shot(f"patient-search-{width}")


# The smallest label a therapist should have to read on the pain chart, in CSS pixels.
SMALLEST_READABLE_LABEL = 10


def test_pain_chart_labels_stay_readable(page, live_server, width):
    clinic = build_demo(patients=3).clinic
    patient = NeedlingSession.objects.filter(patient__clinic=clinic).first().patient
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("therapist")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/patients/{patient.pk}/")

    heights = page.locator(".pain-chart-svg text").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().height)"
    )
    assert heights
    assert min(heights) >= SMALLEST_READABLE_LABEL, heights
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


# Touch targets on a tablet beside the plinth, in CSS pixels (WCAG 2.5.5 asks for 44).
TOUCH_TARGET = 44


@pytest.mark.parametrize("tablet", [768, 1024])
def test_the_session_form_is_comfortable_on_a_tablet(page, live_server, staff, clinic, tablet):
    patient = PatientFactory(clinic=clinic)
    ScreeningFactory(patient=patient, therapist=staff["therapist"])
    page.set_viewport_size({"width": tablet, "height": 1000})
    sign_in(page, live_server.url, "sam")

    page.goto(f"{live_server.url}/sessions/patients/{patient.pk}/new/")

    page.steps.shot(f"session-form-{tablet}")
    controls = page.locator("main form").locator("input:visible, select:visible, button:visible")
    small = controls.evaluate_all(
        f"""controls => controls
            .map(c => [c.name || c.textContent.trim(), c.closest('.form-check') || c])
            .map(([name, target]) => [name, target.getBoundingClientRect().height])
            .filter(([, height]) => height < {TOUCH_TARGET})"""
    )
    assert small == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_follow_up_is_recorded_from_its_worklist_row(page, live_server, staff, clinic, width):
    session = NeedlingSessionFactory(
        screening__patient=PatientFactory(clinic=clinic, first_name="Lena", last_name="Lung"),
        started_at=timezone.now() - timedelta(hours=24),
    )
    TriggerPointSiteFactory.create_batch(2, session=session)
    check = SorenessCheckFactory(session=session, asks_warning_signs=True)
    sign_in(page, live_server.url, "sam")

    card = page.locator(".card", has_text="Lena")
    expect(card.get_by_text(WARNING_SIGNS_ASKED)).to_be_visible()
    expect(card.get_by_label("Soreness (NPRS 0-10)")).to_have_count(0)
    card.get_by_role("link", name="Record follow-up").click()
    expect(card.get_by_label("Method")).to_be_focused()
    card.get_by_label("Method").select_option("phone")
    card.get_by_label("Soreness (NPRS 0-10)").fill("2")
    for question in card.get_by_role("radiogroup").all():
        question.get_by_label("No").check()
    assert sideways_scroll(page) == 0
    page.steps.shot(f"worklist-follow-up-{width}")
    card.get_by_role("button", name="Record follow-up").click()

    expect(card.get_by_text("Recorded: soreness 2/10")).to_be_visible()
    check.refresh_from_db()
    assert (check.status, check.soreness) == (CheckStatus.DONE, 2)

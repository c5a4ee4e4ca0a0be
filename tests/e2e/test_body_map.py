"""The anatomical body map in Chromium, at desktop and phone widths: every muscle left and
right and each one reachable by mouse and keyboard, avoid-regions refused, the muscle list
readable in full and searchable by typing, counts on the note and the patient page, printing."""

import pytest
from playwright.sync_api import expect

from patients.models import BodyRegion, Side
from sessions.forms.needling import LUNG_RISK_MARK
from sessions.models import Muscle
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": 1366, "phone": 390}


@pytest.fixture(params=list(WIDTHS))
def width(request, page):
    page.set_viewport_size({"width": WIDTHS[request.param], "height": 900})
    return request.param


@pytest.fixture
def therapist(clinic):
    return TherapistFactory(clinic=clinic, username="sam", first_name="Sam")


def shape(page, name: str, side: str, view: str):
    return page.locator(
        f".body-map .map-muscle[data-name='{name}'][data-side='{side}'][data-view='{view}']"
    )


# Each shape scrolled into view: is a point of its fill on top, where a click lands on it?
UNREACHABLE_SHAPES = """groups => groups.filter(group => {
    group.scrollIntoView({block: "center", behavior: "instant"});
    const path = group.querySelector("path");
    const box = path.getBBox();
    const matrix = path.getScreenCTM();
    for (let i = 1; i < 8; i++) {
        for (let j = 1; j < 8; j++) {
            const point = new DOMPoint(box.x + box.width * i / 8, box.y + box.height * j / 8);
            if (!path.isPointInFill(point)) continue;
            const screen = point.matrixTransform(matrix);
            const hit = document.elementFromPoint(screen.x, screen.y);
            if (hit && hit.closest(".map-muscle") === group) return false;
        }
    }
    return true;
}).map(group => group.getAttribute("aria-label"))"""

# Options whose text does not fit in the closed list, measured in the list's own font.
CUT_OPTIONS = """select => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight);
    return [...select.options].filter(o => context.measureText(o.text).width > room)
        .map(o => o.text);
}"""


LISTED_REGIONS = """select => [...new Set([...select.options]
    .filter(o => o.value && !o.hidden).map(o => o.dataset.region))]"""


def test_session_form_map_has_every_muscle_reachable_and_refuses_avoid_regions(
    page, live_server, clinic, therapist, width
):
    patient = PatientFactory(clinic=clinic)
    screening = ScreeningFactory(patient=patient, therapist=therapist)
    screening.avoid_regions.create(region=BodyRegion.LEG, side=Side.LEFT)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/sessions/patients/{patient.pk}/new/")

    for name in Muscle.objects.active().values_list("name", flat=True):
        for side in (Side.LEFT, Side.RIGHT):
            expect(
                page.locator(f".map-muscle[data-name='{name}'][data-side='{side}']")
            ).not_to_have_count(0)
    unreachable = page.locator("[data-body-map] .map-muscle").evaluate_all(UNREACHABLE_SHAPES)
    assert unreachable == []
    page.evaluate("window.scrollTo(0, 0)")

    upper_trapezius = shape(page, "Upper trapezius", Side.RIGHT, "back")
    assert upper_trapezius.locator("path").get_attribute("stroke-dasharray")
    upper_trapezius.click()
    muscle = page.locator("#id_sites-0-muscle")
    expect(muscle.locator("option:checked")).to_have_text(f"Upper trapezius{LUNG_RISK_MARK}")
    expect(page.locator("#id_sites-0-side")).to_have_value(Side.RIGHT)
    assert muscle.evaluate(LISTED_REGIONS) == [BodyRegion.SHOULDER]
    page.steps.shot(f"body-map-{width}")

    calf = shape(page, "Gastrocnemius", Side.LEFT, "back")
    assert calf.locator("path").get_attribute("fill") == "url(#avoid-hatch)"
    calf.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#body-map-status")).to_contain_text("Gastrocnemius (left)")
    expect(page.locator("#body-map-status")).to_contain_text("avoid")
    expect(page.locator("#id_sites-1-muscle")).to_have_count(0)

    shape(page, "Tibialis anterior", Side.RIGHT, "front").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_sites-1-muscle option:checked")).to_have_text("Tibialis anterior")
    expect(page.locator("#id_sites-1-side")).to_have_value(Side.RIGHT)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_the_muscle_list_shows_full_names_and_finds_a_muscle_by_typing(
    page, live_server, clinic, therapist, width
):
    patient = PatientFactory(clinic=clinic)
    ScreeningFactory(patient=patient, therapist=therapist)
    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/sessions/patients/{patient.pk}/new/")
    muscle = page.locator("#id_sites-0-muscle")

    assert muscle.evaluate(CUT_OPTIONS) == []
    expect(muscle.locator("optgroup[label='Shoulder']")).to_contain_text("Upper trapezius")

    search = page.get_by_label("Find a muscle: Site 1")
    search.fill("TRAP")
    visible = muscle.evaluate(
        "select => [...select.options].filter(o => o.value && !o.hidden).map(o => o.text)"
    )
    assert sorted(visible) == [
        f"Lower trapezius{LUNG_RISK_MARK}",
        f"Middle trapezius{LUNG_RISK_MARK}",
        f"Upper trapezius{LUNG_RISK_MARK}",
    ]
    search.fill("gastroc")
    expect(muscle.locator("option:checked")).to_have_text("Gastrocnemius")
    page.steps.shot(f"muscle-search-{width}")
    page.get_by_role("button", name="Show all muscles").click()
    expect(search).to_have_value("")
    assert len(muscle.evaluate(LISTED_REGIONS)) == len(BodyRegion) - 1  # no foot muscle yet


def test_note_and_patient_page_count_sites_per_muscle_and_region_and_print(
    page, live_server, clinic, therapist, width
):
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic, screening__therapist=therapist
    )
    for name, side in [
        ("Upper trapezius", Side.RIGHT),
        ("Levator scapulae", Side.RIGHT),
        ("Quadratus lumborum", Side.BILATERAL),
    ]:
        TriggerPointSiteFactory(session=session, muscle=Muscle.objects.get(name=name), side=side)
    sign_in(page, live_server.url, "sam")

    for url in [session.get_absolute_url(), f"/patients/{session.patient_id}/"]:
        page.goto(f"{live_server.url}{url}")
        quadratus = shape(page, "Quadratus lumborum", Side.LEFT, "back")
        expect(quadratus).to_have_attribute(
            "aria-label", "Back: Quadratus lumborum (left), 1 site needled"
        )
        expect(quadratus.locator("text")).to_have_text("1")
        regions = page.locator(".body-map-regions")
        expect(regions).to_contain_text("Head/neck (right) 1")
        expect(regions).to_contain_text("Shoulder (right) 1")
        expect(regions).to_contain_text("Lumbar (right) 1")
        expect(regions).to_contain_text("Lumbar (left) 1")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.steps.shot(f"body-map-note-{width}")

    page.emulate_media(media="print")
    figure = page.locator("figure.body-map")
    expect(figure).to_be_visible()
    assert figure.bounding_box()["height"] > 200
    page.steps.shot(f"body-map-print-{width}")

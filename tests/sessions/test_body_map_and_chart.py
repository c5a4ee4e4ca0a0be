from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from patients.models import AvoidRegion, BodyRegion, Side
from sessions.figures.bodymap import CatalogueMuscle, body_map, site_counts
from sessions.figures.pain_chart import pain_chart
from sessions.forms.needling import LUNG_RISK_MARK
from tests.factories import (
    MuscleFactory,
    NeedlingSessionFactory,
    ScreeningFactory,
    TriggerPointSiteFactory,
)

DELTOID = CatalogueMuscle(pk=1, name="Deltoid", region=BodyRegion.SHOULDER, lung_risk=False)
PEC = CatalogueMuscle(pk=2, name="Pectoralis major", region=BodyRegion.CHEST, lung_risk=True)
HAMSTRINGS = CatalogueMuscle(pk=3, name="Hamstrings", region=BodyRegion.THIGH, lung_risk=False)


def shape(body, view, name, side):
    return next(s for s in body.shapes if (s.view, s.name, s.side) == (view, name, side))


def test_bilateral_sites_count_on_both_sides_of_the_muscle_and_its_region():
    counts = site_counts(
        [
            ("Quadratus lumborum", BodyRegion.LUMBAR, Side.BILATERAL, 1),
            ("Quadratus lumborum", BodyRegion.LUMBAR, Side.LEFT, 2),
            ("Lumbar multifidus", BodyRegion.LUMBAR, Side.LEFT, 1),
        ]
    )

    assert counts.muscles[("Quadratus lumborum", Side.LEFT)] == 3
    assert counts.muscles[("Quadratus lumborum", Side.RIGHT)] == 1
    assert counts.regions[(BodyRegion.LUMBAR, Side.LEFT)] == 4


def test_front_view_shows_the_patients_right_on_the_viewers_left():
    body = body_map(muscles=[DELTOID])

    assert shape(body, "front", "Deltoid", Side.RIGHT).centre < (
        shape(body, "front", "Deltoid", Side.LEFT).centre
    )
    assert shape(body, "back", "Deltoid", Side.LEFT).centre < (
        shape(body, "back", "Deltoid", Side.RIGHT).centre
    )


def test_map_marks_sites_lung_risk_and_avoid_regions_on_the_muscles():
    body = body_map(
        muscles=[PEC, HAMSTRINGS],
        counts=site_counts([(PEC.name, PEC.region, Side.LEFT, 2)]),
        avoid_regions=[AvoidRegion(region=BodyRegion.THIGH, side=Side.RIGHT)],
    )

    assert shape(body, "front", PEC.name, Side.LEFT).description == (
        "Pectoralis major (left), 2 sites needled, lung risk"
    )
    hamstrings = shape(body, "back", HAMSTRINGS.name, Side.RIGHT)
    assert hamstrings.blocked
    assert "avoid: thigh blocked by the screening" in hamstrings.description
    assert not shape(body, "back", HAMSTRINGS.name, Side.LEFT).blocked
    assert [(m.label, m.sites) for m in body.needled] == [("Chest (left)", 2)]
    assert [m.label for m in body.avoid] == ["Thigh (right)"]


def test_a_muscle_without_a_shape_is_still_counted_in_its_region():
    unknown = CatalogueMuscle(
        pk=9, name="Flexor hallucis longus", region=BodyRegion.LEG, lung_risk=False
    )

    body = body_map(
        muscles=[unknown, HAMSTRINGS],
        counts=site_counts([(unknown.name, unknown.region, Side.RIGHT, 1)]),
    )

    assert {s.name for s in body.shapes} == {HAMSTRINGS.name}
    assert [(m.label, m.sites) for m in body.needled] == [("Leg (right)", 1)]


def test_a_retired_muscle_is_drawn_only_where_it_was_needled():
    retired = CatalogueMuscle(
        pk=4, name="Soleus", region=BodyRegion.LEG, lung_risk=False, active=False
    )

    assert not body_map(muscles=[retired]).shapes
    needled = body_map(
        muscles=[retired], counts=site_counts([(retired.name, retired.region, Side.LEFT, 1)])
    )
    assert shape(needled, "back", "Soleus", Side.LEFT).sites == 1


def test_pain_chart_places_points_in_time_and_scale():
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    chart = pain_chart(
        sessions=[(start, 8, 5), (start + timedelta(days=10), 6, None)],
        followups=[(start + timedelta(days=1), 3)],
    )

    first, second = chart.before
    assert first.x == chart.left
    assert second.x == chart.right_edge
    assert first.y < second.y
    assert [p.value for p in chart.after] == [5]
    assert chart.soreness[0].value == 3
    assert chart.mcid_target == 6
    assert pain_chart(sessions=[]) is None


@pytest.mark.django_db
def test_session_form_lists_full_muscle_names_under_their_region(therapist_client, therapist):
    screening = ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist)

    body = therapist_client.get(
        reverse("treatment_sessions:create", args=[screening.patient.pk])
    ).content.decode()

    assert 'data-name="Upper trapezius" data-view="back" data-side="left"' in body
    shoulder = body[body.index('<optgroup label="Shoulder">') :]
    shoulder = shoulder[: shoulder.index("</optgroup>")]
    assert f'data-region="shoulder">Upper trapezius{LUNG_RISK_MARK}</option>' in shoulder
    assert ">Deltoid</option>" in shoulder
    assert "js/bodymap.js" in body


@pytest.mark.django_db
def test_session_form_marks_the_muscles_of_an_avoid_region_blocked(therapist_client, therapist):
    screening = ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist)
    screening.avoid_regions.create(region=BodyRegion.LEG, side=Side.LEFT)

    body = therapist_client.get(
        reverse("treatment_sessions:create", args=[screening.patient.pk])
    ).content.decode()

    assert 'aria-label="Back: Gastrocnemius (left), avoid: leg blocked by the screening"' in body
    assert "Avoid (screening): <span" in body


@pytest.mark.django_db
def test_session_page_marks_the_needled_muscle_and_counts_its_region(therapist_client, therapist):
    session = NeedlingSessionFactory(
        screening__patient__clinic=therapist.clinic, screening__therapist=therapist
    )
    TriggerPointSiteFactory(session=session, side=Side.RIGHT)

    body = therapist_client.get(session.get_absolute_url()).content.decode()

    assert 'aria-label="Back: Gluteus medius (right), 1 site needled"' in body
    assert "Pelvis/hip (right) 1</span>" in body


@pytest.mark.django_db
def test_a_catalogue_muscle_without_a_shape_still_shows_in_its_region(therapist_client, therapist):
    session = NeedlingSessionFactory(
        screening__patient__clinic=therapist.clinic, screening__therapist=therapist
    )
    muscle = MuscleFactory(name="Flexor hallucis longus", region=BodyRegion.LEG)
    TriggerPointSiteFactory(session=session, muscle=muscle, side=Side.LEFT)

    body = therapist_client.get(session.get_absolute_url()).content.decode()

    assert 'data-name="Flexor hallucis longus"' not in body
    assert "Leg (left) 1</span>" in body

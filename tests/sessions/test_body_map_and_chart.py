from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from patients.models import AvoidRegion, BodyRegion, Side
from sessions.figures.bodymap import body_map, site_counts
from sessions.figures.pain_chart import pain_chart
from sessions.models import Muscle
from tests.factories import NeedlingSessionFactory, TriggerPointSiteFactory


def region(views, view, name, side):
    return next(r for r in views[view] if r.region == name and r.side == side)


def test_bilateral_sites_count_on_both_sides():
    counts = site_counts(
        [(BodyRegion.LUMBAR, Side.BILATERAL, 1), (BodyRegion.LUMBAR, Side.LEFT, 2)]
    )

    assert counts[(BodyRegion.LUMBAR, Side.LEFT)] == 3
    assert counts[(BodyRegion.LUMBAR, Side.RIGHT)] == 1


def test_front_view_shows_the_patients_right_on_the_viewers_left():
    views = body_map()

    front_right = region(views, "front", BodyRegion.SHOULDER, Side.RIGHT)
    front_left = region(views, "front", BodyRegion.SHOULDER, Side.LEFT)
    back_left = region(views, "back", BodyRegion.SHOULDER, Side.LEFT)
    back_right = region(views, "back", BodyRegion.SHOULDER, Side.RIGHT)
    assert front_right.x < front_left.x
    assert back_left.x < back_right.x


def test_map_marks_sites_lung_risk_and_avoid_regions():
    views = body_map(
        counts=site_counts([(BodyRegion.CHEST, Side.LEFT, 2)]),
        avoid_regions=[AvoidRegion(region=BodyRegion.THIGH, side=Side.RIGHT)],
        lung_risk_regions=[BodyRegion.CHEST],
    )

    chest = region(views, "front", BodyRegion.CHEST, Side.LEFT)
    thigh = region(views, "back", BodyRegion.THIGH, Side.RIGHT)
    assert chest.description == "Chest (left), 2 sites needled, lung-risk muscles"
    assert thigh.blocked
    assert "avoid" in thigh.description
    assert not region(views, "back", BodyRegion.THIGH, Side.LEFT).blocked


@pytest.mark.django_db
def test_lung_risk_regions_come_from_the_catalogue():
    assert set(Muscle.objects.lung_risk_regions()) == {
        BodyRegion.SHOULDER,
        BodyRegion.HEAD_NECK,
        BodyRegion.THORACIC,
        BodyRegion.CHEST,
    }


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
def test_session_form_offers_the_map_with_muscles_tagged_by_region(therapist_client, therapist):
    from tests.factories import ScreeningFactory

    screening = ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist)

    body = therapist_client.get(
        reverse("treatment_sessions:create", args=[screening.patient.pk])
    ).content.decode()

    assert 'data-region="chest" data-side="left"' in body
    assert 'data-region="shoulder">Upper trapezius (Shoulder) · lung risk</option>' in body
    assert "js/bodymap.js" in body


@pytest.mark.django_db
def test_session_page_marks_the_needled_regions(therapist_client, therapist):
    session = NeedlingSessionFactory(
        screening__patient__clinic=therapist.clinic, screening__therapist=therapist
    )
    TriggerPointSiteFactory(session=session, side=Side.RIGHT)

    body = therapist_client.get(session.get_absolute_url()).content.decode()

    assert 'aria-label="Front: Pelvis/hip (right), 1 site needled"' in body

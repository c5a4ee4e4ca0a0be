"""The report pages: who sees them, the period form, fixed query counts, charts."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.reports.forms import END_BEFORE_START, PERIOD_TOO_LONG, TOO_EARLY
from clinic.reports.tables.base import NO_DATA
from patients.models import ScreeningOutcome
from sessions.models import CheckStatus, EventStatus, GateOutcome, Muscle
from tests.factories import (
    AdverseEventFactory,
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    SorenessCheckFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db

REPORTS = ["screening", "safety", "followup", "outcomes"]
REPORT_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "reports"


def url(slug: str, **query) -> str:
    return reverse(f"reports:{slug}") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def recent_data(clinic, therapist, sessions: int) -> None:
    """Sessions spread over the last months, with a site, a follow-up, a confirmed and a draft
    event each, and a referral and an expired screening for the screening report."""
    now = timezone.now()
    muscle = Muscle.objects.get(name="Gluteus medius")
    for index in range(sessions):
        session = NeedlingSessionFactory(
            screening__patient__clinic=clinic,
            screening__therapist=therapist,
            screening__taken_at=now - timedelta(days=5 + 13 * index),
            gate_outcome=GateOutcome.PRECAUTIONS,
        )
        TriggerPointSiteFactory(session=session, muscle=muscle)
        SorenessCheckFactory(session=session, status=CheckStatus.MISSED)
        AdverseEventFactory(session=session)
        AdverseEventFactory(session=session, severity="", status=EventStatus.DRAFT)
        ScreeningFactory(
            patient__clinic=clinic,
            therapist=therapist,
            taken_at=now - timedelta(days=40 + index),
            outcome=ScreeningOutcome.REFER,
        )


@pytest.mark.parametrize("slug", REPORTS)
def test_therapists_get_403_on_reports_and_exports(therapist_client, slug):
    assert therapist_client.get(url(slug)).status_code == 403
    assert therapist_client.get(url(slug, export="summary")).status_code == 403


@pytest.mark.parametrize("slug", REPORTS)
def test_each_report_page_runs_a_fixed_number_of_queries(
    admin_client_, clinic, slug, django_assert_num_queries
):
    recent_data(clinic, TherapistFactory(clinic=clinic), sessions=1)
    admin_client_.get(url(slug))  # the first request after sign-in also saves the session
    with CaptureQueriesContext(connection) as baseline:
        admin_client_.get(url(slug))
    recent_data(clinic, TherapistFactory(clinic=clinic), sessions=6)

    with django_assert_num_queries(len(baseline.captured_queries)):
        response = admin_client_.get(url(slug))

    assert response.status_code == 200
    assert NO_DATA not in response.content.decode()


def test_default_period_is_the_last_90_days(admin_client_):
    response = admin_client_.get(reverse("reports:safety"))

    today = timezone.localdate()
    period = response.context["period"]
    assert (period.start, period.end) == (today - timedelta(days=89), today)
    page = response.content.decode()
    assert f"{period.start:%-d %b %Y} to {today:%-d %b %Y}" in page
    assert f'name="start" value="{period.start.isoformat()}"' in page
    assert f'name="end" value="{today.isoformat()}"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-03-01", "end": "2025-02-01"}, END_BEFORE_START),
        ({"start": "2025-02-30"}, "Enter a valid date."),
        ({"start": "yesterday"}, "Enter a valid date."),
        ({"start": "0001-01-01", "end": "9999-12-31"}, TOO_EARLY),
        ({"start": "2001-01-01", "end": "2020-01-01"}, PERIOD_TOO_LONG),
        ({"end": "9999-12-31"}, PERIOD_TOO_LONG),
        ({"therapist": "not-a-number"}, "Select a valid choice."),
    ],
)
@pytest.mark.parametrize("slug", REPORTS)
def test_bad_period_input_gives_a_clear_message_not_a_server_error(
    admin_client_, slug, query, message
):
    response = admin_client_.get(url(slug, **query))

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Correct the period above to see the report." in page


def test_therapist_filter_lists_only_the_clinics_therapists(
    admin_client_, clinic, ann, other_clinic_therapist, clinic_admin
):
    leaver = TherapistFactory(clinic=clinic, first_name="Lee", last_name="Left", is_active=False)

    field = admin_client_.get(reverse("reports:safety")).context["form"]["therapist"]

    labels = [str(label) for _, label in field.field.choices]
    assert labels == ["All therapists", str(ann), f"{leaver} (left)"]


def test_another_clinics_therapist_cannot_be_picked(admin_client_, other_clinic_therapist):
    response = admin_client_.get(url("safety", therapist=other_clinic_therapist.pk))

    assert "Select a valid choice." in response.content.decode()
    assert "report" not in response.context


def test_another_clinics_records_never_appear(admin_client_, clinic, other_clinic):
    outsider = PatientFactory(clinic=other_clinic, first_name="Zebedee", last_name="Outsider")
    screening = ScreeningFactory(
        patient=outsider,
        taken_at=timezone.now() - timedelta(days=40),
        outcome=ScreeningOutcome.REFER,
    )
    AdverseEventFactory(session__screening=screening, status=EventStatus.DRAFT, severity="")

    for slug in REPORTS:
        page = admin_client_.get(url(slug)).content.decode()
        assert "Outsider" not in page, slug
    safety = admin_client_.get(url("safety")).context["report"]
    assert safety.table("summary").rows == []


def test_charts_are_server_rendered_svg_without_inline_styles(admin_client_, clinic, ann):
    recent_data(clinic, ann, sessions=3)

    for slug in ("safety", "outcomes"):
        page = admin_client_.get(url(slug)).content.decode()
        assert re.search(r'<svg class="report-chart[^"]*"[^>]*role="img"', page), slug
        assert "<rect" in page
        assert " style=" not in page
        assert "<style" not in page


def test_report_templates_use_no_inline_styles_or_scripts():
    for template in REPORT_TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"\sstyle\s*=|<style|<script", text, re.I), template.name


def test_the_dashboard_links_every_report(admin_client_):
    dashboard = admin_client_.get(reverse("reports:dashboard")).content.decode()

    for slug in REPORTS:
        assert f'href="{reverse(f"reports:{slug}")}"' in dashboard


def test_the_navigation_shows_reports_to_admins_only(admin_client_, therapist, client):
    assert ">Reports</a>" in admin_client_.get(reverse("reports:dashboard")).content.decode()

    client.force_login(therapist)
    assert ">Reports</a>" not in client.get(reverse("patients:list")).content.decode()


def test_long_tables_show_the_first_rows_and_export_them_all(admin_client_, clinic, monkeypatch):
    from clinic.reports import views
    from clinic.reports.tables import base as tables

    monkeypatch.setattr(tables, "ROWS_SHOWN", 2)
    monkeypatch.setattr(views, "ROWS_SHOWN", 2)
    long_ago = timezone.now() - timedelta(days=400)
    for _ in range(3):
        ScreeningFactory(patient__clinic=clinic, taken_at=long_ago)

    page = admin_client_.get(reverse("reports:screening")).content.decode()
    export = admin_client_.get(reverse("reports:screening"), {"export": "expired"})

    assert "Showing the first 2 of 3 rows" in page
    assert len(export.content.decode().strip().splitlines()) == 1 + 3

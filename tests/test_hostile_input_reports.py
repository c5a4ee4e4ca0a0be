"""Hostile query parameters on the report pages: never a server error, exports logged only when
they happen, stored markup escaped.

Each example runs inside a transaction that is rolled back.
"""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from clinic.reports.forms import TOO_EARLY
from clinic.reports.selectors.base import ReportFilter
from clinic.reports.tables import REPORTS
from patients.models import ScreeningOutcome
from sessions.models import AdverseEventType, Severity
from tests.factories import (
    AdverseEventFactory,
    PatientFactory,
    ScreeningFactory,
    TherapistFactory,
)
from tests.hostile import (
    FAST,
    MARKUP,
    assert_handled,
    dates,
    field,
    hostile,
    rolled_back,
    session_with_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked_up_therapist(clinic):
    """A therapist whose name, patient, justification and adverse event are all markup."""
    therapist = TherapistFactory(clinic=clinic, first_name=MARKUP[0], last_name=MARKUP[1])
    patient = PatientFactory(clinic=clinic, first_name=MARKUP[2])
    screening = ScreeningFactory(
        patient=patient,
        therapist=therapist,
        taken_at=timezone.now() - timedelta(days=3),
        outcome=ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
        justification=MARKUP[0],
    )
    session = session_with_site(screening, ago=timedelta(days=2), signed=True)
    AdverseEventFactory(
        session=session,
        event_type=AdverseEventType.BRUISING,
        severity=Severity.MODERATE,
        description=MARKUP[1],
    )
    return therapist


@pytest.mark.parametrize("slug", REPORTS)
@FAST
@given(data=st.data())
def test_report_survives_hostile_query(admin_client_, clinic, marked_up_therapist, slug, data):
    today = timezone.localdate()
    tables = REPORTS[slug](
        ReportFilter(clinic=clinic, start=today - timedelta(days=30), end=today, therapist=None)
    ).tables
    query = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "start": st.one_of(st.just((today - timedelta(days=30)).isoformat()), dates),
                "end": st.one_of(st.just(today.isoformat()), dates),
                "therapist": field(str(marked_up_therapist.pk)),
                "export": st.one_of(st.sampled_from([t.key for t in tables]), hostile),
            },
        )
    )
    with rolled_back():
        before = LogEntry.objects.count()

        response = admin_client_.get(reverse(f"reports:{slug}"), query)

        assert_handled(response)
        exported = response["Content-Type"].startswith("text/csv")
        shown = response.context is not None and response.context.get("report") is not None
        assert LogEntry.objects.count() - before == (1 if exported or shown else 0)
        if "export" not in query:
            assert response.status_code == 200


def test_report_ending_in_year_one_asks_for_later_dates(admin_client_):
    response = admin_client_.get(reverse("reports:screening"), {"end": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [TOO_EARLY]

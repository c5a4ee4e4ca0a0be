"""The clinic's needling sessions as CSV: one row per session with its billing code, only the
clinic's own, for clinic admins, streamed in a fixed number of queries, and audited."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.formats import machine
from clinic.reports.export import csv_header
from clinic.reports.sessions_csv import COLUMNS, EXPORT_PAGE
from sessions.models import Muscle, SessionStatus
from sessions.rules.billing import CPT_ONE_OR_TWO_MUSCLES, CPT_THREE_OR_MORE_MUSCLES
from tests.builders import at
from tests.factories import (
    MuscleFactory,
    NeedlingSessionFactory,
    ScreeningFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db

QUERY = {"start": "2025-01-01", "end": "2025-03-31"}
URL = reverse("reports:sessions_export")


def download(client, **query):
    return client.get(URL, {**QUERY, **query, "export": "csv"})


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(content)))


def muscles(count: int) -> list[Muscle]:
    return [MuscleFactory(name=f"Muscle {n}") for n in range(count)]


def session_with(screening, *, day: int, muscle_list: list[Muscle], **kwargs):
    kwargs.setdefault("started_at", at(2025, 2, day, 9))
    session = NeedlingSessionFactory(screening=screening, **kwargs)
    for muscle in muscle_list:
        TriggerPointSiteFactory(session=session, muscle=muscle)
    return session


@pytest.fixture
def screening(clinic, ann):
    return ScreeningFactory(patient__clinic=clinic, therapist=ann, taken_at=at(2025, 1, 20))


def test_each_session_is_a_row_with_its_cpt_code_from_distinct_muscles(
    admin_client_, screening, ann
):
    two, three = muscles(2), muscles(3)
    first = session_with(screening, day=3, muscle_list=[two[0], two[0], two[1]])
    session_with(screening, day=10, muscle_list=three, status=SessionStatus.DRAFT)
    session_with(screening, day=17, muscle_list=[])

    response = download(admin_client_)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="needling-sessions-2025-01-01-2025-03-31.csv"'
    )
    header, *rows = read_csv(response)
    assert header == [csv_header(column) for column in COLUMNS]
    assert [row[0][:10] for row in rows] == ["2025-02-03", "2025-02-10", "2025-02-17"]
    assert rows[0][0] == machine(first.started_at)
    column = {name: index for index, name in enumerate(COLUMNS)}
    assert rows[0][column["Patient MRN"]] == screening.patient.mrn
    assert rows[0][column["Therapist"]] == str(ann)
    assert rows[0][column["Episode of care"]] == (
        f"{first.episode.get_body_region_display()}: {first.episode.complaint}"
    )
    assert [(r[column["Sites"]], r[column["Distinct muscles"]]) for r in rows] == [
        ("3", "2"),
        ("3", "3"),
        ("0", "0"),
    ]
    assert [r[column["CPT code"]] for r in rows] == [
        CPT_ONE_OR_TWO_MUSCLES,
        CPT_THREE_OR_MORE_MUSCLES,
        "",
    ]
    assert rows[1][column["Status"]] == SessionStatus.DRAFT.label


def test_another_clinics_sessions_and_sessions_outside_the_period_are_left_out(
    admin_client_, screening, other_clinic
):
    mine = session_with(screening, day=3, muscle_list=muscles(1))
    session_with(screening, day=1, muscle_list=[], started_at=at(2025, 4, 1, 9))
    stranger = ScreeningFactory(patient__clinic=other_clinic, taken_at=at(2025, 1, 20))
    NeedlingSessionFactory(screening=stranger, started_at=at(2025, 2, 3, 9))

    _, *rows = read_csv(download(admin_client_))

    assert [row[COLUMNS.index("Patient MRN")] for row in rows] == [mine.patient.mrn]


def test_one_therapists_sessions(admin_client_, screening, clinic, ben):
    session_with(screening, day=3, muscle_list=[])
    bens = ScreeningFactory(patient__clinic=clinic, therapist=ben, taken_at=at(2025, 1, 20))
    session_with(bens, day=4, muscle_list=[])

    _, *rows = read_csv(download(admin_client_, therapist=ben.pk))

    assert [row[COLUMNS.index("Therapist")] for row in rows] == [str(ben)]


def test_query_count_does_not_grow_with_the_sessions(admin_client_, screening):
    session_with(screening, day=3, muscle_list=muscles(2))
    read_csv(download(admin_client_))  # the sign-in session settles on the first request
    with CaptureQueriesContext(connection) as small:
        assert len(read_csv(download(admin_client_))) == 2
    for day in range(4, 14):
        session_with(screening, day=day, muscle_list=muscles(3))
    with CaptureQueriesContext(connection) as large:
        assert len(read_csv(download(admin_client_))) == 12

    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_download_is_a_list_read_on_the_audit_trail(admin_client_, clinic, clinic_admin):
    read_csv(download(admin_client_))

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == clinic_admin
    assert (entry.content_type.model, entry.object_id) == ("clinic", clinic.pk)
    assert entry.additional_data["page"] == EXPORT_PAGE
    assert entry.additional_data["query"]["start"] == QUERY["start"]


def test_the_page_links_the_download_and_the_reports_navigation_links_the_page(admin_client_):
    page = admin_client_.get(reverse("reports:screening"), QUERY).content.decode()
    export_page = admin_client_.get(URL, QUERY)

    assert URL in page
    assert "export=csv" in export_page.content.decode()
    assert not LogEntry.objects.filter(additional_data__page=EXPORT_PAGE).exists()


def test_therapists_cannot_download(therapist_client):
    assert download(therapist_client).status_code == 403


def test_a_bad_period_writes_nothing_and_says_why(admin_client_):
    response = download(admin_client_, start="2025-03-31", end="2025-01-01")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors
    assert not LogEntry.objects.filter(additional_data__page=EXPORT_PAGE).exists()


def test_times_carry_the_clinics_offset_though_the_file_streams_after_the_request(
    admin_client_, screening, clinic
):
    clinic.time_zone = "America/New_York"
    clinic.save()
    session = session_with(screening, day=3, muscle_list=[])

    _, row = read_csv(download(admin_client_))

    with timezone.override(clinic.zone):
        assert row[COLUMNS.index("Started")] == machine(session.started_at)
    assert row[COLUMNS.index("Started")].endswith("-05:00")

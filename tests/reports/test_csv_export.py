"""CSV exports: the page's tables, cell by cell, defused against formulas, and audited."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from clinic.audit import access
from clinic.reports.export import csv_cell, csv_header
from clinic.reports.forms import END_BEFORE_START
from clinic.reports.services import EXPORT_NOTE
from clinic.reports.tables.outcomes import IMMEDIATE_EFFECT
from patients.models import ScreeningOutcome
from sessions.models import GateOutcome
from tests.builders import at
from tests.factories import NeedlingSessionFactory, PatientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

QUERY = {"start": "2025-01-01", "end": "2025-03-31"}


def export(client, slug: str, table: str, **query):
    return client.get(reverse(f"reports:{slug}"), {**QUERY, **query, "export": table})


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Jo Smith", "Jo Smith"),
        ("a=b", "a=b"),
        (-1.5, -1.5),
        (3, 3),
        (None, ""),
        (date(2025, 1, 2), "2025-01-02"),
        (datetime(2025, 1, 2, 9, 30, tzinfo=UTC), "2025-01-02T09:30:00+00:00"),
    ],
)
def test_text_that_would_start_a_formula_is_neutralised(value, written):
    assert csv_cell(value) == written


@pytest.fixture
def precautions_data(clinic, ann):
    patient = PatientFactory(clinic=clinic, first_name="@SUM(A1)", last_name="Smith")
    screening = ScreeningFactory(
        patient=patient,
        therapist=ann,
        taken_at=at(2025, 2, 1),
        outcome=ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
        justification='=HYPERLINK("http://evil")',
    )
    for day in (1, 8):
        NeedlingSessionFactory(
            screening=screening,
            started_at=at(2025, 2, day, 11),
            gate_outcome=GateOutcome.PRECAUTIONS,
        )


def test_export_has_the_pages_headers_rows_and_values(admin_client_, clinic, precautions_data):
    page = admin_client_.get(reverse("reports:screening"), QUERY).context["report"]
    table = page.table("precautions")

    response = export(admin_client_, "screening", "precautions")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="screening-precautions-2025-01-01-2025-03-31.csv"'
    )
    header, *rows = read_csv(response)
    assert table.columns == ["Session", "Patient", "Therapist", "Justification"]
    assert header == ["Session (ISO 8601)", "Patient", "Therapist", "Justification"]
    assert len(rows) == len(table.rows) == 2
    assert rows == [[str(csv_cell(cell)) for cell in row] for row in table.rows]
    assert rows[0][0] == "2025-02-01T11:00:00+00:00"


def test_formulas_from_patient_data_are_neutralised_in_the_download(
    admin_client_, precautions_data
):
    _, first, _ = read_csv(export(admin_client_, "screening", "precautions"))

    assert first[1] == "'@SUM(A1) Smith"
    assert first[3] == '\'=HYPERLINK("http://evil")'


def test_numbers_are_exported_as_shown(admin_client_, clinic, ann):
    screening = ScreeningFactory(patient__clinic=clinic, therapist=ann, taken_at=at(2025, 2, 1))
    NeedlingSessionFactory(screening=screening, pain_before=6, pain_after=3)
    NeedlingSessionFactory(screening=screening, pain_before=5, pain_after=5)

    rows = dict(read_csv(export(admin_client_, "outcomes", "summary"))[1:])

    assert rows[IMMEDIATE_EFFECT] == "-1.5"
    assert rows["Mean pain before"] == "5.5"


def test_an_export_is_logged_with_who_which_report_and_when(
    admin_client_, clinic, clinic_admin, ann
):
    before = timezone.now()

    export(admin_client_, "safety", "by_therapist", therapist=ann.pk)

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == clinic_admin
    assert (entry.content_type.model, entry.object_id) == ("clinic", clinic.pk)
    assert entry.timestamp >= before
    assert entry.additional_data == {
        "export": EXPORT_NOTE,
        "report": "safety",
        "table": "by_therapist",
        "start": "2025-01-01",
        "end": "2025-03-31",
        "therapist": ann.pk,
    }


def test_viewing_a_report_is_not_an_export(admin_client_):
    admin_client_.get(reverse("reports:safety"), QUERY)

    read = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert "export" not in read.additional_data
    assert read.additional_data["page"] == access.REPORT.format(report="safety")


def test_unknown_table_is_404_and_not_logged(admin_client_):
    assert export(admin_client_, "safety", "passwords").status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_export_with_a_bad_period_shows_the_message_instead(admin_client_):
    response = export(admin_client_, "safety", "summary", end="2024-12-31")

    assert response["Content-Type"].startswith("text/html")
    assert END_BEFORE_START in response.content.decode()
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_every_table_of_every_report_can_be_exported(admin_client_):
    exported = 0
    for slug in ("screening", "safety", "followup", "outcomes"):
        report = admin_client_.get(reverse(f"reports:{slug}"), QUERY).context["report"]
        for table in report.tables:
            header, *rows = read_csv(export(admin_client_, slug, table.key))
            assert header == [csv_header(column) for column in table.columns]
            assert len(rows) == len(table.rows)
            exported += 1
    exports = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, additional_data__has_key="export"
    )
    assert exports.count() == exported


def test_export_ranges_use_the_default_period_when_none_is_given(admin_client_):
    response = admin_client_.get(reverse("reports:safety"), {"export": "published"})

    today = timezone.localdate()
    start = today - timedelta(days=89)
    assert f'filename="safety-published-{start}-{today}.csv"' in response["Content-Disposition"]

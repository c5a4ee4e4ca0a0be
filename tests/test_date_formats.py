"""One date and time format: pages and reports print the house format, in the clinic's time
zone; CSV exports write ISO 8601 and say so in their header."""

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from clinic.accounts.models import TIME_ZONE_UNKNOWN
from clinic.formats import DATE_FORMAT, DATETIME_FORMAT, ISO_COLUMN, machine, shown
from patients.consent.pdf import consent_pdf
from patients.models import DischargeReason, ScreeningOutcome
from patients.services.episode import DISCHARGE_BEFORE_LAST_SESSION, episode_discharge
from sessions.forms.plans import session_label
from sessions.models import GateOutcome
from sessions.services.gate import SCREENING_EXPIRED, needling_gate
from tests.builders import at
from tests.factories import (
    ClinicFactory,
    NeedlingSessionFactory,
    ScreeningFactory,
    SignedConsentFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
PRODUCT_PACKAGES = ("clinic", "patients", "sessions")
# FHIR resources are read by other systems and keep their own ISO text.
MACHINE_WRITERS = ("migrations", "fhir")
# A strftime format in Python: `{day:%d %b %Y}` in an f-string or a message, or strftime().
# (A date input's `format="%Y-%m-%d"` is the HTML value, not a date shown to anyone.)
PYTHON_FORMAT = re.compile(r"strftime\(|\{[^{}\n]*:[^{}\n]*%[A-Za-z][^{}\n]*\}")
# `|date:"j M Y"` and the like: a format written into a template instead of a named one.
LITERAL_FORMAT = re.compile(r"\|\s*(date|time)\s*:\s*[\"'](?![A-Z_]+_FORMAT[\"'])")
NOV_17 = at(2026, 11, 17, 14, 5)


def test_the_house_formats_read_as_agreed():
    assert DATE_FORMAT == "j M Y"
    assert DATETIME_FORMAT == "j M Y H:i"
    assert shown(date(2026, 11, 17)) == "17 Nov 2026"
    assert shown(NOV_17) == "17 Nov 2026 14:05"
    assert machine(date(2026, 11, 17)) == "2026-11-17"
    assert machine(NOV_17) == "2026-11-17T14:05:00+00:00"


def test_templates_print_the_house_format_through_djangos_names():
    rendered = Template('{{ day|date }} / {{ moment|date:"DATETIME_FORMAT" }}').render(
        Context({"day": date(2026, 11, 17), "moment": NOV_17})
    )

    assert rendered == "17 Nov 2026 / 17 Nov 2026 14:05"


def test_no_template_writes_a_date_format_of_its_own():
    literal = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        for match in LITERAL_FORMAT.finditer(path.read_text())
    ]

    assert literal == []


def session_on_nov_17(clinic):
    screening = ScreeningFactory(
        patient__clinic=clinic,
        taken_at=at(2026, 11, 1),
        outcome=ScreeningOutcome.CLEARED_WITH_PRECAUTIONS,
    )
    return NeedlingSessionFactory(
        screening=screening, started_at=NOV_17, gate_outcome=GateOutcome.PRECAUTIONS
    )


def test_a_page_prints_the_house_format(therapist_client, clinic):
    session = session_on_nov_17(clinic)

    page = therapist_client.get(session.get_absolute_url()).content.decode()

    assert f"Dry needling · {date_format(NOV_17, DATETIME_FORMAT)}" in page
    assert "Dry needling · 17 Nov 2026 14:05" in page


def test_pages_show_times_in_the_clinics_time_zone(client, therapist, clinic):
    clinic.time_zone = "Pacific/Auckland"  # UTC+13 in November
    clinic.save()
    session = session_on_nov_17(clinic)
    client.force_login(therapist)

    page = client.get(session.get_absolute_url()).content.decode()

    assert "Dry needling · 18 Nov 2026 03:05" in page


def report_query() -> dict[str, str]:
    return {"start": "2026-11-01", "end": "2026-11-30"}


def test_a_report_prints_the_house_format_and_its_csv_iso_8601(admin_client_, clinic):
    clinic.time_zone = "Europe/Paris"  # UTC+1 in November
    clinic.save()
    session_on_nov_17(clinic)
    url = reverse("reports:screening")

    page = admin_client_.get(url, report_query()).content.decode()
    export = admin_client_.get(url, {**report_query(), "export": "precautions"})

    assert ">17 Nov 2026 15:05</a>" in page
    header, row = csv.reader(io.StringIO(export.content.decode()))
    assert header[0] == ISO_COLUMN.format(column="Session") == "Session (ISO 8601)"
    assert row[0] == "2026-11-17T15:05:00+01:00"


def test_the_monthly_safety_table_shows_months_in_words_and_iso_in_csv(admin_client_, clinic):
    session_on_nov_17(clinic)
    url = reverse("reports:safety")

    page = admin_client_.get(url, report_query()).content.decode()
    export = admin_client_.get(url, {**report_query(), "export": "by_month"})

    assert date_format(date(2026, 11, 1), "YEAR_MONTH_FORMAT") in page
    header, row = csv.reader(io.StringIO(export.content.decode()))
    assert (header[0], row[0]) == (ISO_COLUMN.format(column="Month"), "2026-11")


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Europe/Atlantis", "../etc/passwd"])
def test_a_clinic_time_zone_must_be_an_iana_name(zone):
    clinic = ClinicFactory.build(time_zone=zone)

    with pytest.raises(ValidationError) as refused:
        clinic.full_clean()

    assert TIME_ZONE_UNKNOWN in refused.value.message_dict["time_zone"]


def test_a_new_clinic_takes_the_servers_time_zone(settings):
    assert ClinicFactory().time_zone == settings.TIME_ZONE


def test_the_gates_refusal_dates_a_screening_in_the_clinics_time_zone(therapist, clinic):
    clinic.time_zone = "Pacific/Auckland"  # UTC+13 in October and November
    clinic.save()
    # 11:30 UTC is half past midnight the next day in Auckland.
    screening = ScreeningFactory(
        patient__clinic=clinic,
        taken_at=at(2026, 10, 1, 11, 30),
        valid_until=at(2026, 10, 31, 11, 30),
    )

    with timezone.override(clinic.zone):
        result = needling_gate(patient=screening.patient, therapist=therapist, at=at(2026, 11, 17))

    assert result.refusal == SCREENING_EXPIRED.format(taken="2 Oct 2026", expired="1 Nov 2026")


def test_no_product_python_writes_a_date_format_of_its_own():
    """People read dates through shown(), machines through machine()."""
    literal = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for package in PRODUCT_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if not set(path.relative_to(ROOT).parts) & set(MACHINE_WRITERS)
        for match in PYTHON_FORMAT.finditer(path.read_text())
    ]

    assert literal == []


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_consent_pdf_prints_its_times_in_the_clinics_time_zone(clinic):
    clinic.time_zone = "Pacific/Auckland"  # UTC+13 in November
    clinic.save()
    consent = SignedConsentFactory(
        patient__clinic=clinic, patient__date_of_birth=date(1980, 3, 7), signed_at=NOV_17
    )

    # Made outside a request, as a job would: the server's zone (UTC) is the active one.
    text = pdf_text(consent_pdf(consent))

    assert "18 Nov 2026 03:05 NZDT" in text
    assert "born 7 Mar 1980" in text


def test_a_discharge_refusal_dates_the_last_session_in_the_clinics_time_zone(therapist, clinic):
    clinic.time_zone = "Pacific/Auckland"
    clinic.save()
    # 11:30 UTC on 6 Nov is half past midnight on 7 Nov in Auckland.
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic, screening__taken_at=at(2026, 11, 6, 10, 30)
    )

    with timezone.override(clinic.zone), pytest.raises(ValidationError) as refused:
        episode_discharge(
            episode=session.episode,
            actor=therapist,
            closed_on=date(2026, 11, 6),
            reason=DischargeReason.PLATEAU,
        )

    assert refused.value.message_dict["closed_on"] == [
        DISCHARGE_BEFORE_LAST_SESSION.format(last="7 Nov 2026")
    ]


def test_records_named_in_choices_read_their_day_in_the_clinics_time_zone(clinic):
    clinic.time_zone = "Pacific/Auckland"
    clinic.save()
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic, screening__taken_at=at(2026, 11, 6, 10, 30)
    )
    site = TriggerPointSiteFactory(session=session)

    with timezone.override(clinic.zone):
        label, name = session_label(session), str(session)

    assert label == f"7 Nov 2026 · {site}"
    assert name == f"Needling of {session.patient} on 7 Nov 2026"

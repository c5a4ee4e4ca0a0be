"""The audit trail, one entry per clinical event: what one request wrote is one entry, with its
parts; filters by kind of record, by who and by date (the clinic's days); times to the second."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django import forms
from django.urls import reverse
from django.utils import timezone

from clinic.audit import access
from clinic.audit.forms import CHART_READS, NO_STAFF
from clinic.audit.readable import OPENED_PAGE
from clinic.formats import shown
from clinic.lib.paging import AUDIT_EVENTS_PER_PAGE
from clinic.reports.forms import END_BEFORE_START, START_IN_FUTURE
from patients.models import Patient, QuestionCategory, Screening, ScreeningAnswer
from tests.factories import PatientFactory
from tests.patients.test_screening_views import form_data

pytestmark = pytest.mark.django_db

INVALID_DATE = str(forms.DateField.default_error_messages["invalid"])


def trail(client, patient: Patient, **filters):
    response = client.get(reverse("audit:patient", args=[patient.pk]), filters)
    assert response.status_code == 200
    return response


def events_of(response) -> list:
    return response.context["events"]


def screen(client, patient: Patient, checklist, **extra) -> Screening:
    anticoagulants = next(
        q for q in checklist[QuestionCategory.RELATIVE] if q.code == "anticoagulants"
    )
    client.post(
        reverse("patients:screening_create", args=[patient.pk]),
        form_data(checklist, anticoagulants, justification="Superficial only.", **extra),
    )
    return Screening.objects.get(patient=patient)


def test_a_screening_with_its_answers_is_one_entry(client, therapist, clinic_admin, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)
    screening = screen(client, patient, checklist)
    client.force_login(clinic_admin)

    response = trail(client, patient)

    [event] = [e for e in events_of(response) if e.title == "Screening created"]
    kinds = {entry.content_type.model_class() for entry in event.entries}
    assert kinds == {Screening, ScreeningAnswer}
    assert len(event.entries) == 1 + screening.answers.count()
    assert event.actor == therapist.get_full_name()
    page = response.content.decode()
    assert f"{screening.answers.count()} screening answers created" in page
    # Each answer names its question, not again the screening it belongs to.
    answer = event.groups[1].parts[0]
    assert [label for label, _, _ in answer.changes if label == "Screening"] == []
    assert "Question" in [label for label, _, _ in answer.changes]


def test_each_request_is_its_own_event_whatever_correlation_id_a_client_sends(client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)

    for _ in range(2):
        client.get(patient.get_absolute_url(), HTTP_X_CORRELATION_ID="chosen-by-client")

    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    cids = set(reads.values_list("cid", flat=True))
    assert len(cids) == 2
    assert "chosen-by-client" not in cids
    assert None not in cids


def test_empty_fields_are_left_out_of_a_creation(client, therapist, clinic_admin, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)
    screen(client, patient, checklist, notes="")
    client.force_login(clinic_admin)

    [event] = [e for e in events_of(trail(client, patient)) if e.title == "Screening created"]

    screening_part = event.groups[0].parts[0]
    labels = [label for label, _before, _after in screening_part.changes]
    assert "Justification" in labels
    assert "Notes" not in labels


def test_times_are_shown_to_the_second_in_the_clinics_time_zone(client, therapist, clinic_admin):
    clinic = therapist.clinic
    clinic.time_zone = "Asia/Kolkata"  # UTC+5:30
    clinic.save()
    patient = PatientFactory(clinic=clinic)
    client.force_login(therapist)
    with time_machine.travel(datetime(2026, 11, 17, 8, 35, 9, tzinfo=UTC), tick=False):
        client.get(patient.get_absolute_url())
    client.force_login(clinic_admin)

    page = trail(client, patient).content.decode()

    assert "17 Nov 2026 14:05:09" in page
    assert 'datetime="2026-11-17T14:05:09+05:30"' in page


def test_stored_times_are_the_clinics_and_a_new_records_links_and_id_are_left_out(
    admin_client_, clinic
):
    clinic.time_zone = "Asia/Kolkata"  # UTC+5:30
    clinic.save()
    with time_machine.travel(datetime(2026, 11, 17, 8, 35, 9, tzinfo=UTC), tick=False):
        patient = PatientFactory(clinic=clinic)

    [registration] = [
        e for e in events_of(trail(admin_client_, patient)) if e.title == "Patient created"
    ]

    changes = {label: after for label, _, after in registration.groups[0].parts[0].changes}
    assert changes["Created at"] == "17 Nov 2026 14:05:09"
    assert changes["Date of birth"] == shown(patient.date_of_birth)
    assert not {"ID", "Episodes", "Links"} & set(changes)


def read_on(client, patient: Patient, moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        client.get(patient.get_absolute_url())


def test_the_date_filter_takes_the_clinics_days(client, therapist, clinic_admin):
    clinic = therapist.clinic
    clinic.time_zone = "Pacific/Auckland"  # UTC+13 in November
    clinic.save()
    patient = PatientFactory(clinic=clinic)
    client.force_login(therapist)
    read_on(client, patient, datetime(2026, 11, 17, 12, 30, tzinfo=UTC))  # 18 Nov, 01:30
    read_on(client, patient, datetime(2026, 11, 16, 9, 0, tzinfo=UTC))  # 16 Nov, 22:00
    client.force_login(clinic_admin)

    on_18 = events_of(trail(client, patient, start="2026-11-18", end="2026-11-18"))
    on_17 = events_of(trail(client, patient, start="2026-11-17", end="2026-11-17"))
    from_17 = events_of(trail(client, patient, start="2026-11-17"))
    until_16 = events_of(trail(client, patient, end="2026-11-16"))

    assert [e.when_text for e in on_18] == ["18 Nov 2026 01:30:00"]
    assert on_17 == []
    assert "18 Nov 2026 01:30:00" in [e.when_text for e in from_17]
    assert [e.when_text for e in until_16] == ["16 Nov 2026 22:00:00"]


def test_the_user_filter_shows_only_that_members_events(client, therapist, clinic_admin):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)
    client.get(patient.get_absolute_url())
    client.force_login(clinic_admin)
    client.get(patient.get_absolute_url())

    by_therapist = events_of(trail(client, patient, user=therapist.pk))
    by_nobody = events_of(trail(client, patient, user=NO_STAFF))

    assert [e.actor for e in by_therapist] == [therapist.get_full_name()]
    # The patient's registration here was written by no request (the factory).
    assert by_nobody
    assert all(entry.actor is None for e in by_nobody for entry in e.entries)


def test_the_kind_filter_finds_events_by_the_records_they_wrote(
    client, therapist, clinic_admin, checklist
):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)
    client.get(patient.get_absolute_url())
    screen(client, patient, checklist)
    client.force_login(clinic_admin)

    answers = events_of(trail(client, patient, kind="patients.screeninganswer"))
    reads = events_of(trail(client, patient, kind=CHART_READS))

    assert [e.title for e in answers] == ["Screening created"]
    # The patient page, and the trail itself (opened once before this request, and by it).
    assert [e.title for e in reads] == [
        OPENED_PAGE.format(page=access.AUDIT_PAGE),
        OPENED_PAGE.format(page=access.AUDIT_PAGE),
        OPENED_PAGE.format(page=access.PATIENT_PAGE),
    ]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"start": "2026-02-30"}, INVALID_DATE),
        ({"end": "yesterday"}, INVALID_DATE),
        ({"start": "2026-11-18", "end": "2026-11-17"}, END_BEFORE_START),
        ({"start": (timezone.localdate() + timedelta(days=2)).isoformat()}, START_IN_FUTURE),
        ({"start": "0001-01-01"}, None),
        ({"kind": "auth.permission"}, None),
        ({"user": "999999"}, None),
    ],
)
def test_bad_filters_get_a_message_not_an_error(admin_client_, clinic, filters, message):
    patient = PatientFactory(clinic=clinic)

    response = trail(admin_client_, patient, **filters)

    assert "events" not in response.context
    assert not response.context["form"].is_valid()
    if message:
        assert message in str(response.context["form"].errors)


def test_pages_of_events_keep_the_filters(client, therapist, clinic_admin):
    patient = PatientFactory(clinic=therapist.clinic)
    client.force_login(therapist)
    for _ in range(AUDIT_EVENTS_PER_PAGE + 1):
        client.get(patient.get_absolute_url())
    client.force_login(clinic_admin)

    filters = {"kind": CHART_READS, "start": timezone.localdate().isoformat()}
    first = trail(client, patient, **filters)
    second = trail(client, patient, **filters, page=2)

    assert len(events_of(first)) == AUDIT_EVENTS_PER_PAGE
    assert f"kind={CHART_READS}&amp;start=" in first.content.decode()
    # The admin's two openings of the trail are events too.
    assert len(events_of(second)) == 3

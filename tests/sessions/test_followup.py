import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sessions.management.commands.mark_missed_followups import MARKED_MISSED
from sessions.models import (
    AdverseEvent,
    AdverseEventType,
    CheckStatus,
    ContactMethod,
    EventStatus,
    SorenessCheck,
    Timeliness,
)
from sessions.querysets.followup import end_of_local_day, worklist_counts
from sessions.rules.followup import (
    CHECK_WINDOW,
    ESCALATION_HOUSE_RULE,
    PROLONGED_SORENESS,
    WORKLIST_LOOKBACK,
)
from sessions.services import followup as services
from sessions.services import needling as session_services
from tests.builders import session_details, site
from tests.factories import (
    AdverseEventFactory,
    ClinicFactory,
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    SorenessCheckFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    session = session_services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"]), site(muscles["Piriformis"])],
        **session_details(started_at=timezone.now() - timedelta(hours=1)),
    )
    return session_services.session_sign(session=session, actor=therapist)


def record(check, actor, **values):
    defaults = {"method": ContactMethod.PHONE, "soreness": 2, "resolved": False}
    defaults.update(values)
    return services.soreness_check_record(check=check, actor=actor, **defaults)


def post_inline(client, check, **fields):
    """The worklist row's form for `check`, sent by htmx; field names without their prefix."""
    prefix = f"check-{check.pk}"
    return client.post(
        reverse("treatment_sessions:followup_record", args=[check.pk]),
        {f"{prefix}-{name}": value for name, value in fields.items()},
        HTTP_HX_REQUEST="true",
    )


def test_signing_schedules_checks_at_24_48_and_72_hours(signed):
    checks = list(signed.checks.order_by("due_at"))

    assert [c.hours_after for c in checks] == [24, 48, 72]
    assert [c.due_at - signed.started_at for c in checks] == [
        timedelta(hours=24),
        timedelta(hours=48),
        timedelta(hours=72),
    ]
    assert {c.status for c in checks} == {CheckStatus.SCHEDULED}


def test_scheduled_checks_are_on_the_patients_clinic_worklist_only(signed, other_clinic):
    assert {c.clinic for c in signed.checks.all()} == {signed.patient.clinic}
    assert SorenessCheck.objects.for_clinic(signed.patient.clinic).count() == 3
    assert not SorenessCheck.objects.for_clinic(other_clinic).exists()


def test_drafts_get_no_follow_up(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)

    draft = session_services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )

    assert not draft.checks.exists()


def test_follow_up_times_are_set_per_clinic(therapist, screen, muscles):
    therapist.clinic.soreness_check_hours = [12, 36]
    therapist.clinic.save()
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    session = session_services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )

    session_services.session_sign(session=session, actor=therapist)

    assert list(session.checks.values_list("hours_after", flat=True)) == [12, 36]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-CHECK_WINDOW - timedelta(seconds=1), Timeliness.EARLY),
        (-CHECK_WINDOW, Timeliness.ON_TIME),
        (timedelta(0), Timeliness.ON_TIME),
        (CHECK_WINDOW, Timeliness.ON_TIME),
        (CHECK_WINDOW + timedelta(seconds=1), Timeliness.LATE),
    ],
)
def test_timeliness_at_the_window_edges(offset, expected):
    due = timezone.now()

    assert services.timeliness_of(due_at=due, done_at=due + offset) == expected


def test_recording_stores_timeliness_and_who(signed, therapist):
    first = signed.checks.order_by("due_at").first()

    with time_machine.travel(first.due_at + CHECK_WINDOW + timedelta(minutes=1)):
        done = record(first, therapist, soreness=3)

    assert done.status == CheckStatus.DONE
    assert done.timeliness == Timeliness.LATE
    assert done.recorded_by == therapist


def test_resolving_closes_the_remaining_checks(signed, therapist):
    first, second, third = signed.checks.order_by("due_at")

    with time_machine.travel(first.due_at):
        record(first, therapist, soreness=0, resolved=True)

    statuses = list(signed.checks.order_by("due_at").values_list("status", flat=True))
    assert statuses == [CheckStatus.DONE, CheckStatus.CLOSED, CheckStatus.CLOSED]
    assert not AdverseEvent.objects.exists()


def test_soreness_unresolved_at_the_last_check_escalates_to_a_draft_event(signed, therapist):
    first, second, third = signed.checks.order_by("due_at")
    with time_machine.travel(first.due_at):
        record(first, therapist, soreness=3)
    with time_machine.travel(second.due_at):
        record(second, therapist, soreness=2)
    assert not AdverseEvent.objects.exists()

    with time_machine.travel(third.due_at):
        record(third, therapist, soreness=2)

    event = AdverseEvent.objects.get()
    assert event.status == EventStatus.DRAFT
    assert event.event_type == AdverseEventType.PAIN_AFTER
    assert event.escalated_from == SorenessCheck.objects.get(pk=third.pk)
    assert PROLONGED_SORENESS in event.description


def test_soreness_of_four_after_the_first_day_escalates_once(signed, therapist):
    first, second, third = signed.checks.order_by("due_at")
    with time_machine.travel(first.due_at):
        record(first, therapist, soreness=6)
    assert not AdverseEvent.objects.exists()

    with time_machine.travel(second.due_at):
        record(second, therapist, soreness=4)
    assert AdverseEvent.objects.get().escalated_from_id == second.pk
    with time_machine.travel(third.due_at):
        record(third, therapist, soreness=4)

    assert AdverseEvent.objects.count() == 1


def test_high_soreness_escalates_even_when_marked_resolved(signed, therapist):
    first, second, third = signed.checks.order_by("due_at")

    with time_machine.travel(second.due_at):
        record(second, therapist, soreness=6, resolved=True)

    assert AdverseEvent.objects.get().escalated_from_id == second.pk
    assert SorenessCheck.objects.get(pk=third.pk).status == CheckStatus.CLOSED


def test_the_form_refuses_resolved_with_high_soreness(therapist_client, signed):
    check = signed.checks.order_by("due_at").first()

    response = post_inline(therapist_client, check, method="phone", soreness="7", resolved="on")

    assert services.SORENESS_NOT_RESOLVED in response.content.decode()
    assert SorenessCheck.objects.get(pk=check.pk).status == CheckStatus.SCHEDULED


def test_a_check_cannot_be_recorded_twice(signed, therapist):
    check = signed.checks.first()
    with time_machine.travel(check.due_at):
        record(check, therapist)

        with pytest.raises(ValidationError, match="already recorded"):
            record(check, therapist)


def test_follow_up_before_the_treatment_is_refused(signed, therapist):
    check = signed.checks.first()

    with pytest.raises(ValidationError) as error:
        record(check, therapist, done_at=signed.started_at - timedelta(minutes=1))

    assert services.DONE_BEFORE_SESSION in error.value.messages
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


def test_confirm_and_dismiss_keep_the_decision(signed, therapist):
    last = signed.checks.order_by("due_at").last()
    with time_machine.travel(last.due_at):
        record(last, therapist, soreness=5)
    event = AdverseEvent.objects.get()

    with pytest.raises(ValidationError):
        services.adverse_event_dismiss(event=event, actor=therapist, reason="  ")
    dismissed = services.adverse_event_dismiss(
        event=event, actor=therapist, reason="Patient says it is their usual DOMS."
    )

    assert dismissed.status == EventStatus.DISMISSED
    assert dismissed.decided_by == therapist
    assert dismissed.decision_reason == "Patient says it is their usual DOMS."
    with pytest.raises(ValidationError, match="Only a draft"):
        services.adverse_event_confirm(event=event, actor=therapist, severity="mild")


def test_mark_missed_is_idempotent(signed, capsys):
    first = signed.checks.order_by("due_at").first()

    with time_machine.travel(first.due_at + timedelta(hours=25)):
        call_command("mark_missed_followups")
        call_command("mark_missed_followups")

    statuses = list(signed.checks.order_by("due_at").values_list("status", flat=True))
    assert statuses == [CheckStatus.MISSED, CheckStatus.SCHEDULED, CheckStatus.SCHEDULED]
    assert capsys.readouterr().out.splitlines() == [
        MARKED_MISSED.format(count=1),
        MARKED_MISSED.format(count=0),
    ]


def test_marking_missed_is_in_the_audit_trail(signed):
    from auditlog.models import LogEntry

    first = signed.checks.order_by("due_at").first()
    with time_machine.travel(first.due_at + timedelta(hours=25)):
        services.followups_mark_missed()

    change = LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["status"] == ["scheduled", "missed"]


def worklist_rows(response) -> list[tuple[int, bool]]:
    """The follow-ups the worklist shows, in order: (check pk, whether marked overdue)."""
    cards = re.findall(r'<div class="card mb-3( border-danger)?" id="check-(\d+)">', response.text)
    return [(int(pk), bool(overdue)) for overdue, pk in cards]


def test_a_missed_check_stays_on_the_worklist_to_record_late(client, therapist, signed):
    first = signed.checks.order_by("due_at").first()
    with time_machine.travel(first.due_at + timedelta(hours=30)):
        services.followups_mark_missed()
        client.force_login(therapist)
        response = client.get(reverse("treatment_sessions:worklist"))

    assert first.pk in [pk for pk, _ in worklist_rows(response)]
    assert "Missed: record it late" in response.content.decode()


def test_a_missed_check_can_still_be_recorded_late(signed, therapist):
    first = signed.checks.order_by("due_at").first()
    with time_machine.travel(first.due_at + timedelta(hours=30)):
        services.followups_mark_missed()
        done = record(first, therapist)

    assert done.status == CheckStatus.DONE
    assert done.timeliness == Timeliness.LATE


def test_worklist_shows_due_and_overdue_of_my_clinic_only(
    therapist_client, therapist, other_clinic
):
    now = timezone.now()
    mine = NeedlingSessionFactory(
        signed=True, screening=ScreeningFactory(patient__clinic=therapist.clinic)
    )
    overdue = SorenessCheckFactory(session=mine, hours_after=24, due_at=now - timedelta(hours=20))
    due_today = SorenessCheckFactory(
        session=mine, hours_after=48, due_at=now + timedelta(minutes=1)
    )
    SorenessCheckFactory(session=mine, hours_after=72, due_at=now + timedelta(days=2))
    theirs = NeedlingSessionFactory(
        signed=True, screening=ScreeningFactory(patient__clinic=other_clinic)
    )
    SorenessCheckFactory(session=theirs, due_at=now - timedelta(hours=1))

    response = therapist_client.get(reverse("treatment_sessions:worklist"))

    assert worklist_rows(response) == [(overdue.pk, True), (due_today.pk, False)]
    assert "Overdue" in response.content.decode()


def test_worklist_can_show_only_my_patients(therapist_client, therapist):
    colleague = TherapistFactory(clinic=therapist.clinic)
    now = timezone.now()
    mine = SorenessCheckFactory(
        session__screening__patient__clinic=therapist.clinic,
        session__screening__therapist=therapist,
        due_at=now,
    )
    SorenessCheckFactory(
        session__screening__patient__clinic=therapist.clinic,
        session__screening__therapist=colleague,
        due_at=now,
    )

    response = therapist_client.get(reverse("treatment_sessions:worklist"), {"mine": "1"})

    assert [pk for pk, _ in worklist_rows(response)] == [mine.pk]


def test_worklist_query_count_is_constant_in_due_items(
    therapist_client, therapist, django_assert_max_num_queries
):
    def add_due(count):
        for _ in range(count):
            session = NeedlingSessionFactory(screening__patient__clinic=therapist.clinic)
            TriggerPointSiteFactory.create_batch(2, session=session)
            SorenessCheckFactory(session=session, due_at=timezone.now())

    add_due(1)
    with django_assert_max_num_queries(20) as baseline:
        therapist_client.get(reverse("treatment_sessions:worklist"))
    add_due(8)

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = therapist_client.get(reverse("treatment_sessions:worklist"))
    assert len(worklist_rows(response)) == 9


def test_nav_bar_counts_due_follow_ups(therapist_client, therapist):
    SorenessCheckFactory.create_batch(
        2, session__screening__patient__clinic=therapist.clinic, due_at=timezone.now()
    )

    body = therapist_client.get(reverse("patients:list")).content.decode()

    assert '2<span class="visually-hidden"> follow-ups due</span>' in body


def test_nav_bar_counts_escalations_to_decide_of_my_clinic(therapist_client, therapist):
    AdverseEventFactory(escalation=True, session__screening__patient__clinic=therapist.clinic)
    AdverseEventFactory(escalation=True, session__screening__patient__clinic=ClinicFactory())
    AdverseEventFactory(session__screening__patient__clinic=therapist.clinic)  # confirmed

    body = therapist_client.get(reverse("patients:list")).content.decode()

    assert '1<span class="visually-hidden"> escalations to decide</span>' in body
    assert "follow-ups due</span>" not in body


def test_nav_bar_counts_are_the_counts_of_the_worklist_rules(therapist):
    clinic, now = therapist.clinic, timezone.now()

    def check(due_at, clinic=clinic, **values):
        return SorenessCheckFactory(
            session__screening__patient__clinic=clinic,
            session__started_at=due_at - timedelta(hours=24),
            due_at=due_at,
            **values,
        )

    check(now)
    check(now - timedelta(days=2), status=CheckStatus.MISSED)
    check(now - WORKLIST_LOOKBACK - timedelta(hours=1))  # older: the compliance report's
    check(end_of_local_day(now) + timedelta(minutes=1))  # tomorrow's
    check(now, clinic=ClinicFactory())
    AdverseEventFactory(escalation=True, session__screening__patient__clinic=clinic)
    AdverseEventFactory(escalation=True, session__screening__patient__clinic=ClinicFactory())
    AdverseEventFactory(session__screening__patient__clinic=clinic)  # confirmed

    counts = worklist_counts(clinic, now)

    assert counts == (
        SorenessCheck.objects.for_clinic(clinic).due_by_end_of_day(now).count(),
        AdverseEvent.objects.for_clinic(clinic).drafts().count(),
    )
    assert counts == (2, 1)


def test_inline_record_with_htmx_returns_the_row(therapist_client, signed):
    check = signed.checks.order_by("due_at").first()
    response = post_inline(therapist_client, check, method="phone", soreness="1", resolved="on")

    body = response.content.decode()
    assert "Recorded: soreness 1/10, resolved (later follow-ups closed)" in body
    assert "· early." in body


def test_the_worklist_form_records_without_javascript(therapist, signed):
    """Without htmx the row's button is a link to the check's form page; a plain form post
    carries the CSRF token of that form."""
    check = signed.checks.order_by("due_at").first()
    prefix = f"check-{check.pk}"
    record_url = reverse("treatment_sessions:followup_record", args=[check.pk])
    with time_machine.travel(check.due_at):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(therapist)
        worklist = browser.get(reverse("treatment_sessions:worklist")).content.decode()
        row = worklist[worklist.index(f'id="{prefix}"') :]
        link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Record follow-up</a>', row).group(1)
        page = browser.get(link).content.decode()
        form = page[page.index(f'action="{record_url}"') :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

        response = browser.post(
            record_url,
            {"csrfmiddlewaretoken": token, f"{prefix}-method": "phone", f"{prefix}-soreness": "2"},
        )

    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.status, check.soreness) == (CheckStatus.DONE, 2)


def test_inline_record_bad_nprs_is_explained(therapist_client, signed):
    check = signed.checks.order_by("due_at").first()
    prefix = f"check-{check.pk}"

    response = post_inline(therapist_client, check, method="phone", soreness="11")

    body = response.content.decode()
    assert "Ensure this value is less than or equal to 10." in body
    assert f'name="{prefix}-soreness" value="11"' in body
    assert body.count('aria-invalid="true"') == 1
    assert f'aria-describedby="id_{prefix}-soreness_error"' in body
    assert f'<div id="id_{prefix}-soreness_error" class="invalid-feedback d-block">' in body
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


def test_inline_record_names_a_site_not_in_the_session_next_to_the_sites(therapist_client, signed):
    check = signed.checks.order_by("due_at").first()
    prefix = f"check-{check.pk}"

    response = post_inline(
        therapist_client, check, method="phone", soreness="2", sore_sites="999999"
    )

    body = response.content.decode()
    assert f'<fieldset aria-describedby="id_{prefix}-sore_sites_error">' in body
    assert "Select a valid choice. 999999 is not one of the available choices." in body
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


def test_another_clinics_check_is_404(therapist_client, other_clinic):
    theirs = SorenessCheckFactory(session__screening__patient__clinic=other_clinic)

    response = therapist_client.post(
        reverse("treatment_sessions:followup_record", args=[theirs.pk]), {}
    )

    assert response.status_code == 404


def test_worklist_labels_the_soreness_escalation_a_house_rule(therapist_client, therapist):
    AdverseEventFactory(escalation=True, session__screening__patient__clinic=therapist.clinic)

    body = therapist_client.get(reverse("treatment_sessions:worklist")).content.decode()

    assert escape(ESCALATION_HOUSE_RULE) in body

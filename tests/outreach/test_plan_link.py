from datetime import UTC, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.outreach.rules import NO_LOG_ALERT_AFTER, PAIN_DURING_ALERT
from clinic.outreach.selectors import exercise_alerts
from clinic.outreach.services.links import link_issue_for_plan
from clinic.outreach.views.patient import DAILY_LOG_SAVED
from sessions.models.adherence import EFFORT_AND_PAIN_NEEDED, AdherenceEntry, EntrySource
from sessions.querysets.plans import adherence_by_week
from sessions.services.plans import ALREADY_LOGGED_TODAY, progression_due
from tests.factories import PlanItemFactory, StrengtheningPlanFactory


@pytest.fixture
def plan(patient, therapist):
    plan = StrengtheningPlanFactory(patient=patient, therapist=therapist)
    PlanItemFactory(plan=plan, sets=3, reps=12, easy_logs_needed=2)
    return plan


@pytest.fixture
def plan_url(plan, therapist):
    return reverse(
        "patient_link:open", args=[link_issue_for_plan(plan=plan, actor=therapist).token]
    )


def log(client, url, plan, *, sets=3, rpe=4, pain=1):
    item = plan.items.get()
    data = {f"sets_{item.pk}": sets, f"rpe_{item.pk}": rpe, f"pain_{item.pk}": pain}
    return client.post(url, data, follow=True)


@pytest.mark.django_db
def test_the_plan_page_shows_each_exercise_with_its_dosage_and_instructions(client, plan, plan_url):
    html = client.get(plan_url).content.decode()

    item = plan.items.get()
    assert item.exercise.name in html
    assert "3 sets of 12 reps" in html
    assert item.exercise.instructions in html


@pytest.mark.django_db
def test_a_daily_log_adds_to_the_weeks_adherence(client, plan, plan_url):
    now = timezone.localtime()
    monday_noon = (now - timedelta(days=now.weekday())).replace(hour=12)
    for day in range(2):
        with time_machine.travel(monday_noon + timedelta(days=day)):
            response = log(client, plan_url, plan)
            assert escape(DAILY_LOG_SAVED) in response.content.decode()

    entries = AdherenceEntry.objects.filter(plan=plan).order_by("date")
    assert [(e.source, e.recorded_by, e.sessions_completed) for e in entries] == [
        (EntrySource.PATIENT_LOG, None, 1),
        (EntrySource.PATIENT_LOG, None, 2),
    ]
    [week] = adherence_by_week(plan, target_sessions=3)
    assert week["sessions_completed"] == 2


@pytest.mark.django_db
def test_easy_daily_logs_count_for_the_progression_rule(client, plan, plan_url):
    today = timezone.now()
    for days_ago in (1, 0):
        with time_machine.travel(today - timedelta(days=days_ago)):
            log(client, plan_url, plan, rpe=4)

    item = plan.items.get()
    logs = list(item.logs.order_by("-entry__date"))
    assert progression_due(item=item, logs=logs).due


@pytest.mark.django_db
def test_one_log_a_day(client, plan, plan_url):
    log(client, plan_url, plan)

    response = log(client, plan_url, plan)

    assert escape(ALREADY_LOGGED_TODAY) in response.content.decode()
    assert AdherenceEntry.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_a_daily_log_counts_for_the_day_it_is_at_the_clinic(client, clinic, plan, plan_url):
    clinic.time_zone = "Pacific/Auckland"  # 12 or 13 hours ahead of UTC
    clinic.save()
    moment = (timezone.now() + timedelta(days=1)).replace(hour=12, minute=30, tzinfo=UTC)
    clinic_day = moment.astimezone(clinic.zone).date()
    assert clinic_day != moment.date()

    with time_machine.travel(moment, tick=False):
        log(client, plan_url, plan)

    assert AdherenceEntry.objects.get(plan=plan).date == clinic_day


@pytest.mark.django_db
def test_sets_done_without_effort_and_pain_are_asked_again(client, plan, plan_url):
    response = log(client, plan_url, plan, rpe="", pain="")

    assert escape(EFFORT_AND_PAIN_NEEDED) in response.content.decode()
    assert not AdherenceEntry.objects.exists()


@pytest.mark.django_db
def test_a_plan_link_stops_when_the_plan_ends(client, plan, plan_url):
    plan.status = "completed"
    plan.ended_on = timezone.localdate()
    plan.save()

    assert client.get(plan_url).status_code == 404


@pytest.mark.django_db
def test_pain_during_of_seven_or_more_alerts_the_therapist(client, clinic, plan, plan_url):
    log(client, plan_url, plan, pain=PAIN_DURING_ALERT - 1)
    assert exercise_alerts(clinic=clinic, now=timezone.now()) == []

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        log(client, plan_url, plan, pain=PAIN_DURING_ALERT)
        [alert] = exercise_alerts(clinic=clinic, now=timezone.now())

    assert alert.worst_pain == PAIN_DURING_ALERT


@pytest.mark.django_db
def test_a_week_without_a_log_alerts_the_therapist(client, clinic, plan, plan_url):
    log(client, plan_url, plan)
    now = timezone.now()

    assert exercise_alerts(clinic=clinic, now=now + NO_LOG_ALERT_AFTER - timedelta(days=1)) == []
    [alert] = exercise_alerts(clinic=clinic, now=now + NO_LOG_ALERT_AFTER)
    assert alert.last_log == timezone.localdate(now)


@pytest.mark.django_db
def test_a_link_never_used_for_a_week_alerts_the_therapist(clinic, plan, plan_url, other_clinic):
    later = timezone.now() + NO_LOG_ALERT_AFTER

    [alert] = exercise_alerts(clinic=clinic, now=later)

    assert alert.last_log is None
    assert exercise_alerts(clinic=other_clinic, now=later) == []

"""A follow-up link end to end: a real Celery worker on Redis sends it, the patient answers
on a phone-sized Chromium, and the therapist's worklist shows the answer.

Needs Redis (REDIS_URL, default redis://127.0.0.1:6379/3): skipped when it is down, unless
NEEDLETRACK_REQUIRE_REDIS=1 (CI), which makes a missing Redis fail the run.
"""

import os
import shutil
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from clinic.celery import app as celery_app
from clinic.outreach import tasks
from clinic.outreach.services.links import link_issue_for_plan
from sessions.models import Exercise, NeedlingSession, SessionStatus
from sessions.services.followup import followups_schedule
from tests.factories import (
    MuscleFactory,
    NeedlingSessionFactory,
    PatientFactory,
    PlanItemFactory,
    StrengtheningPlanFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

from .conftest import Steps
from .test_therapist_day import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REDIS_URL = os.environ.get("NEEDLETRACK_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def redis_broker():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        message = f"Redis is not running at {REDIS_URL} (redis-server --daemonize yes)"
        if os.environ.get("NEEDLETRACK_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}
    celery_app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        # Keys of this run only, whatever else (another run, another suite) uses the database.
        broker_transport_options={"global_keyprefix": f"needletrack-outreach-e2e-{os.getpid()}:"},
    )
    fresh_broker_connections()
    yield
    celery_app.conf.update(saved, broker_transport_options={})
    fresh_broker_connections()


def fresh_broker_connections() -> None:
    """Forget the connections opened to the broker configured before (as after a fork)."""
    celery_app._after_fork()


@pytest.fixture
def phone(browser, tmp_path):
    """A page in a phone-sized browser (390x844), its steps' screenshots kept like `page`'s."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.steps = Steps(page, tmp_path)
    yield page
    context.close()
    target = os.environ.get("NEEDLETRACK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for path in page.steps.taken:
            shutil.copy(path, Path(target) / path.name.split("-", 1)[1])


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker"
        time.sleep(0.2)


def needled_49_hours_ago(clinic):
    patient = PatientFactory(
        clinic=clinic, first_name="Nora", email="nora@example.org", contact_consent=True
    )
    started = timezone.now() - timedelta(hours=49)
    session = NeedlingSessionFactory(
        screening__patient=patient, screening__taken_at=started - timedelta(hours=1)
    )
    TriggerPointSiteFactory(session=session, muscle=MuscleFactory(name="Upper trapezius"))
    NeedlingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.SIGNED, signed_at=started + timedelta(minutes=30)
    )
    session.refresh_from_db()
    followups_schedule(session=session)
    return patient


def test_a_due_check_is_sent_by_the_worker_answered_on_a_phone_and_seen_on_the_worklist(
    phone, page, live_server, settings, clinic, redis_broker
):
    settings.NEEDLETRACK_PUBLIC_URL = live_server.url
    TherapistFactory(clinic=clinic, username="sam")
    needled_49_hours_ago(clinic)

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=20):
        tasks.send_due_check_links.delay()
        wait_for(lambda: len(mail.outbox) == 1)
    link = next(line for line in mail.outbox[0].body.splitlines() if "/p/" in line).strip()

    phone.goto(link)
    expect(phone.get_by_role("heading", name="Hello Nora")).to_be_visible()
    phone.steps.shot("patient-soreness-check")
    phone.locator("label[for=id_soreness_5]").click()
    phone.get_by_label("Shoulder, left side (upper trapezius)").check()
    phone.locator("label[for=id_resolved_1]").click()
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you, Nora")).to_be_visible()
    phone.steps.shot("patient-answered")
    phone.goto(link)
    expect(phone.get_by_role("heading", name="This link has expired.")).to_be_visible()

    desk = page
    sign_in(desk, live_server.url, "sam")
    answers = desk.locator("section", has=desk.get_by_role("heading", name="Answered by patients"))
    expect(answers.get_by_text("48 h follow-up: soreness 5/10, not gone")).to_be_visible()
    expect(desk.get_by_text("5/10 at the 48 h follow-up")).to_be_visible()


def test_a_patient_logs_home_exercise_on_a_phone(phone, live_server, clinic):
    patient = PatientFactory(
        clinic=clinic, first_name="Nora", email="nora@example.org", contact_consent=True
    )
    therapist = TherapistFactory(clinic=clinic)
    plan = StrengtheningPlanFactory(patient=patient, therapist=therapist)
    for name in ("Glute bridge", "Clamshell"):
        PlanItemFactory(plan=plan, exercise=Exercise.objects.get(name=name))
    token = link_issue_for_plan(plan=plan, actor=therapist).token

    phone.goto(f"{live_server.url}/p/{token}/")
    expect(phone.get_by_role("heading", name="Glute bridge")).to_be_visible()
    for card in phone.locator("section.card").all():
        card.get_by_label("Sets done").select_option("3")
        card.get_by_label("Effort (0-10)").select_option("4")
        card.get_by_label("Pain (0-10)").select_option("1")
    phone.steps.shot("patient-plan")
    phone.get_by_role("button", name="Log today's exercise").click()
    expect(phone.get_by_text("Thank you: today's exercise is logged.")).to_be_visible()
    assert plan.adherence_entries.get().logs.count() == 2


def test_a_check_link_is_sent_and_revoked_from_its_worklist_row(page, live_server, clinic):
    """The row's buttons (cached markup, no form of their own) post the page's one form."""
    TherapistFactory(clinic=clinic, username="sam")
    needled_49_hours_ago(clinic)

    sign_in(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/sessions/worklist/")
    # The 48 h follow-up's (the 24 h one's link would have expired already).
    page.get_by_role("button", name="Send link").last.click()
    expect(page.get_by_role("button", name="Revoke link")).to_be_visible()
    expect(page.get_by_role("button", name="Resend link")).to_be_visible()

    page.get_by_role("button", name="Revoke link").click()
    expect(page.get_by_text("Patient link (revoked)")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke link")).to_have_count(0)

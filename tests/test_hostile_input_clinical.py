"""Hostile input on the clinical forms: needling sessions, follow-up, adverse events and plans.

Each example runs inside a transaction that is rolled back. Stored text of the fixtures carries
markup, so every page a test opens also proves it is escaped.
"""

import re
from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bench.formdata import form_minute, session_values, site_values
from sessions.forms.needling import SITE_PREFIX
from sessions.forms.plans import ITEM_PREFIX
from sessions.models import (
    AdherenceEntry,
    AdverseEvent,
    CheckStatus,
    EventStatus,
    ExerciseLog,
    Muscle,
    NeedlingSession,
    PlanItem,
    PlanPairing,
    PlanStatus,
    SessionAddendum,
    SorenessCheck,
    StrengtheningPlan,
    TriggerPointSite,
)
from sessions.models.session import MAX_SITES
from tests.factories import (
    AdverseEventFactory,
    ExerciseLogFactory,
    PatientFactory,
    PlanItemFactory,
    ScreeningFactory,
    SorenessCheckFactory,
    StrengtheningPlanFactory,
)
from tests.hostile import (
    FAST,
    MARKUP,
    assert_handled,
    counts,
    field,
    hostile,
    management,
    rolled_back,
    session_with_site,
    spoiled,
    with_management,
)
from tests.sessions.plan_data import exercise, item_row, needled_session

pytestmark = pytest.mark.django_db

SESSION_TABLES = (NeedlingSession, TriggerPointSite, SorenessCheck)


def row_counts(tables) -> list[int]:
    return [model.objects.count() for model in tables]


def added_since(tables, before: list[int]) -> list[int]:
    return [now - then for now, then in zip(row_counts(tables), before, strict=True)]


def gluteus() -> Muscle:
    return Muscle.objects.get(name="Gluteus medius")


@pytest.fixture
def screening(therapist):
    """A clearing screening of a patient whose name is markup."""
    patient = PatientFactory(clinic=therapist.clinic, first_name=MARKUP[0])
    return ScreeningFactory(
        patient=patient, therapist=therapist, taken_at=timezone.now() - timedelta(days=2)
    )


@pytest.fixture
def draft(screening):
    return session_with_site(screening, ago=timedelta(hours=1), signed=False)


@pytest.fixture
def signed(screening):
    return session_with_site(screening, ago=timedelta(hours=30), signed=True)


@pytest.fixture
def due_check(signed):
    """The 24 h follow-up, due six hours ago; the 48 and 72 h ones are still to come."""
    for hours in (48, 72):
        SorenessCheckFactory(session=signed, hours_after=hours)
    return SorenessCheckFactory(session=signed, hours_after=24)


@pytest.fixture
def escalation(signed):
    return AdverseEventFactory(escalation=True, session=signed, description=MARKUP[0])


@pytest.fixture
def plan(signed, therapist):
    """An active plan paired with the signed session; one exercise with two easy logs."""
    plan = StrengtheningPlanFactory(patient=signed.patient, therapist=therapist, goal=MARKUP[1])
    PlanPairing.objects.create(plan=plan, session=signed)
    item = PlanItemFactory(plan=plan, exercise=exercise("Glute bridge"), notes=MARKUP[2])
    for _ in range(2):
        ExerciseLogFactory(item=item, rpe=4, sets_done=item.sets)
    return plan


def site_row(muscle: Muscle) -> dict:
    """Every field of a site row, a ticked and an unticked checkbox among them."""
    return site_values(muscle.pk, twitch_response="on", lung_risk_acknowledged="")


def draw_session_post(data, *, started_at, first_rows=(), initial: int = 0) -> dict:
    """A whole session form: details, site rows (a lung-risk muscle refuses at the gate),
    management counts and the button, each possibly hostile."""
    muscles = [gluteus(), Muscle.objects.filter(lung_risk=True).first()]
    extra = data.draw(
        st.lists(
            st.sampled_from(muscles).map(site_row).flatmap(lambda row: spoiled(row, at_most=1)),
            max_size=3,
        )
    )
    rows = [*first_rows, *extra]
    return {
        **data.draw(spoiled(session_values(started_at), at_most=2)),
        "action": data.draw(st.one_of(st.sampled_from(["", "sign"]), hostile)),
        **with_management(
            SITE_PREFIX, rows, data.draw(management(total=len(rows), initial=initial))
        ),
    }


def assert_every_session_has_sites() -> None:
    assert not NeedlingSession.objects.filter(sites__isnull=True).exists()


@FAST
@given(data=st.data())
def test_session_create_writes_the_note_with_its_sites_or_nothing(
    therapist_client, screening, data
):
    patient = screening.patient
    form = draw_session_post(data, started_at=timezone.now() - timedelta(minutes=10))
    with rolled_back():
        before = row_counts(SESSION_TABLES)

        response = therapist_client.post(
            reverse("treatment_sessions:create", args=[patient.pk]), form
        )

        assert_handled(response)
        sessions, sites, checks = added_since(SESSION_TABLES, before)
        assert sessions == (1 if response.status_code == 302 else 0)
        assert_every_session_has_sites()
        if sessions:
            session = NeedlingSession.objects.latest("pk")
            assert sites == session.sites.count()
            assert checks == (len(patient.clinic.soreness_check_hours) if session.is_signed else 0)
            assert_handled(therapist_client.get(session.get_absolute_url()))
            assert_handled(therapist_client.get(patient.get_absolute_url()))
        else:
            assert [sites, checks] == [0, 0]


@FAST
@given(data=st.data())
def test_session_edit_changes_the_draft_whole_or_not_at_all(therapist_client, draft, data):
    stored_site = draft.sites.get()
    first_row = data.draw(
        spoiled({**site_row(gluteus()), "id": str(stored_site.pk), "session": str(draft.pk)})
    )
    form = draw_session_post(data, started_at=draft.started_at, first_rows=[first_row], initial=1)
    draft.refresh_from_db()
    stored = model_to_dict(draft)
    stored_sites = [model_to_dict(site) for site in TriggerPointSite.objects.all()]
    with rolled_back():
        before = row_counts(SESSION_TABLES)

        response = therapist_client.post(reverse("treatment_sessions:edit", args=[draft.pk]), form)

        assert_handled(response)
        sessions, sites, checks = added_since(SESSION_TABLES, before)
        assert sessions == 0
        assert_every_session_has_sites()
        draft.refresh_from_db()
        if response.status_code == 302:
            assert checks == (
                len(draft.patient.clinic.soreness_check_hours) if draft.is_signed else 0
            )
            assert_handled(therapist_client.get(draft.get_absolute_url()))
        else:
            assert model_to_dict(draft) == stored
            assert [model_to_dict(site) for site in TriggerPointSite.objects.all()] == stored_sites
            assert [sites, checks] == [0, 0]


@FAST
@given(total=counts)
def test_added_site_row_is_numbered_within_the_form(therapist_client, total):
    response = therapist_client.get(
        reverse("treatment_sessions:site_row"), {f"{SITE_PREFIX}-TOTAL_FORMS": total}
    )

    assert response.status_code == 200
    numbers = set(re.findall(rf'name="{SITE_PREFIX}-(\d+)-muscle"', response.content.decode()))
    assert len(numbers) == 1
    assert 0 <= int(numbers.pop()) <= MAX_SITES


@FAST
@given(data=spoiled({"reason": "Late entry", "text": "Patient rang: soreness settled."}))
def test_addendum_is_added_whole_or_not_at_all(therapist_client, signed, data):
    with rolled_back():
        before = SessionAddendum.objects.count()

        response = therapist_client.post(
            reverse("treatment_sessions:addendum_create", args=[signed.pk]), data, follow=True
        )

        assert_handled(response)
        added = SessionAddendum.objects.count() - before
        levels = [message.level_tag for message in response.context["messages"]]
        assert levels == (["success"] if added == 1 else ["error"])
        if added:
            addendum = SessionAddendum.objects.latest("pk")
            assert (addendum.reason, addendum.text) == (
                data["reason"].strip(),
                data["text"].strip(),
            )


@FAST
@given(body=st.dictionaries(hostile, hostile, max_size=3), sign_draft=st.booleans())
def test_signing_locks_a_draft_once(therapist_client, draft, signed, body, sign_draft):
    session = draft if sign_draft else signed
    with rolled_back():
        before = SorenessCheck.objects.count()

        response = therapist_client.post(
            reverse("treatment_sessions:sign", args=[session.pk]), body
        )

        assert response.status_code == 302
        session.refresh_from_db()
        assert session.is_signed
        scheduled = len(session.patient.clinic.soreness_check_hours) if sign_draft else 0
        assert SorenessCheck.objects.count() - before == scheduled
        assert_handled(therapist_client.get(session.get_absolute_url()))


@FAST
@given(data=st.data(), htmx=st.booleans())
def test_followup_is_recorded_whole_or_not_at_all(therapist_client, due_check, data, htmx):
    site = due_check.session.sites.get()
    values = data.draw(
        spoiled(
            {
                "method": "phone",
                "soreness": "2",
                "resolved": "",
                "sore_sites": str(site.pk),
                "done_at": "",
                "notes": "",
            }
        )
    )
    form = {f"check-{due_check.pk}-{name}": value for name, value in values.items()}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    due_check.refresh_from_db()
    stored = model_to_dict(due_check)
    tables = (SorenessCheck, AdverseEvent)
    with rolled_back():
        before = row_counts(tables)

        response = therapist_client.post(
            reverse("treatment_sessions:followup_record", args=[due_check.pk]), form, **headers
        )

        assert_handled(response)
        assert response.status_code == (200 if htmx else 302)
        checks, events = added_since(tables, before)
        assert checks == 0
        due_check.refresh_from_db()
        if due_check.status == CheckStatus.DONE:
            assert events in (0, 1)
            assert_handled(therapist_client.get(reverse("treatment_sessions:worklist")))
            assert_handled(therapist_client.get(due_check.session.get_absolute_url()))
        else:
            assert model_to_dict(due_check) == stored
            assert events == 0


@FAST
@given(data=st.data())
def test_adverse_event_is_recorded_whole_or_not_at_all(therapist_client, signed, data):
    form = data.draw(
        spoiled(
            {
                "event_type": "bruising",
                "severity": "mild",
                "site": str(signed.sites.get().pk),
                "onset_at": form_minute(timezone.now() - timedelta(hours=2)),
                "description": "Small bruise at the needling site.",
                "action_taken": "",
                "referral_made": "",
                "resolved_on": "",
            }
        )
    )
    with rolled_back():
        before = AdverseEvent.objects.count()

        response = therapist_client.post(
            reverse("treatment_sessions:adverse_event_create", args=[signed.pk]), form
        )

        assert_handled(response)
        added = AdverseEvent.objects.count() - before
        assert added == (1 if response.status_code == 302 else 0)
        if added:
            assert_handled(therapist_client.get(response.url))
            assert_handled(therapist_client.get(signed.get_absolute_url()))


DECISIONS = {
    "confirm": (
        EventStatus.CONFIRMED,
        {
            "severity": "moderate",
            "action_taken": "",
            "referral_made": "",
            "resolved_on": "",
            "reason": "",
        },
    ),
    "dismiss": (EventStatus.DISMISSED, {"reason": "Soreness of the expected course."}),
}


@pytest.mark.parametrize("decision", DECISIONS)
@FAST
@given(data=st.data())
def test_escalation_is_decided_whole_or_not_at_all(therapist_client, escalation, decision, data):
    status, valid = DECISIONS[decision]
    values = data.draw(spoiled(valid))
    form = {f"{decision}-{name}": value for name, value in values.items()}
    escalation.refresh_from_db()
    stored = model_to_dict(escalation)
    with rolled_back():
        before = AdverseEvent.objects.count()

        response = therapist_client.post(
            reverse(f"treatment_sessions:adverse_event_{decision}", args=[escalation.pk]), form
        )

        assert response.status_code == 302
        assert AdverseEvent.objects.count() == before
        escalation.refresh_from_db()
        if escalation.status == EventStatus.DRAFT:
            assert model_to_dict(escalation) == stored
        else:
            assert escalation.status == status
            assert escalation.decided_by is not None
        assert_handled(therapist_client.get(escalation.get_absolute_url()))
        assert_handled(therapist_client.get(reverse("treatment_sessions:worklist")))


PLAN_TABLES = (StrengtheningPlan, PlanPairing, PlanItem)


@FAST
@given(data=st.data())
def test_plan_is_created_whole_or_not_at_all(therapist_client, therapist, data):
    patient = PatientFactory(clinic=therapist.clinic, first_name=MARKUP[0])
    session = needled_session(patient, "Gluteus medius")
    today = timezone.localdate()
    rows = data.draw(
        st.lists(
            st.sampled_from(["Glute bridge", "Clamshell"]).map(item_row).flatmap(spoiled),
            max_size=3,
        )
    )
    form = {
        **data.draw(
            spoiled(
                {
                    "sessions": str(session.pk),
                    "goal": "Sit at the desk all day without hip pain.",
                    "start_date": today.isoformat(),
                    "review_date": (today + timedelta(weeks=6)).isoformat(),
                }
            )
        ),
        **with_management(ITEM_PREFIX, rows, data.draw(management(total=len(rows)))),
    }
    with rolled_back():
        before = row_counts(PLAN_TABLES)

        response = therapist_client.post(
            reverse("treatment_sessions:plan_create", args=[patient.pk]), form
        )

        assert_handled(response)
        plans, pairings, items = added_since(PLAN_TABLES, before)
        if response.status_code == 302:
            assert [plans, pairings] == [1, 1]
            assert 1 <= items <= len(rows)
            plan = StrengtheningPlan.objects.latest("pk")
            assert_handled(therapist_client.get(plan.get_absolute_url()))
            assert_handled(
                therapist_client.get(reverse("treatment_sessions:plan_handout", args=[plan.pk]))
            )
            assert_handled(therapist_client.get(patient.get_absolute_url()))
        else:
            assert [plans, pairings, items] == [0, 0, 0]


@FAST
@given(data=st.data())
def test_plan_suggestions_survive_hostile_query(therapist_client, signed, data):
    exercise_pk = str(exercise("Glute bridge").pk)
    query = {
        "sessions": data.draw(st.lists(field(str(signed.pk)), max_size=3)),
        "row": data.draw(field("1")),
        f"{ITEM_PREFIX}-TOTAL_FORMS": data.draw(counts),
        "exercise": data.draw(field(exercise_pk)),
        f"{ITEM_PREFIX}-0-exercise": data.draw(field(exercise_pk)),
        f"{ITEM_PREFIX}-0-DELETE": data.draw(field("")),
    }
    with rolled_back():
        response = therapist_client.get(reverse("treatment_sessions:plan_suggestions"), query)

        assert response.status_code == 200
        assert_handled(response)
        form_page = therapist_client.get(
            reverse("treatment_sessions:plan_create", args=[signed.patient.pk]),
            {"session": query["sessions"]},
        )
        assert form_page.status_code == 200
        assert_handled(form_page)


@pytest.mark.parametrize("bad_id", ["\u00b2", "99999999999999999999999"])
def test_plan_suggestions_ignore_ids_that_cannot_be_keys(therapist_client, signed, bad_id):
    response = therapist_client.get(
        reverse("treatment_sessions:plan_suggestions"),
        {"sessions": [str(signed.pk), bad_id], "row": "1", "exercise": bad_id},
    )

    assert response.status_code == 200
    assert f'name="{ITEM_PREFIX}-0-exercise"' in response.content.decode()
    assert "Glute bridge" in response.content.decode()


@FAST
@given(data=st.data())
def test_adherence_is_recorded_whole_or_not_at_all(therapist_client, plan, data):
    items = list(plan.items.all())
    logs = {
        f"log-{item.pk}-{name}": value
        for item in items
        for name, value in data.draw(
            spoiled({"sets_done": str(item.sets), "rpe": "6", "pain_during": "1"})
        ).items()
    }
    form = {
        **data.draw(
            spoiled(
                {
                    "date": timezone.localdate().isoformat(),
                    "sessions_completed": "3",
                    "notes": "",
                }
            )
        ),
        **logs,
    }
    tables = (AdherenceEntry, ExerciseLog)
    with rolled_back():
        before = row_counts(tables)

        response = therapist_client.post(
            reverse("treatment_sessions:adherence_create", args=[plan.pk]), form
        )

        assert_handled(response)
        added = added_since(tables, before)
        if response.status_code == 302:
            assert added == [1, len(items)]
            assert_handled(therapist_client.get(plan.get_absolute_url()))
        else:
            assert added == [0, 0]


@FAST
@given(data=spoiled({"status": PlanStatus.STOPPED.value, "reason": "Moved to another city."}))
def test_plan_ends_whole_or_not_at_all(therapist_client, plan, data):
    plan.refresh_from_db()
    stored = model_to_dict(plan)
    with rolled_back():
        response = therapist_client.post(
            reverse("treatment_sessions:plan_end", args=[plan.pk]), data
        )

        assert response.status_code == 302
        plan.refresh_from_db()
        if plan.is_active:
            assert model_to_dict(plan) == stored
        else:
            assert plan.status == data["status"]
            assert plan.ended_on == timezone.localdate()
            assert plan.status == PlanStatus.COMPLETED or plan.stopped_reason
        assert_handled(therapist_client.get(plan.get_absolute_url()))


@FAST
@given(body=st.dictionaries(hostile, hostile, max_size=3))
def test_plan_item_progresses_once_whatever_is_posted(therapist_client, plan, body):
    item = plan.items.get()
    url = reverse("treatment_sessions:plan_item_progress", args=[item.pk])
    with rolled_back():
        before = row_counts(PLAN_TABLES)

        first = therapist_client.post(url, body)
        again = therapist_client.post(url, body)

        assert [first.status_code, again.status_code] == [302, 302]
        assert row_counts(PLAN_TABLES) == before
        progressed = PlanItem.objects.get(pk=item.pk)
        assert progressed.reps == item.reps + item.progression_step
        assert_handled(therapist_client.get(plan.get_absolute_url()))

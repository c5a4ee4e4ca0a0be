"""Hostile input on the patient link pages: no server error, nothing written by halves,
markup escaped (the patient's first name is markup here)."""

from urllib.parse import quote

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from clinic.outreach.services.links import link_issue_for_outcomes, link_issue_for_plan
from patients.instruments import Instrument, Timepoint
from patients.models import OutcomeAssessment
from sessions.models import AdherenceEntry, AdverseEvent, CheckStatus, SorenessCheck
from tests.factories import PlanItemFactory, StrengtheningPlanFactory, open_episode
from tests.hostile import FAST, MARKUP, assert_handled, hostile, rolled_back, spoiled

from .conftest import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(patient):
    patient.first_name = MARKUP[0]
    patient.save()
    return patient


@pytest.fixture
def check_url(check):
    return reverse("patient_link:open", args=[issue(check)[1]])


@pytest.fixture
def plan_item(patient, therapist):
    plan = StrengtheningPlanFactory(patient=patient, therapist=therapist)
    item = PlanItemFactory(plan=plan)
    item.url = reverse(
        "patient_link:open", args=[link_issue_for_plan(plan=plan, actor=therapist).token]
    )
    return item


@FAST
@given(token=hostile)
def test_any_token_gets_a_plain_answer(client, check, token):
    with rolled_back():
        assert_handled(client.get(f"/p/{quote(token, safe='')}/"))


@FAST
@given(data=st.data())
def test_a_self_report_is_recorded_whole_or_not_at_all(client, check, check_url, data):
    site = check.session.sites.get()
    stored = model_to_dict(SorenessCheck.objects.get(pk=check.pk))
    form = data.draw(spoiled({"soreness": "5", "resolved": "no", "sore_sites": str(site.pk)}))
    with rolled_back():
        response = client.post(check_url, form)

        assert_handled(response)
        now = SorenessCheck.objects.get(pk=check.pk)
        if now.status == CheckStatus.DONE:
            assert now.soreness == 5
        else:
            assert model_to_dict(now) == stored
            assert not AdverseEvent.objects.exists()


@FAST
@given(data=st.data())
def test_a_daily_log_is_recorded_whole_or_not_at_all(client, plan_item, data):
    item = plan_item
    form = data.draw(
        spoiled({f"sets_{item.pk}": "3", f"rpe_{item.pk}": "4", f"pain_{item.pk}": "2"})
    )
    with rolled_back():
        response = client.post(item.url, form)

        assert_handled(response)
        entries = list(AdherenceEntry.objects.filter(plan=item.plan))
        assert len(entries) in (0, 1)
        if entries:
            assert entries[0].logs.count() == 1


@pytest.fixture
def measures_url(patient, therapist):
    issued = link_issue_for_outcomes(
        episode=open_episode(patient),
        actor=therapist,
        timepoint=Timepoint.INTAKE,
        instruments=[Instrument.PSFS, Instrument.NDI],
    )
    return reverse("patient_link:open", args=[issued.token])


@FAST
@given(data=st.data())
def test_outcome_measures_are_recorded_all_or_none(client, measures_url, data):
    answers = {"psfs_label_1": "Stairs", "psfs_1": "6"}
    answers.update({f"ndi_{number}": "2" for number in range(1, 11)})
    form = data.draw(spoiled(answers))
    with rolled_back():
        response = client.post(measures_url, form)

        assert_handled(response)
        assert OutcomeAssessment.objects.count() in (0, 2)

import re

import pytest
from django.urls import reverse

from sessions.models import Exercise
from sessions.services import plans as plan_services
from tests.factories import PatientFactory

from .plan_data import exercise, needled_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(therapist):
    return PatientFactory(clinic=therapist.clinic)


def ranked(suggestions) -> list[tuple[str, int]]:
    return [(e.name, e.overlap) for e in suggestions]


def test_exercises_loading_the_needled_muscles_come_first(patient):
    session = needled_session(patient, "Rhomboids", "Middle trapezius")

    suggestions = plan_services.exercise_suggestions(sessions=[session])

    assert ranked(suggestions) == [
        ("Scapular retraction with band", 2),
        ("Band pull-apart", 1),
        ("Prone Y/T raises", 1),
    ]


def test_muscles_from_every_paired_session_count(patient):
    neck = needled_session(patient, "Upper trapezius")
    hip = needled_session(patient, "Gluteus medius", "Gluteus minimus", "Gluteus maximus")

    suggestions = plan_services.exercise_suggestions(sessions=[neck, hip])

    assert ranked(suggestions)[:3] == [
        ("Clamshell", 2),
        ("Side-lying hip abduction", 2),
        ("Glute bridge", 1),
    ]
    assert ("Shrug", 1) in ranked(suggestions)


def test_exercises_already_in_the_plan_are_not_suggested_again(patient):
    session = needled_session(patient, "Rhomboids", "Middle trapezius")
    chosen = exercise("Scapular retraction with band")

    suggestions = plan_services.exercise_suggestions(sessions=[session], exclude=[chosen.pk])

    assert [e.name for e in suggestions] == ["Band pull-apart", "Prone Y/T raises"]


def test_suggestions_take_one_query_however_many_sessions(patient, django_assert_num_queries):
    sessions = [
        needled_session(patient, "Rhomboids", "Gastrocnemius"),
        needled_session(patient, "Soleus", "Wrist extensors", "Gluteus maximus"),
    ]

    with django_assert_num_queries(1):
        list(Exercise.objects.active().suggested_for(sessions))


def test_plan_form_opened_from_a_session_pairs_it_and_lists_its_suggestions(
    therapist_client, patient
):
    session = needled_session(patient, "Gastrocnemius", "Soleus")
    url = reverse("treatment_sessions:plan_create", args=[patient.pk])

    body = therapist_client.get(f"{url}?session={session.pk}").content.decode()

    assert re.search(rf'name="sessions" value="{session.pk}"[^>]*checked', body)
    assert "Calf raise" in body
    assert "2 needled muscles" in body


def test_adding_a_suggestion_fills_in_its_dosage_and_drops_it_from_the_list(
    therapist_client, patient
):
    session = needled_session(patient, "Rhomboids", "Middle trapezius")
    chosen = exercise("Scapular retraction with band")

    response = therapist_client.get(
        reverse("treatment_sessions:plan_suggestions"),
        {"sessions": session.pk, "row": "1", "exercise": chosen.pk, "items-TOTAL_FORMS": "0"},
    )

    body = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>' in body
    assert 'name="items-0-sets" value="3"' in body
    assert 'value="band_light" selected' in body
    suggestions = body.split('id="suggestions"')[1]
    assert "Scapular retraction with band" not in suggestions
    assert "Band pull-apart" in suggestions


def test_suggestions_ignore_sessions_of_another_clinic(client, other_clinic_therapist, patient):
    session = needled_session(patient, "Rhomboids")
    client.force_login(other_clinic_therapist)

    response = client.get(reverse("treatment_sessions:plan_suggestions"), {"sessions": session.pk})

    assert "Band pull-apart" not in response.content.decode()

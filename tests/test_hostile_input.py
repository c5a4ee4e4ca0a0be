"""Hostile input on every form: never a server error, never half a record, always escaped.

Each example runs inside a transaction that is rolled back, so examples do not see each other's
rows while the function-scoped fixtures (users, signed-in clients) are built once per test.
"""

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic.accounts.models import Role, User
from patients.forms import avoid_region_choices
from patients.models import AvoidRegion, Patient, Screening, ScreeningAnswer, ScreeningQuestion
from tests.factories import TEST_PASSWORD, PatientFactory, TherapistFactory
from tests.hostile import FAST, assert_escaped, assert_handled, dates, field, hostile, rolled_back

pytestmark = pytest.mark.django_db

FAST = settings(FAST, max_examples=30)


patient_data = st.fixed_dictionaries(
    {
        "first_name": field("Jo"),
        "last_name": field("Smith"),
        "date_of_birth": st.one_of(st.just("1979-03-02"), dates),
        "sex": field("female"),
        "mrn": field("A-100"),
        "phone": field(""),
        "email": field("jo@example.org"),
        "takes_anticoagulants": field("on"),
        "relevant_history": field(""),
    }
)


@FAST
@given(data=patient_data)
def test_patient_register_survives_hostile_input(therapist_client, data):
    with rolled_back():
        before = Patient.objects.count()

        response = therapist_client.post(reverse("patients:create"), data)

        assert_handled(response)
        created = Patient.objects.count() - before
        assert created == (1 if response.status_code == 302 else 0)
        if created:
            page = therapist_client.get(response.url)
            assert_handled(page)
            assert_handled(therapist_client.get(reverse("patients:list")))


@FAST
@given(data=patient_data)
def test_patient_edit_survives_hostile_input(therapist_client, therapist, data):
    patient = PatientFactory(clinic=therapist.clinic)
    stored = model_to_dict(patient)
    with rolled_back():
        response = therapist_client.post(reverse("patients:edit", args=[patient.pk]), data)

        assert_handled(response)
        patient.refresh_from_db()
        if response.status_code == 302:
            assert patient.first_name == data["first_name"].strip()
            assert_handled(therapist_client.get(patient.get_absolute_url()))
        else:
            assert model_to_dict(patient) == stored


@FAST
@given(
    query=st.fixed_dictionaries({"q": hostile, "dob": dates, "archived": hostile, "page": hostile})
)
def test_patient_search_survives_hostile_input(therapist_client, therapist, query):
    PatientFactory(clinic=therapist.clinic)
    with rolled_back():
        response = therapist_client.get(reverse("patients:list"), query)

        assert response.status_code == 200
        assert_escaped(response.content.decode())


@FAST
@given(data=st.data())
def test_screening_is_recorded_whole_or_not_at_all(therapist_client, therapist, data):
    patient = PatientFactory(clinic=therapist.clinic)
    questions = list(ScreeningQuestion.objects.active())
    answers = {
        f"q_{q.pk}": data.draw(st.one_of(st.sampled_from(["yes", "no"]), hostile))
        for q in questions
    }
    regions = [value for value, _label in avoid_region_choices()]
    form = {
        **answers,
        "avoid_regions": data.draw(
            st.lists(st.one_of(st.sampled_from(regions), hostile), max_size=4)
        ),
        "justification": data.draw(field("Needling away from the affected arm.")),
        "notes": data.draw(field("")),
    }
    tables = (Screening, ScreeningAnswer, AvoidRegion)
    with rolled_back():
        before = [model.objects.count() for model in tables]

        response = therapist_client.post(
            reverse("patients:screening_create", args=[patient.pk]), form
        )

        assert_handled(response)
        added = [model.objects.count() - count for model, count in zip(tables, before, strict=True)]
        if response.status_code == 302:
            assert added[:2] == [1, len(questions)]
            assert added[2] == len(set(form["avoid_regions"]))
            assert_handled(therapist_client.get(response.url))
            assert_handled(therapist_client.get(patient.get_absolute_url()))
        else:
            assert added == [0, 0, 0]


staff_data = st.fixed_dictionaries(
    {
        "username": field("new.therapist"),
        "first_name": field("Sam"),
        "last_name": field("Lee"),
        "email": field(""),
        "role": field(Role.THERAPIST.value),
        "password": field("correct-horse-battery-staple-9"),
    }
)


@FAST
@given(data=staff_data)
def test_staff_create_survives_hostile_input(admin_client_, data):
    with rolled_back():
        before = User.objects.count()

        response = admin_client_.post(reverse("accounts:staff_create"), data)

        assert_handled(response)
        assert User.objects.count() - before == (1 if response.status_code == 302 else 0)
        if response.status_code == 302:
            assert_handled(admin_client_.get(reverse("accounts:staff_list")))


@FAST
@given(
    data=st.fixed_dictionaries(
        {
            "first_name": field("Sam"),
            "last_name": field("Lee"),
            "email": field(""),
            "role": field(Role.THERAPIST.value),
            "is_active": field("on"),
        }
    )
)
def test_staff_edit_survives_hostile_input(admin_client_, clinic_admin, data):
    member = TherapistFactory(clinic=clinic_admin.clinic)
    stored = model_to_dict(member)
    with rolled_back():
        response = admin_client_.post(reverse("accounts:staff_edit", args=[member.pk]), data)

        assert_handled(response)
        member.refresh_from_db()
        if response.status_code == 302:
            assert member.first_name == data["first_name"].strip()
            assert_handled(admin_client_.get(reverse("accounts:staff_list")))
        else:
            assert model_to_dict(member) == stored


@FAST
@given(username=field("therapist"), password=field(TEST_PASSWORD))
def test_login_survives_hostile_input(therapist, username, password):
    client = Client()
    with rolled_back():
        response = client.post(reverse("login"), {"username": username, "password": password})

        assert_handled(response)
        signed_in = "_auth_user_id" in client.session
        assert signed_in == (username == therapist.username and password == TEST_PASSWORD)

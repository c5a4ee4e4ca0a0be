import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape

from bench.formdata import session_form_data
from sessions.forms.needling import UNKNOWN_MUSCLE
from sessions.models import NeedlingSession, SessionStatus, TriggerPointSite
from sessions.services import gate as safety_gate
from sessions.services.needling import NO_CONSENT
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    ScreeningFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened_patient(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    return patient


def test_therapist_logs_and_signs_a_session_with_two_sites(
    therapist_client, screened_patient, muscles
):
    url = reverse("treatment_sessions:create", args=[screened_patient.pk])
    sites = [
        {"muscle": muscles["Upper trapezius"].pk, "lung_risk_acknowledged": "on"},
        {"muscle": muscles["Levator scapulae"].pk, "side": "right", "twitch_response": "on"},
    ]

    response = therapist_client.post(url, session_form_data(sites), follow=True)

    session = NeedlingSession.objects.get()
    assert session.status == SessionStatus.SIGNED
    assert session.sites.count() == 2
    body = response.content.decode()
    assert "Session signed." in body
    assert "Upper trapezius" in body
    assert "lung risk · precaution taken" in body


def test_form_shows_the_refusal_instead_of_a_form(therapist_client, therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "needle-phobia")

    response = therapist_client.get(reverse("treatment_sessions:create", args=[patient.pk]))

    body = response.content.decode()
    assert safety_gate.REFUSED_NOT_CLEARED in body
    assert 'name="pain_before"' not in body


def test_refused_post_writes_nothing(therapist_client, therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "fever-chills")

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[patient.pk]),
        session_form_data([{"muscle": muscles["Soleus"].pk}]),
    )

    assert response.status_code == 200
    assert safety_gate.REFUSED_REFER in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_precautions_are_shown_on_the_form(therapist_client, therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient, "anticoagulants")

    body = therapist_client.get(
        reverse("treatment_sessions:create", args=[patient.pk])
    ).content.decode()

    assert "Cleared with precautions" in body
    assert "Takes anticoagulant or antiplatelet medication" in body
    assert "Shallow needling with pressure after." in body


def test_lung_risk_without_acknowledgement_is_explained_next_to_the_site(
    therapist_client, screened_patient, muscles
):
    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]),
        session_form_data([{"muscle": muscles["Pectoralis major"].pk}]),
    )

    body = response.content.decode()
    assert "Needling refused at 1 site(s)" in body
    assert "Pectoralis major carries a pneumothorax risk" in body
    assert not NeedlingSession.objects.exists()


def test_refusal_is_shown_on_the_site_it_concerns(therapist_client, screened_patient, muscles):
    data = session_form_data(
        [
            {"muscle": muscles["Soleus"].pk},
            {"muscle": "", "side": "", "technique": "static", "insertions": "1"},
            {"muscle": muscles["Pectoralis major"].pk},
        ]
    )
    data.update({"sites-1-side": "", "sites-1-insertions": "1"})

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]), data
    )

    site_forms = response.context["formset"].forms
    assert "pneumothorax" in str(site_forms[2].non_field_errors())
    assert not site_forms[1].non_field_errors()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pain_before": "11"}, "Ensure this value is less than or equal to 10."),
        ({"sites-0-insertions": "-2"}, "Ensure this value is greater than or equal to"),
        ({"sites-0-muscle": "999999"}, UNKNOWN_MUSCLE),
        ({"sites-0-muscle": "abc"}, UNKNOWN_MUSCLE),
        ({"consent_obtained": ""}, escape(NO_CONSENT)),
        ({"started_at": "yesterday"}, "Enter a valid date/time."),
    ],
)
def test_invalid_input_gets_a_clear_message(
    therapist_client, screened_patient, muscles, change, message
):
    data = session_form_data([{"muscle": muscles["Soleus"].pk}])
    data.update(change)

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]), data
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_no_sites_gets_a_clear_message(therapist_client, screened_patient):
    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]), session_form_data([])
    )

    assert safety_gate.NO_SITES in response.content.decode()
    assert not NeedlingSession.objects.exists()


def test_save_draft_then_edit_and_sign(therapist_client, screened_patient, muscles):
    create = reverse("treatment_sessions:create", args=[screened_patient.pk])
    therapist_client.post(
        create, session_form_data([{"muscle": muscles["Soleus"].pk}], action="draft", pain_after="")
    )
    session = NeedlingSession.objects.get()
    assert session.status == SessionStatus.DRAFT
    site_pk = session.sites.get().pk

    data = session_form_data([{"muscle": muscles["Soleus"].pk, "id": site_pk, "insertions": "5"}])
    data["sites-INITIAL_FORMS"] = "1"
    therapist_client.post(reverse("treatment_sessions:edit", args=[session.pk]), data)

    session.refresh_from_db()
    assert session.status == SessionStatus.SIGNED
    assert session.pain_after == int(data["pain_after"])
    assert session.sites.get().insertions == 5


def test_add_site_row_for_htmx(therapist_client):
    response = therapist_client.get(
        reverse("treatment_sessions:site_row"), {"sites-TOTAL_FORMS": "2"}
    )

    body = response.content.decode()
    assert 'name="sites-2-muscle"' in body
    assert "Site 3" in body
    assert 'id="id_sites-TOTAL_FORMS" value="3" hx-swap-oob="true"' in body


def test_another_clinics_session_is_404(therapist_client, other_clinic):
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(patient=PatientFactory(clinic=other_clinic))
    )
    patient = session.patient

    assert (
        therapist_client.get(reverse("treatment_sessions:detail", args=[session.pk])).status_code
        == 404
    )
    assert (
        therapist_client.get(reverse("treatment_sessions:edit", args=[session.pk])).status_code
        == 404
    )
    assert (
        therapist_client.post(reverse("treatment_sessions:sign", args=[session.pk])).status_code
        == 404
    )
    assert (
        therapist_client.post(
            reverse("treatment_sessions:addendum_create", args=[session.pk])
        ).status_code
        == 404
    )
    assert (
        therapist_client.get(reverse("treatment_sessions:create", args=[patient.pk])).status_code
        == 404
    )


def test_clinic_admin_reads_but_cannot_record(admin_client_, clinic_admin):
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(patient=PatientFactory(clinic=clinic_admin.clinic))
    )

    assert admin_client_.get(session.get_absolute_url()).status_code == 200
    assert (
        admin_client_.get(
            reverse("treatment_sessions:create", args=[session.patient.pk])
        ).status_code
        == 403
    )


def test_patient_session_history_newest_first_and_constant_queries(
    therapist_client, therapist, django_assert_max_num_queries
):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = ScreeningFactory(patient=patient, therapist=therapist)

    def add_sessions(count):
        for _ in range(count):
            session = NeedlingSessionFactory(screening=screening)
            TriggerPointSiteFactory.create_batch(3, session=session)

    add_sessions(1)
    # As the page budget in tests/bench/test_query_budgets.py, with this patient's sessions.
    with django_assert_max_num_queries(29) as baseline:
        therapist_client.get(patient.get_absolute_url())
    add_sessions(9)
    # The factories write past the services (no record version raised): compare cold pages.
    cache.clear()

    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = therapist_client.get(patient.get_absolute_url())

    sessions = list(response.context["session_page"])
    assert len(sessions) == 10
    assert sessions == sorted(sessions, key=lambda s: (s.started_at, s.pk), reverse=True)
    assert TriggerPointSite.objects.count() == 30


def test_session_history_paginates(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    screening = ScreeningFactory(patient=patient, therapist=therapist)
    NeedlingSessionFactory.create_batch(12, screening=screening)

    response = therapist_client.get(patient.get_absolute_url(), {"sessions": 2})

    assert len(response.context["session_page"]) == 2


def test_session_detail_reads_like_a_note_with_constant_queries(
    therapist_client, therapist, django_assert_max_num_queries
):
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(
            patient=PatientFactory(clinic=therapist.clinic), therapist=therapist
        )
    )
    TriggerPointSiteFactory.create_batch(5, session=session)

    with django_assert_max_num_queries(18):
        response = therapist_client.get(session.get_absolute_url())

    body = response.content.decode()
    assert "Pain (NPRS 0–10)" in body
    assert "Before: <strong>6</strong>" in body
    assert body.count("<tr><td>Gluteus medius") == 5
    assert 'aria-label="Back: Gluteus medius (left), 5 sites needled"' in body


def test_signed_session_offers_the_addendum_form_with_labelled_required_fields(
    therapist_client, therapist
):
    session = NeedlingSessionFactory(
        screening=ScreeningFactory(
            patient=PatientFactory(clinic=therapist.clinic), therapist=therapist
        ),
        signed=True,
    )

    body = therapist_client.get(session.get_absolute_url()).content.decode()

    action = reverse("treatment_sessions:addendum_create", args=[session.pk])
    form = body[body.index(f'action="{action}"') : body.index("Add addendum</button>")]
    for name, label in (("reason", "Reason"), ("text", "Text")):
        required_label = (
            rf'<label\s[^>]*for="id_{name}"[^>]*>\s*{label}<span class="asteriskField">\*'
        )
        assert re.search(required_label, form)
        assert f'name="{name}"' in form
    assert 'required id="id_reason"' in form
    assert 'type="hidden" name="form_token"' in form
    assert 'name="csrfmiddlewaretoken"' in form

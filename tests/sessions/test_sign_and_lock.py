import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sessions.models import SessionAddendum, SessionLockedError, SessionStatus
from sessions.models.session import ADDENDUM_INCOMPLETE
from sessions.services import gate as safety_gate
from sessions.services import needling as services
from tests.builders import session_details, site
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    TherapistFactory,
    TriggerPointSiteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    return services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"])],
        **session_details(),
    )


def test_signing_locks_the_session(draft, therapist):
    signed = services.session_sign(session=draft, actor=therapist)

    assert signed.status == SessionStatus.SIGNED
    assert signed.signed_at is not None


def test_signing_needs_a_complete_note(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    draft = services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"])],
        **session_details(pain_after=None, sharps_disposed=False),
    )

    with pytest.raises(ValidationError) as error:
        services.session_sign(session=draft, actor=therapist)

    assert "pain after treatment" in error.value.messages[0]
    assert "sharps disposal confirmed" in error.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == SessionStatus.DRAFT


def test_signed_session_rejects_service_edits(draft, therapist, muscles):
    services.session_sign(session=draft, actor=therapist)

    with pytest.raises(ValidationError, match="signed"):
        services.session_update(
            session=draft,
            actor=therapist,
            sites=[site(muscles["Soleus"])],
            **session_details(notes="rewritten"),
        )

    draft.refresh_from_db()
    assert draft.notes == ""
    assert [s.muscle.name for s in draft.sites.all()] == ["Gluteus medius"]


def test_signed_session_rejects_model_saves():
    session = NeedlingSessionFactory(status=SessionStatus.DRAFT)
    site_row = TriggerPointSiteFactory(session=session)
    session.status = SessionStatus.SIGNED
    session.signed_at = session.started_at
    session.save()

    session.notes = "changed after signing"
    with pytest.raises(SessionLockedError):
        session.save()
    site_row.insertions = 9
    with pytest.raises(SessionLockedError):
        site_row.save()


def test_signed_session_rejects_edits_through_the_form(draft, therapist, therapist_client):
    services.session_sign(session=draft, actor=therapist)
    url = reverse("treatment_sessions:edit", args=[draft.pk])

    response = therapist_client.post(url, {"notes": "rewritten"}, follow=True)

    assert services.SESSION_SIGNED in response.content.decode()
    draft.refresh_from_db()
    assert draft.notes == ""


def test_archived_patients_drafts_cannot_be_signed(draft, therapist):
    from patients.services import patient_archive

    patient_archive(patient=draft.patient)

    with pytest.raises(ValidationError, match="archived"):
        services.session_sign(session=draft, actor=therapist)


def test_only_the_treating_therapist_signs(draft, clinic):
    colleague = TherapistFactory(clinic=clinic)

    with pytest.raises(ValidationError, match="treating therapist"):
        services.session_sign(session=draft, actor=colleague)


def test_draft_update_reruns_the_gate(draft, therapist, muscles):
    with pytest.raises(safety_gate.NeedlingRefused):
        services.session_update(
            session=draft,
            actor=therapist,
            sites=[site(muscles["Scalenes"])],
            **session_details(),
        )

    updated = services.session_update(
        session=draft,
        actor=therapist,
        sites=[site(muscles["Scalenes"], lung_risk_acknowledged=True)],
        **session_details(notes="Added scalenes."),
    )
    assert updated.notes == "Added scalenes."
    assert [s.muscle.name for s in updated.sites.all()] == ["Gluteus medius", "Scalenes"]


def test_addenda_are_appended_below_a_signed_note(draft, therapist, therapist_client):
    with pytest.raises(ValidationError, match="Addenda are for signed sessions"):
        services.addendum_add(session=draft, author=therapist, reason="r", text="t")
    services.session_sign(session=draft, actor=therapist)

    response = therapist_client.post(
        reverse("treatment_sessions:addendum_create", args=[draft.pk]),
        {"reason": "Late entry", "text": "Patient reported mild dizziness after leaving."},
        follow=True,
    )

    addendum = SessionAddendum.objects.get()
    assert addendum.author == therapist
    body = response.content.decode()
    assert "Patient reported mild dizziness after leaving." in body
    assert "Late entry" in body


def test_addendum_without_text_says_so(draft, therapist, therapist_client):
    services.session_sign(session=draft, actor=therapist)

    response = therapist_client.post(
        reverse("treatment_sessions:addendum_create", args=[draft.pk]),
        {"reason": "", "text": ""},
        follow=True,
    )

    assert ADDENDUM_INCOMPLETE in response.content.decode()
    assert not SessionAddendum.objects.exists()


def test_a_colleague_opening_a_draft_gets_the_refusal_before_any_form(draft, client, clinic):
    colleague = TherapistFactory(clinic=clinic)
    client.force_login(colleague)

    response = client.get(reverse("treatment_sessions:edit", args=[draft.pk]), follow=True)

    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    page = response.content.decode()
    assert services.NOT_YOUR_SESSION in page
    assert "Save and sign" not in page

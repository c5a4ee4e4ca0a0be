"""Count them in, count them out; the billing code on the signed note."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from sessions.models import AdverseEventType, NeedlingSession, Severity, SorenessCheck
from sessions.rules.billing import CPT_ONE_OR_TWO_MUSCLES, CPT_THREE_OR_MORE_MUSCLES, cpt_code
from sessions.services import followup as followup_services
from sessions.services import needling as services
from tests.builders import session_details, site
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(therapist, screen, muscles):
    def _record(*names, **overrides):
        patient = PatientFactory(clinic=therapist.clinic)
        screen(patient)
        return services.session_record(
            patient=patient,
            therapist=therapist,
            sites=[site(muscles[name]) for name in names or ["Soleus"]],
            **session_details(**overrides),
        )

    return _record


def event(session, therapist, event_type) -> None:
    followup_services.adverse_event_record(
        session=session,
        reporter=therapist,
        event_type=event_type,
        severity=Severity.MODERATE,
        onset_at=session.started_at + timedelta(minutes=5),
        description="Counted out one short.",
    )


def assert_still_a_draft(session) -> None:
    assert not NeedlingSession.objects.get(pk=session.pk).is_signed
    assert not SorenessCheck.objects.filter(session=session).exists()


def test_signing_needs_the_needle_count(record, therapist):
    draft = record(needles_used=None, needles_disposed=None)

    with pytest.raises(ValidationError) as error:
        services.session_sign(session=draft, actor=therapist)

    assert error.value.messages == [
        services.INCOMPLETE_FOR_SIGNING.format(missing="needles used, needles removed and disposed")
    ]
    assert_still_a_draft(draft)


def test_signing_is_refused_while_the_count_does_not_match(record, therapist):
    draft = record(needles_used=8, needles_disposed=7)

    with pytest.raises(ValidationError) as error:
        services.session_sign(session=draft, actor=therapist)

    assert error.value.messages == [
        services.NEEDLE_COUNT_MISMATCH.format(used=8, disposed=7, missing=1, recorded=0)
    ]
    assert_still_a_draft(draft)


@pytest.mark.parametrize(
    "event_type", [AdverseEventType.FORGOTTEN_NEEDLE, AdverseEventType.NEEDLE_BREAKAGE]
)
def test_a_forgotten_or_broken_needle_event_accounts_for_the_difference(
    record, therapist, event_type
):
    draft = record(needles_used=8, needles_disposed=7)
    event(draft, therapist, event_type)

    signed = services.session_sign(session=draft, actor=therapist)

    assert signed.is_signed


def test_each_missing_needle_needs_its_event_and_a_bent_needle_is_not_one(record, therapist):
    draft = record(needles_used=8, needles_disposed=6)
    event(draft, therapist, AdverseEventType.FORGOTTEN_NEEDLE)
    event(draft, therapist, AdverseEventType.BENT_NEEDLE)

    with pytest.raises(ValidationError) as error:
        services.session_sign(session=draft, actor=therapist)

    assert error.value.messages == [
        services.NEEDLE_COUNT_MISMATCH.format(used=8, disposed=6, missing=2, recorded=1)
    ]
    assert_still_a_draft(draft)


def test_the_database_refuses_more_needles_disposed_than_used(record):
    draft = record()

    with pytest.raises(IntegrityError):
        NeedlingSession.objects.filter(pk=draft.pk).update(needles_used=3, needles_disposed=4)


@pytest.mark.parametrize(
    ("muscles", "code"),
    [
        (0, None),
        (1, CPT_ONE_OR_TWO_MUSCLES),
        (2, "20560"),
        (3, CPT_THREE_OR_MORE_MUSCLES),
        (9, "20561"),
    ],
)
def test_cpt_code_follows_the_number_of_distinct_muscles(muscles, code):
    assert cpt_code(muscles) == code


def test_the_signed_note_shows_its_billing_code(record, therapist, therapist_client):
    two = record("Soleus", "Gastrocnemius")
    three = record("Soleus", "Gastrocnemius", "Peroneals")
    for draft in (two, three):
        services.session_sign(session=draft, actor=therapist)

    two_page = therapist_client.get(two.get_absolute_url()).content.decode()
    three_page = therapist_client.get(three.get_absolute_url()).content.decode()

    assert f"CPT {CPT_ONE_OR_TWO_MUSCLES} (2 muscles)" in two_page
    assert f"CPT {CPT_THREE_OR_MORE_MUSCLES} (3 muscles)" in three_page
    assert "6 used, 6 removed and disposed" in two_page


def test_the_session_form_records_the_needle_count(record, therapist, therapist_client):
    draft = record(needles_used=None, needles_disposed=None, started_at=timezone.now())

    page = therapist_client.get(f"{draft.get_absolute_url()}edit/").content.decode()

    assert 'name="needles_used"' in page
    assert 'name="needles_disposed"' in page

from html import escape

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from clinic.outreach.forms import GONE_BUT_SORE, WARNING_SIGN_QUESTIONS
from sessions.forms.followup import SorenessCheckForm
from sessions.models import (
    AdverseEvent,
    CheckStatus,
    ContactMethod,
    EventStatus,
    Severity,
    SorenessCheck,
    Timeliness,
)
from sessions.rules.followup import SEEK_EMERGENCY_CARE, escalation_description
from sessions.services.followup import SELF_REPORT_IS_THE_PATIENTS, soreness_check_record

from .conftest import issue, signed_session


def url(token: str) -> str:
    return reverse("patient_link:open", args=[token])


@pytest.mark.django_db
def test_a_self_report_records_the_check_as_the_patient_with_the_usual_timeliness(client, check):
    _, token = issue(check)
    site = check.session.sites.get()

    response = client.post(url(token), {"soreness": 3, "resolved": "no", "sore_sites": [site.pk]})

    assert "Thank you, Ana" in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE
    assert check.method == ContactMethod.SELF_REPORT
    assert check.recorded_by is None
    assert check.timeliness == Timeliness.ON_TIME
    assert list(check.sore_sites.all()) == [site]


@pytest.mark.django_db
def test_the_sites_are_named_in_plain_words(client, check):
    _, token = issue(check)

    html = client.get(url(token)).content.decode()

    assert "Pelvis and hip, left side (gluteus medius)" in html


@pytest.mark.django_db
def test_lasting_soreness_escalates_exactly_as_a_therapists_entry_would(client, patient, therapist):
    by_patient = signed_session(patient, hours_ago=49).checks.get(hours_after=48)
    by_staff = signed_session(patient, hours_ago=49).checks.get(hours_after=48)
    _, token = issue(by_patient)

    client.post(url(token), {"soreness": 5, "resolved": "no"})
    soreness_check_record(
        check=by_staff, actor=therapist, method=ContactMethod.PHONE, soreness=5, resolved=False
    )

    drafts = AdverseEvent.objects.drafts().order_by("pk")
    assert [event.escalated_from_id for event in drafts] == [by_patient.pk, by_staff.pk]
    expected = escalation_description(soreness=5, hours_after=48)
    assert {event.description for event in drafts} == {expected}
    assert {event.status for event in drafts} == {EventStatus.DRAFT}


@pytest.mark.django_db
def test_gone_but_scored_high_is_refused_in_plain_words_and_nothing_is_written(client, check):
    _, token = issue(check)

    response = client.post(url(token), {"soreness": 6, "resolved": "yes"})

    assert GONE_BUT_SORE in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


@pytest.mark.django_db
def test_a_missing_answer_is_asked_again_and_nothing_is_written(client, check):
    _, token = issue(check)

    response = client.post(url(token), {"soreness": 11})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED


@pytest.mark.django_db
def test_staff_cannot_record_a_self_report_and_the_form_never_offers_it(check, therapist):
    with pytest.raises(ValidationError, match=SELF_REPORT_IS_THE_PATIENTS):
        soreness_check_record(
            check=check,
            actor=therapist,
            method=ContactMethod.SELF_REPORT,
            soreness=1,
            resolved=False,
        )
    with pytest.raises(ValidationError, match=SELF_REPORT_IS_THE_PATIENTS):
        soreness_check_record(
            check=check, actor=None, method=ContactMethod.PHONE, soreness=1, resolved=False
        )

    methods = dict(SorenessCheckForm(check=check).fields["method"].choices)
    assert ContactMethod.SELF_REPORT not in methods


@pytest.mark.django_db
def test_the_database_refuses_a_self_report_with_a_staff_recorder(check, therapist):
    with pytest.raises(IntegrityError):
        SorenessCheck.objects.filter(pk=check.pk).update(
            method=ContactMethod.SELF_REPORT, recorded_by=therapist
        )


@pytest.mark.django_db
def test_after_a_lung_risk_site_a_warning_sign_tells_the_patient_to_seek_emergency_care(
    client, patient
):
    check = signed_session(patient, hours_ago=25, muscles=("Upper trapezius",)).checks.get(
        hours_after=24
    )
    _, token = issue(check)

    form = client.get(url(token)).content.decode()
    answered = client.post(
        url(token),
        {
            "soreness": 2,
            "resolved": "no",
            "chest_pain": "no",
            "breathlessness": "yes",
            "dry_cough": "no",
        },
    ).content.decode()

    assert all(escape(question) in form for question in WARNING_SIGN_QUESTIONS.values())
    assert escape(SEEK_EMERGENCY_CARE) in answered
    event = AdverseEvent.objects.get(session=check.session)
    assert (event.status, event.severity) == (EventStatus.DRAFT, Severity.MAJOR)


@pytest.mark.django_db
def test_warning_signs_left_unanswered_are_asked_again_and_nothing_is_written(client, patient):
    check = signed_session(patient, hours_ago=25, muscles=("Upper trapezius",)).checks.get(
        hours_after=24
    )
    _, token = issue(check)

    response = client.post(url(token), {"soreness": 2, "resolved": "no"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED
    assert not AdverseEvent.objects.exists()


@pytest.mark.django_db
def test_a_check_after_sites_away_from_the_lungs_asks_no_warning_signs(client, check):
    _, token = issue(check)

    form = client.get(url(token)).content.decode()

    assert not any(escape(question) in form for question in WARNING_SIGN_QUESTIONS.values())

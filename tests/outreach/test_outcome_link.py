"""Outcome measures by patient link: staff send it from the episode page, the patient fills the
due instruments on their phone, and the scores are the staff entry's, marked self-report."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.outreach.forms import CHECK_ANSWERS
from clinic.outreach.models import LinkPurpose, PatientLink
from clinic.outreach.rules import (
    ALREADY_SCORED,
    LINK_EXPIRED,
    NO_CONSENT,
    NO_INSTRUMENT_CHOSEN,
    OUTCOME_LINK_LIFETIME,
    OUTCOMES_SAVED,
)
from clinic.outreach.services.answers import outcome_self_report
from clinic.outreach.services.links import link_issue_for_outcomes, link_revoke
from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import CollectionMethod, DischargeReason, OutcomeAssessment
from patients.services.episode import (
    RATES_CHANGE_NOT_AT_INTAKE,
    episode_discharge,
    outcome_record,
)
from patients.services.scoring import ITEM_OUT_OF_RANGE, TOO_MANY_MISSING
from tests.factories import EpisodeOfCareFactory, PatientFactory, open_episode

pytestmark = pytest.mark.django_db

NDI = [2, 1, 3, None, 2, 1, 0, 2, 3, 1]  # one blank section: allowed


@pytest.fixture
def episode(patient):
    return open_episode(patient)


def issue(episode, therapist, *instruments, timepoint=Timepoint.INTAKE):
    issued = link_issue_for_outcomes(
        episode=episode,
        actor=therapist,
        timepoint=timepoint,
        instruments=list(instruments or [Instrument.PSFS, Instrument.NDI]),
    )
    return issued.link, reverse("patient_link:open", args=[issued.token])


def answers(psfs=(6, 4), ndi=NDI, activities=("Climbing stairs", "Gardening")) -> dict:
    data = {}
    for number, (activity, rating) in enumerate(zip(activities, psfs, strict=True), start=1):
        data[f"psfs_label_{number}"] = activity
        data[f"psfs_{number}"] = rating
    for number, value in enumerate(ndi, start=1):
        data[f"ndi_{number}"] = "" if value is None else value
    return data


def test_the_page_shows_each_instrument_with_wording_or_item_numbers(client, episode, therapist):
    _, url = issue(episode, therapist)

    html = client.get(url).content.decode()

    assert INSTRUMENTS[Instrument.PSFS].name in html
    assert escape(INSTRUMENTS[Instrument.PSFS].items[0]) in html
    # The NDI's wording is licensed: its items are shown by number only.
    assert INSTRUMENTS[Instrument.NDI].name in html
    assert "Item 10" in html
    assert "Ana" in html
    assert "Okafor" not in html


def test_the_patients_score_equals_the_staff_entry_for_the_same_answers(client, episode, therapist):
    link, url = issue(episode, therapist)

    response = client.post(url, answers())

    assert escape(OUTCOMES_SAVED) in response.content.decode()
    recorded = {a.instrument: a for a in OutcomeAssessment.objects.filter(episode=episode)}
    other = EpisodeOfCareFactory(patient=PatientFactory(clinic=episode.clinic, episode=False))
    staff = {
        code: outcome_record(
            episode=other,
            recorded_by=therapist,
            instrument=code,
            timepoint=Timepoint.INTAKE,
            taken_on=timezone.localdate(),
            responses=responses,
            item_labels=labels,
        )
        for code, responses, labels in [
            (Instrument.PSFS, [6, 4, None, None, None], ["Climbing stairs", "Gardening"]),
            (Instrument.NDI, NDI, []),
        ]
    }
    for code in (Instrument.PSFS, Instrument.NDI):
        assert recorded[code].score == staff[code].score
        assert recorded[code].method == CollectionMethod.SELF_REPORT
        assert recorded[code].recorded_by is None
        assert recorded[code].timepoint == Timepoint.INTAKE
    assert recorded[Instrument.PSFS].item_labels[:2] == ["Climbing stairs", "Gardening"]
    link.refresh_from_db()
    assert link.answered_at is not None


def test_the_scores_are_audited_as_the_patient_via_the_link(client, episode, therapist):
    link, url = issue(episode, therapist)

    client.post(url, answers())

    for assessment in OutcomeAssessment.objects.filter(episode=episode):
        entry = LogEntry.objects.get_for_object(assessment).get()
        assert entry.actor is None
        assert entry.additional_data == {"via_patient_link": link.pk}


def test_an_item_out_of_range_is_refused_and_nothing_is_written(client, episode, therapist):
    link, url = issue(episode, therapist)

    response = client.post(url, answers(psfs=(11, 4)))

    html = response.content.decode()
    assert escape(CHECK_ANSWERS) in html
    assert escape(ITEM_OUT_OF_RANGE.format(item="Activity 1", value=11, low=0, high=10)) in html
    assert not OutcomeAssessment.objects.exists()
    link.refresh_from_db()
    assert link.answered_at is None


def test_missing_items_beyond_the_allowance_are_refused_and_nothing_is_written(
    client, episode, therapist
):
    _, url = issue(episode, therapist)
    ndi = [2, 1, None, None, None, 1, 0, 2, 3, 1]

    response = client.post(url, answers(ndi=ndi))

    spec = INSTRUMENTS[Instrument.NDI]
    message = TOO_MANY_MISSING.format(instrument=spec.name, missing=3, allowed=spec.max_missing)
    assert escape(message) in response.content.decode()
    # The PSFS answers were fine, but the link records all of its instruments or none.
    assert not OutcomeAssessment.objects.exists()


def test_a_word_instead_of_a_number_is_refused(client, episode, therapist):
    _, url = issue(episode, therapist)
    data = answers()
    data["ndi_1"] = "two"

    response = client.post(url, data)

    assert response.status_code == 200
    assert not OutcomeAssessment.objects.exists()


def test_the_link_works_once(client, episode, therapist):
    _, url = issue(episode, therapist)
    client.post(url, answers())

    again = client.post(url, answers())

    assert again.status_code == 404
    assert LINK_EXPIRED in again.content.decode()
    assert OutcomeAssessment.objects.count() == 2


def test_the_link_expires_after_its_lifetime(client, episode, therapist):
    link, url = issue(episode, therapist)

    with time_machine.travel(link.created_at + OUTCOME_LINK_LIFETIME - timedelta(minutes=1)):
        assert client.get(url).status_code == 200
    with time_machine.travel(link.created_at + OUTCOME_LINK_LIFETIME, tick=False):
        expired = client.post(url, answers())

    assert expired.status_code == 404
    assert not OutcomeAssessment.objects.exists()


def test_the_token_records_into_its_own_episode_and_instruments_only(
    client, episode, therapist, clinic
):
    _, url = issue(episode, therapist, Instrument.NDI)
    elsewhere = EpisodeOfCareFactory(patient=PatientFactory(clinic=clinic, episode=False))
    data = answers()

    client.post(url, {**data, "episode": elsewhere.pk, "instrument": Instrument.PSFS})

    [recorded] = OutcomeAssessment.objects.all()
    assert (recorded.episode, recorded.instrument) == (episode, Instrument.NDI)
    assert client.get(url.replace(url.split("/")[-2], "not-a-token")).status_code == 404


def test_a_new_link_replaces_the_episodes_earlier_one(client, episode, therapist):
    _, first = issue(episode, therapist)
    issue(episode, therapist, Instrument.NDI)

    assert client.get(first).status_code == 404


def test_staff_send_the_link_from_the_episode_page(client, therapist, episode):
    client.force_login(therapist)
    page = client.get(episode.get_absolute_url()).content.decode()
    assert reverse("outreach:outcome_link_send", args=[episode.pk]) in page

    response = client.post(
        reverse("outreach:outcome_link_send", args=[episode.pk]),
        {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.NDI]},
        follow=True,
    )

    link = PatientLink.objects.get()
    assert (link.purpose, link.episode, link.instruments) == (
        LinkPurpose.OUTCOME_MEASURE,
        episode,
        [Instrument.NDI],
    )
    assert response.redirect_chain[-1][0] == episode.get_absolute_url()
    assert link.deliveries.count() == 2


def test_sending_says_why_not(client, therapist, episode):
    client.force_login(therapist)
    send = reverse("outreach:outcome_link_send", args=[episode.pk])

    nothing = client.post(send, {"timepoint": Timepoint.INTAKE}, follow=True)
    groc = client.post(
        send, {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.GROC]}, follow=True
    )
    episode.patient.contact_consent = False
    episode.patient.save()
    no_consent = client.post(
        send, {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.NDI]}, follow=True
    )

    assert escape(NO_INSTRUMENT_CHOSEN) in nothing.content.decode()
    groc_name = INSTRUMENTS[Instrument.GROC].name
    assert escape(RATES_CHANGE_NOT_AT_INTAKE.format(instrument=groc_name)) in groc.content.decode()
    assert escape(NO_CONSENT) in no_consent.content.decode()
    assert not PatientLink.objects.exists()


def test_an_instrument_already_scored_at_intake_is_not_sent_again(therapist, episode):
    outcome_record(
        episode=episode,
        recorded_by=therapist,
        instrument=Instrument.NDI,
        timepoint=Timepoint.INTAKE,
        taken_on=timezone.localdate(),
        responses=NDI,
    )

    with pytest.raises(ValidationError) as refused:
        issue(episode, therapist, Instrument.NDI)

    spec = INSTRUMENTS[Instrument.NDI]
    assert refused.value.messages == [
        ALREADY_SCORED.format(instrument=spec.name, timepoint="intake")
    ]


def test_another_clinics_episode_is_404(client, other_clinic_therapist, episode):
    client.force_login(other_clinic_therapist)

    response = client.post(
        reverse("outreach:outcome_link_send", args=[episode.pk]),
        {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.NDI]},
    )

    assert response.status_code == 404
    assert not PatientLink.objects.exists()


def test_the_message_carries_the_link(
    client, episode, therapist, django_capture_on_commit_callbacks
):
    client.force_login(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outreach:outcome_link_send", args=[episode.pk]),
            {"timepoint": Timepoint.INTAKE, "instruments": [Instrument.NDI]},
        )

    [email] = mail.outbox
    assert "https://needletrack.example/p/" in email.body


def test_staff_revoke_an_outcome_link_and_return_to_the_episode(client, therapist, episode):
    link, url = issue(episode, therapist)
    client.force_login(therapist)

    response = client.post(reverse("outreach:link_revoke", args=[link.pk]))

    assert response.url == episode.get_absolute_url()
    client.logout()
    assert client.get(url).status_code == 404


def test_a_discharge_link_answered_the_day_after_discharge_records_the_discharge_score(
    client, episode, therapist
):
    episode_discharge(
        episode=episode,
        actor=therapist,
        closed_on=timezone.localdate(),
        reason=DischargeReason.GOALS_MET,
    )
    _, url = issue(episode, therapist, Instrument.NDI, timepoint=Timepoint.DISCHARGE)

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = client.post(url, answers(psfs=(), activities=()))

    assert response.status_code == 200
    assert OUTCOMES_SAVED in response.content.decode()
    score = OutcomeAssessment.objects.get(episode=episode)
    assert (score.timepoint, score.method) == (Timepoint.DISCHARGE, CollectionMethod.SELF_REPORT)


def test_a_link_answered_twice_at_once_records_its_scores_once(episode, therapist):
    link, _ = issue(episode, therapist, Instrument.NDI, timepoint=Timepoint.REASSESSMENT)
    # Both requests resolved the token before either wrote.
    first, second = PatientLink.objects.get(pk=link.pk), PatientLink.objects.get(pk=link.pk)

    outcome_self_report(link=first, answers={Instrument.NDI: (NDI, [])})
    with pytest.raises(ValidationError, match=LINK_EXPIRED):
        outcome_self_report(link=second, answers={Instrument.NDI: (NDI, [])})

    assert OutcomeAssessment.objects.filter(episode=episode).count() == 1


def test_a_link_revoked_while_the_patient_answers_records_nothing(episode, therapist):
    link, _ = issue(episode, therapist, Instrument.NDI, timepoint=Timepoint.REASSESSMENT)
    in_flight = PatientLink.objects.get(pk=link.pk)
    link_revoke(link=link, actor=therapist)

    with pytest.raises(ValidationError, match=LINK_EXPIRED):
        outcome_self_report(link=in_flight, answers={Instrument.NDI: (NDI, [])})

    assert not OutcomeAssessment.objects.exists()

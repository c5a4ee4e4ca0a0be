"""A note written in one go (sites, signing and follow-up checks in one insert each) leaves the
audit trail auditlog writes when each row is saved on its own: same entries, same order, same
changes, same actor and address, read the same on the audit page. A note the gate refuses
writes nothing; one not complete for signing stays a draft."""

from copy import copy

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils.html import escape

from bench.formdata import session_form_data
from clinic.audit.readable import readable_rows
from sessions.models import Muscle, NeedlingSession, SessionStatus
from sessions.services.gate import NO_VALID_SCREENING
from sessions.services.needling import NEEDLE_COUNT_MISMATCH
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

ADDRESS = "127.0.0.1"  # the test client's
# Differ between any two rows written at different moments.
OWN_VALUES = {"ID", "Created at", "Updated at", "Signed at"}


def new_entries(after: int) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(pk__gt=after)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("content_type")
        .order_by("pk")
    )


def saved_one_by_one(note: NeedlingSession, therapist) -> None:
    """The same note saved row by row with auditlog watching, as the request would."""
    with set_actor(therapist, remote_addr=ADDRESS):
        draft = copy(note)
        draft.pk, draft.form_token = None, None
        draft.status, draft.signed_at = SessionStatus.DRAFT, None
        draft.save()
        for site in note.sites.order_by("pk"):
            site.pk, site.session = None, draft
            site.save()
        draft.status, draft.signed_at = SessionStatus.SIGNED, note.signed_at
        draft.save()
        for check in note.checks.order_by("pk"):
            check.pk, check.session = None, draft
            check.save()


def shown(entries: list[LogEntry]) -> list[tuple]:
    return [
        (
            entry.content_type.model,
            entry.action,
            entry.object_repr,
            entry.actor_id,
            entry.actor_email,
            entry.remote_addr,
            [change for change in changes if change[0] not in OWN_VALUES],
        )
        for entry, changes in readable_rows(entries)
    ]


def test_a_signed_note_has_the_audit_entries_of_row_by_row_saves(
    therapist_client, therapist, screen
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    muscles = Muscle.objects.filter(active=True).order_by("name")
    sites = [
        {"muscle": muscles.filter(lung_risk=False).first().pk},
        {"muscle": muscles.filter(lung_risk=True).first().pk, "lung_risk_acknowledged": "on"},
    ]
    start = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[patient.pk]), session_form_data(sites)
    )
    bulk = new_entries(start)
    note = NeedlingSession.objects.get(patient=patient)
    saved_one_by_one(note, therapist)
    one_by_one = new_entries(bulk[-1].pk)

    assert response.status_code == 302
    assert note.status == SessionStatus.SIGNED
    assert [entry.content_type.model for entry in bulk] == [
        "needlingsession",
        "triggerpointsite",
        "triggerpointsite",
        "needlingsession",
        *["sorenesscheck"] * note.checks.count(),
    ]
    assert shown(bulk) == shown(one_by_one)
    assert {entry.actor_id for entry in bulk} == {therapist.pk}


def test_the_audit_page_lists_every_row_of_the_note(client, clinic_admin, therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    client.force_login(therapist)
    muscle = Muscle.objects.filter(active=True, lung_risk=False).order_by("name").first()
    client.post(
        reverse("treatment_sessions:create", args=[patient.pk]),
        session_form_data([{"muscle": muscle.pk}]),
    )
    note = NeedlingSession.objects.get(patient=patient)
    client.force_login(clinic_admin)

    page = client.get(reverse("audit:patient", args=[patient.pk])).content.decode()

    assert page.count(str(note)) >= 2  # created, then signed
    assert str(note.sites.get()) in page
    for check in note.checks.all():
        assert str(check) in page


def test_a_note_that_cannot_be_signed_yet_stays_a_draft_saying_why(
    therapist_client, therapist, screen
):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    muscle = Muscle.objects.filter(active=True, lung_risk=False).order_by("name").first()
    start = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[patient.pk]),
        session_form_data([{"muscle": muscle.pk}], needles_used="6", needles_disposed="5"),
        follow=True,
    )

    note = NeedlingSession.objects.get(patient=patient)
    assert note.status == SessionStatus.DRAFT
    assert not note.checks.exists()
    assert (
        escape(NEEDLE_COUNT_MISMATCH.format(used=6, disposed=5, missing=1, recorded=0))
        in response.content.decode()
    )
    assert [(e.content_type.model, e.action) for e in new_entries(start)] == [
        ("needlingsession", LogEntry.Action.CREATE),
        ("triggerpointsite", LogEntry.Action.CREATE),
    ]


def test_a_refused_note_writes_nothing(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)  # never screened
    muscle = Muscle.objects.filter(active=True, lung_risk=False).order_by("name").first()
    start = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[patient.pk]),
        session_form_data([{"muscle": muscle.pk}]),
    )

    assert response.status_code == 200
    assert escape(NO_VALID_SCREENING) in response.content.decode()
    assert not NeedlingSession.objects.filter(patient=patient).exists()
    assert new_entries(start) == []

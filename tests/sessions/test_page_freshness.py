"""The clinical pages serve their record parts from a cache (clinic.lib.fragments); every write
made through a service shows on the next request, and so does a change of time alone.

Each test opens the page first (which caches its fragments), writes through the service, and
opens it again."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from clinic.formats import shown
from clinic.lib import fragments
from clinic.outreach.services.answers import check_self_report, plan_self_log
from clinic.outreach.services.links import link_issue_for_check, link_issue_for_plan
from patients import services as patient_services
from patients.consent import services as consent_services
from patients.instruments import Instrument, Timepoint
from patients.models import BodyRegion, DischargeReason, Patient
from patients.services import episode as episode_services
from sessions.models import (
    AdverseEventType,
    CatalogueVersion,
    CheckStatus,
    ContactMethod,
    Exercise,
    Muscle,
    NeedlingSession,
    PlanStatus,
    Severity,
)
from sessions.rules.followup import CHECK_WINDOW
from sessions.services import followup as followup_services
from sessions.services import gate
from sessions.services import needling as needling_services
from sessions.services import plans as plan_services
from tests.builders import answers_with, session_details, site
from tests.consent.signing import sign
from tests.factories import (
    AdverseEventFactory,
    ClinicAdminFactory,
    PatientFactory,
    PlanItemFactory,
    ScreeningFactory,
    TherapistFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(therapist):
    return PatientFactory(
        clinic=therapist.clinic,
        first_name="Ana",
        last_name="Reyes",
        email="ana@example.org",
        contact_consent=True,
    )


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def warm(client, url) -> str:
    """Open the page, which caches its record parts (as the first test shows)."""
    return page(client, url)


@pytest.fixture
def signed_session(patient, therapist, screen, muscles):
    """A signed one-site session recorded through the services, with its follow-ups."""
    screen(patient)
    session = needling_services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )
    return needling_services.session_sign(session=session, actor=therapist)


def test_the_page_is_served_from_the_cache_until_a_service_writes(therapist_client, patient):
    url = patient.get_absolute_url()
    assert "No screening yet" in page(therapist_client, url)
    # A row written past the services is not seen: the page really is cached.
    ScreeningFactory(patient=patient)
    assert "No screening yet" in page(therapist_client, url)


def test_a_screening_shows_at_once(therapist_client, patient, screen):
    url = patient.get_absolute_url()
    assert "No screening yet" in warm(therapist_client, url)

    screen(patient)

    html = page(therapist_client, url)
    assert "No screening yet" not in html
    assert "Cleared" in html


def test_a_new_draft_session_an_edit_and_signing_show_at_once(
    therapist_client, therapist, patient, screen, muscles
):
    screen(patient)
    url = patient.get_absolute_url()
    assert "No needling recorded." in warm(therapist_client, url)

    session = needling_services.session_record(
        patient=patient, therapist=therapist, sites=[site(muscles["Soleus"])], **session_details()
    )
    html = page(therapist_client, url)
    assert "Soleus" in html
    assert "Draft" in html
    session_html = warm(therapist_client, session.get_absolute_url())
    assert "Soleus" in session_html

    needling_services.session_update(
        session=session,
        actor=therapist,
        sites=[site(muscles["Gastrocnemius"])],
        **session_details(pain_after=1),
    )
    assert "6 → 1" in page(therapist_client, url)
    assert "Gastrocnemius" in page(therapist_client, session.get_absolute_url())

    needling_services.session_sign(session=session, actor=therapist)
    html = page(therapist_client, url)
    assert "Signed" in html
    assert "24 h: due" in html
    assert "Follow-ups are scheduled when" not in page(therapist_client, session.get_absolute_url())


def test_an_addendum_shows_on_the_session_page(therapist_client, therapist, signed_session):
    url = signed_session.get_absolute_url()
    warm(therapist_client, url)

    needling_services.addendum_add(
        session=signed_session, author=therapist, reason="Late entry", text="Rang: all settled."
    )

    assert "Rang: all settled." in page(therapist_client, url)


def test_a_follow_up_recorded_or_missed_shows_at_once(
    therapist_client, therapist, patient, signed_session
):
    url = patient.get_absolute_url()
    assert "24 h: due" in warm(therapist_client, url)
    warm(therapist_client, signed_session.get_absolute_url())

    check = signed_session.checks.get(hours_after=24)
    followup_services.soreness_check_record(
        check=check, actor=therapist, method=ContactMethod.PHONE, soreness=4, resolved=False
    )
    assert "24 h: 4" in page(therapist_client, url)
    assert "4/10" in page(therapist_client, signed_session.get_absolute_url())

    last = signed_session.checks.filter(status=CheckStatus.SCHEDULED).latest("due_at")
    with time_machine.travel(last.due_at + timedelta(days=7)):
        therapist_client.force_login(therapist)
        assert followup_services.followups_mark_missed() >= 1
        assert f"{last.hours_after} h: missed" in page(therapist_client, url)


def test_a_self_report_through_a_link_shows_at_once(therapist_client, patient, signed_session):
    url = patient.get_absolute_url()
    warm(therapist_client, url)
    check = signed_session.checks.get(hours_after=24)
    link = link_issue_for_check(check=check).link

    check_self_report(link=link, soreness=2, resolved=True)

    assert "24 h: 2 ✓" in page(therapist_client, url)


def test_adverse_events_recorded_confirmed_or_dismissed_show_at_once(
    therapist_client, therapist, patient, signed_session
):
    url = patient.get_absolute_url()
    assert "Major adverse event" not in warm(therapist_client, url)
    warm(therapist_client, signed_session.get_absolute_url())

    followup_services.adverse_event_record(
        session=signed_session,
        reporter=therapist,
        event_type=AdverseEventType.PNEUMOTHORAX,
        severity=Severity.MAJOR,
        onset_at=signed_session.started_at + timedelta(minutes=5),
        description="Short of breath after needling.",
    )
    assert "Major adverse event" in page(therapist_client, url)
    assert "⚠ Major" in page(therapist_client, signed_session.get_absolute_url())

    onset = {"onset_at": signed_session.started_at}
    draft = AdverseEventFactory(session=signed_session, escalation=True, **onset)
    other = AdverseEventFactory(session=signed_session, escalation=True, **onset)
    cache.clear()  # the drafts were written by factories, not a service
    warm(therapist_client, url)
    followup_services.adverse_event_confirm(event=draft, actor=therapist, severity=Severity.MILD)
    assert page(therapist_client, url).count("Confirmed") == 2
    followup_services.adverse_event_dismiss(event=other, actor=therapist, reason="Expected ache.")
    assert "Dismissed" in page(therapist_client, url)


def test_a_plan_its_progression_and_its_end_show_at_once(
    therapist_client, therapist, patient, signed_session
):
    url = patient.get_absolute_url()
    assert "No active plan" in warm(therapist_client, url)

    plan = plan_services.plan_create(
        patient=patient,
        therapist=therapist,
        sessions=[signed_session],
        goal="Walk the dog without calf pain.",
        start_date=timezone.localdate(),
        review_date=timezone.localdate() + timedelta(weeks=6),
        items=[plan_services.exercise_default_item(Exercise.objects.get(name="Calf raise"))],
    )
    assert "Walk the dog without calf pain." in page(therapist_client, url)

    plan_services.plan_end(plan=plan, actor=therapist, status=PlanStatus.COMPLETED)
    assert "No active plan" in page(therapist_client, url)


def test_a_due_progression_changes_the_dosage_on_the_page(client):
    item = PlanItemFactory(reps=10)
    therapist = item.plan.therapist
    for week in (1, 2):
        plan_services.adherence_record(
            plan=item.plan,
            recorded_by=therapist,
            date=item.plan.start_date + timedelta(days=7 * week),
            sessions_completed=3,
            logs=[{"item": item, "sets_done": 3, "rpe": 4, "pain_during": 0}],
        )
    client.force_login(therapist)
    url = item.plan.patient.get_absolute_url()
    assert "3 × 10" in warm(client, url)

    plan_services.plan_item_progress(item=item, actor=therapist)

    assert "3 × 12" in page(client, url)


def version(patient: Patient) -> int:
    return Patient.objects.values_list("record_version", flat=True).get(pk=patient.pk)


def test_writes_the_patient_page_does_not_print_still_raise_the_version(
    therapist, patient, signed_session
):
    """Adherence entries, a patient's own exercise log and outcome scores show on the plan and
    episode pages, not the patient page; their writes raise the version all the same."""
    plan = plan_services.plan_create(
        patient=patient,
        therapist=therapist,
        sessions=[signed_session],
        goal="Walk the dog.",
        start_date=timezone.localdate() - timedelta(days=3),
        review_date=timezone.localdate() + timedelta(weeks=6),
        items=[plan_services.exercise_default_item(Exercise.objects.get(name="Calf raise"))],
    )
    [item] = plan.items.all()
    log = {"item": item, "sets_done": 3, "rpe": 5, "pain_during": 0}
    before = version(patient)
    plan_services.adherence_record(
        plan=plan,
        recorded_by=therapist,
        date=timezone.localdate() - timedelta(days=1),
        sessions_completed=1,
        logs=[log],
    )
    assert version(patient) == before + 1
    link = link_issue_for_plan(plan=plan, actor=therapist).link
    assert version(patient) == before + 2
    # Two writes: the log, and the link answered.
    plan_self_log(link=link, logs=[log])
    assert version(patient) == before + 4
    episode_services.outcome_record(
        episode=signed_session.episode,
        recorded_by=therapist,
        instrument=Instrument.NPRS,
        timepoint=Timepoint.REASSESSMENT,
        taken_on=timezone.localdate(),
        responses=[4],
    )
    assert version(patient) == before + 5


def test_consent_signed_and_withdrawn_show_at_once(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    url = patient.get_absolute_url()
    assert "Not signed" in warm(therapist_client, url)

    consent = sign(patient, therapist)
    assert "Not signed" not in page(therapist_client, url)

    consent_services.consent_withdraw(consent=consent, witness=therapist)
    assert "Withdrawn" in page(therapist_client, url)


def test_episodes_opened_and_discharged_show_at_once(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, episode=False)
    url = patient.get_absolute_url()
    assert "No episode of care" in warm(therapist_client, url)

    episode = episode_services.episode_open(
        patient=patient,
        therapist=therapist,
        body_region=BodyRegion.HEAD_NECK,
        complaint="Stiff neck at the desk",
        opened_on=timezone.localdate(),
    )
    assert "Stiff neck at the desk" in page(therapist_client, url)

    episode_services.episode_discharge(
        episode=episode,
        actor=therapist,
        closed_on=timezone.localdate(),
        reason=DischargeReason.GOALS_MET,
    )
    assert "discharged" in page(therapist_client, url)


def test_patient_details_and_archiving_show_at_once(admin_client_, patient):
    url = patient.get_absolute_url()
    warm(admin_client_, url)

    patient_services.patient_update(patient=patient, relevant_history="Hip replacement 2019")
    assert "Hip replacement 2019" in page(admin_client_, url)

    patient_services.patient_archive(patient=patient)
    assert "Archived" in page(admin_client_, url)
    patient_services.patient_restore(patient=Patient.objects.get(pk=patient.pk))
    assert "Archived</span>" not in page(admin_client_, url)


def test_a_saved_copy_read_before_a_write_never_sets_the_version_back(patient, screen):
    stale_copy = Patient.objects.get(pk=patient.pk)
    screen(patient)

    stale_copy.phone = "555 0100"
    stale_copy.save()

    assert version(patient) == stale_copy.record_version + 1


# How the body map outlines a lung-risk muscle.
LUNG_RISK_OUTLINE = 'stroke-dasharray="2.5 1.5"'


def test_a_catalogue_change_in_the_admin_renders_the_pages_afresh(
    client, therapist, signed_session
):
    client.force_login(therapist)
    url = signed_session.get_absolute_url()
    dashed = warm(client, url).count(LUNG_RISK_OUTLINE)
    admin = ClinicAdminFactory(clinic=therapist.clinic, is_staff=True, is_superuser=True)
    muscle = Muscle.objects.get(name="Soleus")
    before = CatalogueVersion.objects.first()

    client.force_login(admin)
    response = client.post(
        reverse("admin:treatment_sessions_muscle_change", args=[muscle.pk]),
        {"name": muscle.name, "region": muscle.region, "lung_risk": "on", "active": "on"},
    )

    assert response.status_code == 302
    assert CatalogueVersion.objects.get().number == (before.number if before else 0) + 1
    client.force_login(therapist)
    assert page(client, url).count(LUNG_RISK_OUTLINE) > dashed


def test_a_screening_expires_on_the_page_with_no_write(therapist_client, therapist, patient):
    screening = ScreeningFactory(patient=patient)
    url = patient.get_absolute_url()
    assert "expired: screen again" not in warm(therapist_client, url)

    with time_machine.travel(screening.valid_until + timedelta(minutes=1)):
        therapist_client.force_login(therapist)
        assert "expired: screen again" in page(therapist_client, url)


# The worklist's badge on a follow-up past its window.
OVERDUE = '<span class="badge text-bg-danger">Overdue</span>'


def test_an_overdue_check_shows_on_the_worklist_with_no_write(
    therapist_client, therapist, signed_session
):
    check = signed_session.checks.get(hours_after=24)
    url = reverse("treatment_sessions:worklist")
    with time_machine.travel(check.due_at):
        therapist_client.force_login(therapist)
        before = page(therapist_client, url)
    with time_machine.travel(check.due_at + CHECK_WINDOW + timedelta(minutes=1)):
        therapist_client.force_login(therapist)
        after = page(therapist_client, url)

    assert OVERDUE not in before
    assert OVERDUE in after


def test_buttons_and_the_access_entry_are_the_viewers_own_on_a_warm_page(
    therapist_client, client, therapist, patient, screen
):
    screen(patient)
    url = patient.get_absolute_url()
    assert "New needling session" in warm(therapist_client, url)
    accesses = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    entries = accesses.count()

    client.force_login(ClinicAdminFactory(clinic=therapist.clinic))
    html = page(client, url)

    assert "New needling session" not in html
    assert "Edit details" in html
    assert accesses.count() == entries + 1
    assert accesses.latest("pk").actor.role == "clinic_admin"


def test_no_form_or_csrf_token_is_cached(therapist_client, patient, signed_session):
    html = page(therapist_client, patient.get_absolute_url())
    assert "csrfmiddlewaretoken" in html  # the page's own forms (archive) have their token
    page(therapist_client, signed_session.get_absolute_url())

    versions = fragments.with_versions(Patient.objects.all()).get(pk=patient.pk)
    session_versions = fragments.with_versions(
        NeedlingSession.objects.filter(pk=signed_session.pk)
    ).get()
    stored = [
        cache.get(fragments.patient_key("patient-page", versions, 1)),
        cache.get(
            fragments.patient_key(
                "session-page", versions, signed_session.pk, versions=session_versions
            )
        ),
    ]
    assert None not in stored
    text = "".join(str(value) for value in stored)
    assert "Soleus" in text
    assert "csrfmiddlewaretoken" not in text
    assert "<form" not in text


def test_a_new_clinic_time_zone_shows_on_the_cached_pages(therapist_client, therapist, patient):
    screening = ScreeningFactory(patient=patient)
    url = patient.get_absolute_url()
    before = warm(therapist_client, url)
    clinic = patient.clinic
    clinic.time_zone = "Pacific/Auckland" if clinic.time_zone != "Pacific/Auckland" else "UTC"
    clinic.save()

    with timezone.override(clinic.zone):
        taken = shown(screening.taken_at)
    assert taken not in before
    assert taken in page(therapist_client, url)


# The page's offer to record needling: the gate's verdict from the cached records and the
# viewer's own credential.
NEW_SESSION = "New needling session"


def test_the_gates_verdict_on_the_page_follows_the_screening_to_the_minute(
    therapist_client, therapist, patient, screen
):
    screening = screen(patient)
    url = patient.get_absolute_url()
    # The gate decides at the end of the current minute: a screening that expires during
    # this minute no longer covers needling recorded now.
    last_minute = screening.valid_until.replace(second=0, microsecond=0)
    with time_machine.travel(last_minute - timedelta(seconds=1)):
        therapist_client.force_login(therapist)
        before = page(therapist_client, url)
    with time_machine.travel(last_minute):
        therapist_client.force_login(therapist)
        after = page(therapist_client, url)

    assert NEW_SESSION in before
    assert NEW_SESSION not in after
    assert escape(gate.NO_VALID_SCREENING) in after


def test_a_consent_form_asking_to_sign_again_shows_at_once(
    therapist_client, therapist, patient, screen
):
    screen(patient)
    url = patient.get_absolute_url()
    assert NEW_SESSION in warm(therapist_client, url)

    consent_services.consent_form_publish(
        clinic=therapist.clinic,
        author=ClinicAdminFactory(clinic=therapist.clinic),
        title="Consent to dry needling",
        body=consent_services.DEFAULT_BODY,
        requires_reconsent=True,
    )

    html = page(therapist_client, url)
    assert NEW_SESSION not in html
    assert escape(gate.CONSENT_NEEDS_RENEWAL) in html


def test_a_withdrawal_dated_ahead_takes_effect_on_the_page_with_no_write(
    therapist_client, therapist, patient, screen
):
    screen(patient)
    withdrawn_at = timezone.now() + timedelta(minutes=10)
    consent_services.consent_withdraw(
        consent=patient.signed_consents.get(), witness=therapist, at=withdrawn_at
    )
    url = patient.get_absolute_url()
    assert NEW_SESSION in warm(therapist_client, url)

    with time_machine.travel(withdrawn_at + timedelta(seconds=1)):
        therapist_client.force_login(therapist)
        html = page(therapist_client, url)

    assert NEW_SESSION not in html
    assert '<span class="badge text-bg-danger">Withdrawn</span>' in html


def test_the_viewers_credential_is_read_on_every_request(
    therapist_client, client, therapist, patient, screen
):
    screen(patient)
    url = patient.get_absolute_url()
    assert NEW_SESSION in warm(therapist_client, url)
    uncredentialed = TherapistFactory(clinic=therapist.clinic, credential=None)

    client.force_login(uncredentialed)
    html = page(client, url)

    assert NEW_SESSION not in html
    refusal = gate.NO_CURRENT_CREDENTIAL.format(
        therapist=uncredentialed, day=shown(timezone.localdate())
    )
    assert escape(refusal) in html


EXPORT_BUTTON = "Export record (FHIR)"


def test_the_export_button_follows_who_treats_the_patient(
    client, therapist, patient, screen, checklist
):
    colleague = TherapistFactory(clinic=therapist.clinic)
    screen(patient)
    url = patient.get_absolute_url()
    client.force_login(colleague)
    assert EXPORT_BUTTON not in warm(client, url)

    patient_services.screening_record(
        patient=patient,
        therapist=colleague,
        answers=answers_with(checklist),
        avoid_regions=(),
        justification="",
    )

    assert EXPORT_BUTTON in page(client, url)

"""A row id posted in a form names only a row of the record being edited.

Every formset and every hidden id is tried with a row of another clinic and a row of another
session (or plan) of the same clinic: the foreign row is never changed, nothing is written
for it, and the user gets a clear message, never a 500.
"""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bench.formdata import session_form_data
from sessions.models import (
    AdverseEvent,
    CheckStatus,
    ExerciseLog,
    NeedlingSession,
    PlanItem,
    SessionStatus,
    StrengtheningPlan,
    TriggerPointSite,
)
from sessions.services import followup as followup_services
from sessions.services import needling as services
from sessions.services import plans as plan_services
from tests.builders import session_details, site
from tests.factories import (
    NeedlingSessionFactory,
    PatientFactory,
    PlanItemFactory,
    StrengtheningPlanFactory,
    TriggerPointSiteFactory,
)

from .plan_data import item_row, needled_session, plan_post

pytestmark = pytest.mark.django_db

FOREIGN = ["other_clinic", "other_session", "signed_session"]


@pytest.fixture
def screened_patient(therapist, screen):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    return patient


@pytest.fixture
def own_draft(therapist, screened_patient, muscles):
    return services.session_record(
        patient=screened_patient,
        therapist=therapist,
        sites=[site(muscles["Soleus"])],
        **session_details(pain_after=None),
    )


def foreign_site(kind: str, therapist, other_clinic) -> TriggerPointSite:
    """A draft site of clinic B, of another draft of the same clinic, or of a signed session."""
    if kind == "other_clinic":
        return TriggerPointSiteFactory(session__screening__patient__clinic=other_clinic)
    row = TriggerPointSiteFactory(
        session__screening__patient__clinic=therapist.clinic,
        session__screening__therapist=therapist,
    )
    if kind == "signed_session":
        sign(row.session)
    return row


def sign(session: NeedlingSession) -> None:
    NeedlingSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.SIGNED, signed_at=timezone.now()
    )


def site_snapshot(row: TriggerPointSite) -> tuple:
    row.refresh_from_db()
    return (row.session_id, row.muscle_id, row.insertions, row.notes)


@pytest.mark.parametrize("kind", FOREIGN)
def test_edit_form_cannot_write_a_site_of_another_session(
    therapist_client, therapist, other_clinic, own_draft, muscles, kind
):
    theirs = foreign_site(kind, therapist, other_clinic)
    before = site_snapshot(theirs)
    data = session_form_data(
        [{"muscle": muscles["Soleus"].pk, "id": theirs.pk, "insertions": "9", "notes": "mine"}],
        action="draft",
        pain_after="",
    )
    data["sites-INITIAL_FORMS"] = "1"

    response = therapist_client.post(reverse("treatment_sessions:edit", args=[own_draft.pk]), data)

    assert response.status_code == 200
    assert services.SITE_OF_ANOTHER_SESSION in unescape(response.content.decode())
    assert site_snapshot(theirs) == before
    assert list(own_draft.sites.values_list("insertions", flat=True)) == [3]


@pytest.mark.parametrize("kind", FOREIGN)
def test_new_session_form_cannot_take_a_site_of_another_session(
    therapist_client, therapist, other_clinic, screened_patient, muscles, kind
):
    theirs = foreign_site(kind, therapist, other_clinic)
    before = site_snapshot(theirs)
    sessions_before = NeedlingSession.objects.count()
    data = session_form_data([{"muscle": muscles["Soleus"].pk, "id": theirs.pk, "insertions": "9"}])

    response = therapist_client.post(
        reverse("treatment_sessions:create", args=[screened_patient.pk]), data
    )

    assert response.status_code == 200
    assert services.SITE_OF_ANOTHER_SESSION in unescape(response.content.decode())
    assert site_snapshot(theirs) == before
    assert NeedlingSession.objects.count() == sessions_before


@pytest.mark.parametrize("kind", FOREIGN)
def test_the_service_refuses_a_site_of_another_session(
    therapist, other_clinic, own_draft, screened_patient, muscles, kind
):
    theirs = foreign_site(kind, therapist, other_clinic)
    before = site_snapshot(theirs)
    values = {**site(muscles["Soleus"]), "id": theirs, "insertions": 9}

    with pytest.raises(ValidationError, match=services.SITE_OF_ANOTHER_SESSION):
        services.session_update(
            session=own_draft, actor=therapist, sites=[values], **session_details()
        )
    with pytest.raises(ValidationError, match=services.SITE_OF_ANOTHER_SESSION):
        services.session_record(
            patient=screened_patient, therapist=therapist, sites=[values], **session_details()
        )

    assert site_snapshot(theirs) == before


def test_the_session_keeps_editing_its_own_site(therapist, own_draft, muscles):
    own = own_draft.sites.get()
    values = {**site(muscles["Soleus"]), "id": own, "insertions": 7}

    services.session_update(session=own_draft, actor=therapist, sites=[values], **session_details())

    assert list(own_draft.sites.values_list("pk", "insertions")) == [(own.pk, 7)]


@pytest.fixture
def signed(therapist, screen, muscles):
    patient = PatientFactory(clinic=therapist.clinic)
    screen(patient)
    session = services.session_record(
        patient=patient,
        therapist=therapist,
        sites=[site(muscles["Gluteus medius"])],
        **session_details(started_at=timezone.now() - timedelta(hours=1)),
    )
    return services.session_sign(session=session, actor=therapist)


def foreign_signed_site(kind: str, therapist, other_clinic) -> TriggerPointSite:
    row = foreign_site(kind, therapist, other_clinic)
    sign(row.session)
    return row


@pytest.mark.parametrize("kind", ["other_clinic", "other_session"])
def test_follow_up_sore_sites_are_the_sessions_own(
    therapist_client, therapist, other_clinic, signed, kind
):
    theirs = foreign_signed_site(kind, therapist, other_clinic)
    check = signed.checks.order_by("due_at").first()
    prefix = f"check-{check.pk}"

    response = therapist_client.post(
        reverse("treatment_sessions:followup_record", args=[check.pk]),
        {f"{prefix}-method": "phone", f"{prefix}-soreness": "2", f"{prefix}-sore_sites": theirs.pk},
    )

    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == CheckStatus.SCHEDULED
    assert not check.sore_sites.exists()
    with pytest.raises(ValidationError, match=followup_services.SITE_NOT_IN_SESSION):
        followup_services.soreness_check_record(
            check=check, actor=therapist, method="phone", soreness=2, resolved=False,
            sore_sites=[theirs],
        )  # fmt: skip


@pytest.mark.parametrize("kind", ["other_clinic", "other_session"])
def test_adverse_event_site_is_the_sessions_own(
    therapist_client, therapist, other_clinic, signed, kind
):
    theirs = foreign_signed_site(kind, therapist, other_clinic)

    response = therapist_client.post(
        reverse("treatment_sessions:adverse_event_create", args=[signed.pk]),
        {
            "event_type": "bruising",
            "severity": "mild",
            "site": theirs.pk,
            "onset_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "description": "Small bruise.",
        },
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AdverseEvent.objects.filter(session=signed).exists()
    with pytest.raises(ValidationError, match=followup_services.SITE_NOT_IN_SESSION):
        followup_services.adverse_event_record(
            session=signed, reporter=therapist, event_type="bruising", severity="mild",
            onset_at=timezone.now(), description="Small bruise.", site=theirs,
        )  # fmt: skip


@pytest.fixture
def plan_patient(therapist):
    return PatientFactory(clinic=therapist.clinic)


def foreign_session(kind: str, plan_patient, other_clinic) -> NeedlingSession:
    if kind == "other_clinic":
        return NeedlingSessionFactory(screening__patient__clinic=other_clinic)
    return needled_session(PatientFactory(clinic=plan_patient.clinic), "Soleus")


@pytest.mark.parametrize("kind", ["other_clinic", "other_session"])
def test_plan_pairs_only_the_patients_own_sessions(
    therapist_client, therapist, other_clinic, plan_patient, kind
):
    own = needled_session(plan_patient, "Soleus")
    theirs = foreign_session(kind, plan_patient, other_clinic)

    response = therapist_client.post(
        reverse("treatment_sessions:plan_create", args=[plan_patient.pk]),
        plan_post([own, theirs], [item_row("Calf raise")]),
    )

    assert response.status_code == 200
    assert plan_services.SESSION_OF_ANOTHER_PATIENT in unescape(response.content.decode())
    assert not StrengtheningPlan.objects.filter(patient=plan_patient).exists()


@pytest.mark.parametrize("kind", ["other_clinic", "other_plan"])
def test_plan_item_rows_never_name_an_existing_item(
    therapist_client, therapist, other_clinic, plan_patient, kind
):
    clinic = other_clinic if kind == "other_clinic" else plan_patient.clinic
    theirs = PlanItemFactory(plan__patient__clinic=clinic, notes="theirs")
    own = needled_session(plan_patient, "Soleus")
    row = {**item_row("Calf raise", notes="mine"), "id": theirs.pk, "plan": theirs.plan_id}

    response = therapist_client.post(
        reverse("treatment_sessions:plan_create", args=[plan_patient.pk]),
        plan_post([own], [row]),
    )

    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.notes == "theirs"
    plan = StrengtheningPlan.objects.get(patient=plan_patient)
    assert list(plan.items.values_list("notes", flat=True)) == ["mine"]
    assert PlanItem.objects.filter(plan=theirs.plan).count() == 1


@pytest.mark.parametrize("kind", ["other_clinic", "other_plan"])
def test_adherence_logs_only_the_plans_own_items(
    therapist_client, therapist, other_clinic, plan_patient, kind
):
    plan = StrengtheningPlanFactory(patient=plan_patient, therapist=therapist)
    item = PlanItemFactory(plan=plan)
    clinic = other_clinic if kind == "other_clinic" else plan_patient.clinic
    theirs = PlanItemFactory(plan__patient__clinic=clinic)
    log = {"sets_done": "3", "rpe": "4", "pain_during": "1"}
    data = {"date": timezone.localdate().isoformat(), "sessions_completed": "2"}
    for pk in (item.pk, theirs.pk):
        data.update({f"log-{pk}-{name}": value for name, value in log.items()})

    therapist_client.post(reverse("treatment_sessions:adherence_create", args=[plan.pk]), data)

    assert not ExerciseLog.objects.filter(item=theirs).exists()
    assert ExerciseLog.objects.filter(item=item).count() == 1
    with pytest.raises(ValidationError, match=plan_services.ITEM_OF_ANOTHER_PLAN):
        plan_services.adherence_record(
            plan=plan, recorded_by=therapist, date=timezone.localdate(), sessions_completed=1,
            logs=[{"item": theirs, "sets_done": 3, "rpe": 4, "pain_during": 1}],
        )  # fmt: skip

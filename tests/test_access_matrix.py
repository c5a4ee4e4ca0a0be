"""Who may open which page: every URL pattern, every role, own and other clinic.

A new view fails here until it declares `role_required(...)` and, when its URL takes
parameters, until ROUTE_OBJECTS says which object of a clinic fills them.
"""

import hashlib
import secrets
from collections.abc import Callable

import pytest
from django.conf import settings
from django.urls import reverse

from clinic.accounts.models import Clinic, Role, User
from clinic.accounts.permissions import ROLE_PERMISSIONS
from clinic.fhir.services.tokens import api_token_create
from patients.instruments import Instrument
from tests.factories import (
    AdverseEventFactory,
    ClinicAdminFactory,
    CredentialFactory,
    EpisodeOfCareFactory,
    NeedlingSessionFactory,
    PatientFactory,
    PatientLinkFactory,
    PlanItemFactory,
    ScreeningFactory,
    SignedConsentFactory,
    SorenessCheckFactory,
    StrengtheningPlanFactory,
    TherapistFactory,
)

from .urlwalk import Route, fill, project_routes

# Patients' link pages are public: their token is the key (tests/outreach/test_links.py).
PATIENT_LINK_PAGES = {
    r.name for r in project_routes() if getattr(r.callback, "patient_link_page", False)
}
PUBLIC = {"login", "healthz", "fhir_api:metadata"} | PATIENT_LINK_PAGES
# Any signed-in user may go home (it redirects by role), sign out, change their password and
# use two-factor sign-in.
EVERY_SIGNED_IN_USER = {"home", "logout", "password_change", "mfa_setup", "mfa_verify"}
ROLES = ["therapist", "clinic_admin"]


def patient_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": PatientFactory(clinic=clinic).pk}


def screening_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": ScreeningFactory(patient__clinic=clinic).pk}


def session_patient_pk(clinic: Clinic) -> dict[str, int]:
    return {"patient_pk": PatientFactory(clinic=clinic).pk}


def session_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": NeedlingSessionFactory(screening__patient__clinic=clinic).pk}


def own_draft_pk(clinic: Clinic) -> dict[str, int]:
    """A draft of the clinic's first therapist (the one signed in as the therapist role):
    another therapist's draft is refused before its form."""
    therapist = User.objects.filter(clinic=clinic, role=Role.THERAPIST).order_by("pk").first()
    if therapist is None:
        return session_pk(clinic)
    screening = ScreeningFactory(patient__clinic=clinic, therapist=therapist)
    return {"pk": NeedlingSessionFactory(screening=screening).pk}


def soreness_check_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": SorenessCheckFactory(session__screening__patient__clinic=clinic).pk}


def adverse_event_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": AdverseEventFactory(session__screening__patient__clinic=clinic).pk}


def plan_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": StrengtheningPlanFactory(patient__clinic=clinic).pk}


def plan_item_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": PlanItemFactory(plan__patient__clinic=clinic).pk}


def consent_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": SignedConsentFactory(patient__clinic=clinic).pk}


def episode_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": EpisodeOfCareFactory(patient__clinic=clinic).pk}


def episode_instrument(clinic: Clinic) -> dict[str, int | str]:
    return {**episode_pk(clinic), "instrument": Instrument.NPRS.value}


def patient_link_pk(clinic: Clinic) -> dict[str, int]:
    plan = StrengtheningPlanFactory(patient__clinic=clinic)
    return {"pk": PatientLinkFactory(plan=plan).pk}


def patient_link_token(clinic: Clinic) -> dict[str, str]:
    token = secrets.token_urlsafe()
    plan = StrengtheningPlanFactory(patient__clinic=clinic)
    PatientLinkFactory(plan=plan, token_hash=hashlib.sha256(token.encode()).hexdigest())
    return {"token": token}


def staff_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": TherapistFactory(clinic=clinic).pk}


def credential_pk(clinic: Clinic) -> dict[str, int]:
    return {"pk": CredentialFactory(holder__clinic=clinic).pk}


def treated_patient_pk(clinic: Clinic) -> dict[str, int]:
    """A patient whom every therapist of the clinic has screened: each is a treating one."""
    patient = PatientFactory(clinic=clinic)
    for therapist in User.objects.for_clinic(clinic).therapists():
        ScreeningFactory(patient=patient, therapist=therapist)
    return {"pk": patient.pk}


def api_token_pk(clinic: Clinic) -> dict[str, int]:
    admin = ClinicAdminFactory(clinic=clinic)
    token, _raw = api_token_create(clinic=clinic, user=admin, name="EMR", created_by=admin)
    return {"pk": token.pk}


# URL parameters are all called `pk`, so each route names the kind of object it expects.
ROUTE_OBJECTS: dict[str, Callable[[Clinic], dict[str, int | str]]] = {
    "accounts:staff_edit": staff_pk,
    "accounts:credential_list": staff_pk,
    "accounts:credential_create": staff_pk,
    "accounts:credential_edit": credential_pk,
    "patients:detail": patient_pk,
    "patients:edit": patient_pk,
    "patients:archive": patient_pk,
    "patients:restore": patient_pk,
    "patients:screening_create": patient_pk,
    "patients:screening_detail": screening_pk,
    "consent:sign": patient_pk,
    "consent:detail": consent_pk,
    "consent:withdraw": consent_pk,
    "consent:pdf": consent_pk,
    "patients:episode_create": patient_pk,
    "patients:episode_detail": episode_pk,
    "patients:episode_summary": episode_pk,
    "patients:episode_discharge": episode_pk,
    "patients:outcome_create": episode_instrument,
    "audit:patient": patient_pk,
    "audit:patient_export": patient_pk,
    "treatment_sessions:create": session_patient_pk,
    "treatment_sessions:detail": session_pk,
    "treatment_sessions:edit": own_draft_pk,
    "treatment_sessions:sign": session_pk,
    "treatment_sessions:addendum_create": session_pk,
    "treatment_sessions:plan_create": session_patient_pk,
    "treatment_sessions:plan_detail": plan_pk,
    "treatment_sessions:plan_handout": plan_pk,
    "treatment_sessions:adherence_create": plan_pk,
    "treatment_sessions:plan_end": plan_pk,
    "treatment_sessions:plan_item_progress": plan_item_pk,
    "treatment_sessions:followup_form": soreness_check_pk,
    "treatment_sessions:followup_record": soreness_check_pk,
    "treatment_sessions:adverse_event_create": session_pk,
    "treatment_sessions:adverse_event_detail": adverse_event_pk,
    "treatment_sessions:adverse_event_confirm": adverse_event_pk,
    "treatment_sessions:adverse_event_dismiss": adverse_event_pk,
    "fhir:patient_bundle": treated_patient_pk,
    "fhir:token_revoke": api_token_pk,
    "outreach:check_link_send": soreness_check_pk,
    "outreach:plan_link_send": plan_pk,
    "outreach:outcome_link_send": episode_pk,
    "outreach:link_revoke": patient_link_pk,
    # Public, opened by its token: walked by the tests of every page (security headers).
    "patient_link:open": patient_link_token,
}

# The FHIR read API answers to API tokens, never to the login session or a staff role: its
# routes are listed here on purpose, each with a URL to try; tests/fhir/ test the tokens.
API_TOKEN_ROUTES: dict[str, Callable[[Clinic], str]] = {
    "fhir_api:patient_search": lambda clinic: "/fhir/Patient?identifier=MRN1",
    "fhir_api:patient_read": lambda clinic: f"/fhir/Patient/{PatientFactory(clinic=clinic).pk}",
    "fhir_api:patient_everything": lambda clinic: (
        f"/fhir/Patient/{PatientFactory(clinic=clinic).pk}/$everything"
    ),
    "fhir_api:unknown": lambda clinic: "/fhir/Observation/1",
}

GUARDED = [
    r
    for r in project_routes()
    if r.name not in PUBLIC | EVERY_SIGNED_IN_USER | API_TOKEN_ROUTES.keys()
]


def url_for(route: Route, clinic: Clinic) -> str:
    if route.name in API_TOKEN_ROUTES:
        return API_TOKEN_ROUTES[route.name](clinic)
    if not route.kwarg_names:
        return fill(route)
    if route.name not in ROUTE_OBJECTS:
        pytest.fail(
            f"{route.name} ({route.path}) takes {route.kwarg_names}: add a factory for it to "
            "ROUTE_OBJECTS in tests/test_access_matrix.py"
        )
    return fill(route, **ROUTE_OBJECTS[route.name](clinic))


def get_and_post(client, url: str) -> dict[str, int]:
    """GET, then POST with empty data; a method the view does not take answers 405."""
    statuses = {"get": client.get(url).status_code, "post": client.post(url, {}).status_code}
    assert all(status < 500 for status in statuses.values()), statuses
    return statuses


def answered(statuses: dict[str, int]) -> set[int]:
    return {status for status in statuses.values() if status != 405}


def test_every_view_declares_its_required_permission():
    missing = [r.name for r in GUARDED if getattr(r.callback, "required_permission", None) is None]

    assert not missing, f"wrap these views in role_required(Permission.X): {missing}"


def test_every_route_with_url_parameters_has_an_object_factory():
    missing = [r.name for r in GUARDED if r.kwarg_names and r.name not in ROUTE_OBJECTS]

    assert not missing, f"add these routes to ROUTE_OBJECTS: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_anonymous_users_are_sent_to_login(client, clinic, route):
    url = url_for(route, clinic)

    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse(settings.LOGIN_URL))


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_its_permissions_allow(
    request, client, clinic, route, role
):
    user: User = request.getfixturevalue(role)
    client.force_login(user)

    statuses = get_and_post(client, url_for(route, clinic))

    if route.callback.required_permission in ROLE_PERMISSIONS[user.role]:
        assert statuses["get"] in {200, 405}
        assert statuses["post"] in {200, 302, 405}
        assert answered(statuses), f"{route.name} answers neither GET nor POST"
    else:
        assert answered(statuses) == {403}


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in GUARDED if r.kwarg_names], ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES)
def test_records_of_another_clinic_are_not_found(request, client, other_clinic, route, role):
    user: User = request.getfixturevalue(role)
    client.force_login(user)

    statuses = get_and_post(client, url_for(route, other_clinic))

    allowed = route.callback.required_permission in ROLE_PERMISSIONS[user.role]
    assert answered(statuses) == ({404} if allowed else {403})


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_a_user_of_another_clinic_cannot_open_my_records(
    client, clinic, other_clinic_therapist, route
):
    client.force_login(other_clinic_therapist)

    statuses = get_and_post(client, url_for(route, clinic))

    allowed = route.callback.required_permission in ROLE_PERMISSIONS[other_clinic_therapist.role]
    if not allowed:
        assert answered(statuses) == {403}
    elif route.kwarg_names:
        assert answered(statuses) == {404}


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED, ids=lambda r: r.name)
def test_platform_superuser_without_a_clinic_sees_no_clinic_pages(admin_client, clinic, route):
    statuses = get_and_post(admin_client, url_for(route, clinic))

    assert answered(statuses) == {403}


def test_the_api_routes_and_only_they_answer_to_api_tokens():
    by_token = {
        r.name for r in project_routes() if getattr(r.callback, "fhir_api_token_required", False)
    }

    assert by_token == API_TOKEN_ROUTES.keys()


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(API_TOKEN_ROUTES))
@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_api_refuses_the_login_session(request, client, clinic, route, role):
    if role is not None:
        client.force_login(request.getfixturevalue(role))

    statuses = get_and_post(client, API_TOKEN_ROUTES[route](clinic))

    assert statuses == {"get": 401, "post": 405}


@pytest.mark.django_db
def test_the_capability_statement_is_public(client):
    assert client.get(reverse("fhir_api:metadata")).status_code == 200

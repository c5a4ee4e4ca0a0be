import pytest
from django.conf import settings
from django.urls import reverse

from .urlwalk import fill, project_routes

# Patients' link pages are public: their token is the key (tests/outreach/test_links.py).
PATIENT_LINK_PAGES = {
    r.name for r in project_routes() if getattr(r.callback, "patient_link_page", False)
}
PUBLIC = {"login", "healthz"} | PATIENT_LINK_PAGES
# The FHIR API answers to API tokens with its own 401, never to the login session: the access
# matrix checks those routes (test_the_api_refuses_the_login_session).
API_ROUTES = {r.name for r in project_routes() if hasattr(r.callback, "fhir_api_token_required")}


def test_project_routes_cover_the_apps():
    names = {route.name for route in project_routes()}
    assert {"patients:list", "patients:detail", "accounts:staff_list", "home"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [r for r in project_routes() if r.name not in PUBLIC | API_ROUTES],
    ids=lambda r: r.name,
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_page_redirects_anonymous_users_to_login(client, route, method):
    response = getattr(client, method)(fill(route))

    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


@pytest.mark.django_db
def test_admin_site_needs_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_health_check_is_public(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}

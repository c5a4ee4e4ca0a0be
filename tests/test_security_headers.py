"""Pages and exports holding patient data are never kept by a browser or proxy cache, and the
browser grants pages no device features."""

import pytest

from clinic.lib.security import PERMISSIONS_POLICY

from .test_access_matrix import url_for
from .urlwalk import project_routes

ROUTES = project_routes()


def assert_not_cached(response) -> None:
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_every_signed_in_page_and_export_is_never_cached(request, client, clinic, route, role):
    client.force_login(request.getfixturevalue(role))
    url = url_for(route, clinic)

    for response in (client.get(url), client.post(url, {})):
        assert_not_cached(response)


@pytest.mark.django_db
def test_the_sign_in_page_is_never_cached(client):
    assert_not_cached(client.get("/accounts/login/"))

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import PatientFactory
from tests.urlwalk import fill, project_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(clinic) -> LogEntry:
    return LogEntry.objects.get_for_object(PatientFactory(clinic=clinic)).get()


def test_superuser_cannot_delete_an_audit_entry_in_django_admin(admin_client, entry):
    response = admin_client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_superuser_cannot_change_or_add_audit_entries_in_django_admin(admin_client, entry):
    change = admin_client.post(
        reverse("admin:auditlog_logentry_change", args=[entry.pk]), {"object_repr": "x"}
    )
    add = admin_client.get(reverse("admin:auditlog_logentry_add"))

    assert change.status_code == 403
    assert add.status_code == 403
    assert LogEntry.objects.get(pk=entry.pk).object_repr == entry.object_repr


def test_no_app_page_edits_or_deletes_audit_entries(client, clinic_admin, entry):
    before = list(LogEntry.objects.order_by("pk").values())

    for route in project_routes():
        url = fill(route, pk=entry.pk)
        for method in ("post", "put", "patch", "delete"):
            # Signed in again each time: one of the routes is the logout.
            client.force_login(clinic_admin)
            getattr(client, method)(url, {})

    kept = {row["id"]: row for row in LogEntry.objects.values()}
    assert [kept.get(row["id"]) for row in before] == before

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_over_long_username_is_a_field_error_not_a_lockout_record(client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "whatever"})

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()

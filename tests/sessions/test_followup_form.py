"""The worklist's follow-up form on demand: each row offers a "Record follow-up" button that
fetches that check's form (htmx), or opens it on its own page without JavaScript."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from clinic.audit import access
from sessions.models import CheckStatus, ContactMethod
from sessions.rules.followup import WARNING_SIGNS_ASKED, WARNING_SIGNS_LEGEND
from tests.factories import NeedlingSessionFactory, SorenessCheckFactory, TriggerPointSiteFactory

pytestmark = pytest.mark.django_db

WORKLIST = reverse("treatment_sessions:worklist")
# The form, fetched by htmx: the signed-in session and its user, the check with its session,
# patient and therapist, the session's sites with their muscles (one prefetch), the chart-read
# audit entry. As many for a check of one site as for one of many, warning signs or not.
FORM_QUERIES = 5


def due_check(clinic, *, sites: int = 2, asks_warning_signs: bool = False):
    session = NeedlingSessionFactory(
        screening__patient__clinic=clinic, started_at=timezone.now() - timedelta(hours=24)
    )
    TriggerPointSiteFactory.create_batch(sites, session=session)
    return SorenessCheckFactory(session=session, asks_warning_signs=asks_warning_signs)


def form_url(check) -> str:
    return reverse("treatment_sessions:followup_form", args=[check.pk])


def test_worklist_rows_show_the_facts_and_a_button_not_the_form(therapist_client, therapist):
    check = due_check(therapist.clinic, asks_warning_signs=True)

    body = therapist_client.get(WORKLIST).content.decode()

    assert check.session.patient.full_name in body
    assert WARNING_SIGNS_ASKED in body
    assert f'href="{form_url(check)}" hx-get="{form_url(check)}"' in body
    assert f'name="check-{check.pk}-soreness"' not in body
    assert WARNING_SIGNS_LEGEND not in body


def test_the_button_fetches_the_rows_form_posted_in_place(therapist_client, therapist):
    check = due_check(therapist.clinic, asks_warning_signs=True)
    record_url = reverse("treatment_sessions:followup_record", args=[check.pk])

    body = therapist_client.get(form_url(check), HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in body
    assert f'hx-post="{record_url}" hx-target="#check-{check.pk}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert f'name="check-{check.pk}-soreness"' in body
    assert WARNING_SIGNS_LEGEND in body


def test_without_javascript_the_form_has_its_own_page_that_posts_back(therapist_client, therapist):
    check = due_check(therapist.clinic)

    page = therapist_client.get(form_url(check)).content.decode()
    response = therapist_client.post(
        reverse("treatment_sessions:followup_record", args=[check.pk]),
        {f"check-{check.pk}-method": ContactMethod.PHONE, f"check-{check.pk}-soreness": "2"},
        follow=True,
    )

    assert "<html" in page
    assert check.session.patient.full_name in page
    assert f'name="check-{check.pk}-soreness"' in page
    assert "hx-post" not in page
    assert response.redirect_chain == [(WORKLIST, 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE


@pytest.mark.parametrize("htmx", [True, False])
def test_opening_the_form_is_a_chart_read(therapist_client, therapist, htmx):
    check = due_check(therapist.clinic)

    therapist_client.get(form_url(check), **({"HTTP_HX_REQUEST": "true"} if htmx else {}))

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.object_pk == str(check.session.patient.pk)
    assert entry.additional_data == {"page": access.FOLLOWUP_FORM}


def test_another_clinics_check_has_no_form(therapist_client, other_clinic):
    theirs = due_check(other_clinic)

    assert therapist_client.get(form_url(theirs)).status_code == 404
    assert therapist_client.get(form_url(theirs), HTTP_HX_REQUEST="true").status_code == 404


@pytest.mark.parametrize(("sites", "asks"), [(1, False), (6, True)])
def test_the_form_runs_a_fixed_number_of_queries(
    therapist_client, therapist, django_assert_num_queries, sites, asks
):
    check = due_check(therapist.clinic, sites=sites, asks_warning_signs=asks)
    therapist_client.get(WORKLIST)

    with django_assert_num_queries(FORM_QUERIES):
        response = therapist_client.get(form_url(check), HTTP_HX_REQUEST="true")

    assert response.status_code == 200

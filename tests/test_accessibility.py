"""Every form control on every page has a label a screen reader can announce."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .test_content_security_policy import html_pages

CONTROLS = {"input", "select", "textarea"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class LabelAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labelled_ids: set[str] = set()
        self.controls: list[dict] = []
        self.label_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.labelled_ids.add(attributes["for"])
        elif tag in CONTROLS and attributes.get("type") not in UNLABELLED_TYPES:
            self.controls.append({**attributes, "_tag": tag, "_wrapped": self.label_depth > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self) -> list[str]:
        return [
            control.get("name") or control["_tag"]
            for control in self.controls
            if not (
                control["_wrapped"]
                or control.get("aria-label")
                or control.get("aria-labelledby")
                or control.get("id") in self.labelled_ids
            )
        ]


def unlabelled_controls(html: str) -> list[str]:
    audit = LabelAudit()
    audit.feed(html)
    return audit.unlabelled()


def test_the_audit_catches_an_unlabelled_control():
    assert unlabelled_controls('<input name="x"><label for="y">Y</label><input id="y">') == ["x"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_every_form_control_has_a_label(request, client, clinic, role):
    client.force_login(request.getfixturevalue(role))

    offences = {
        name: missing
        for name, response in html_pages(client, clinic)
        if (missing := unlabelled_controls(response.content.decode()))
    }

    assert not offences


@pytest.mark.django_db
def test_login_form_controls_have_labels(client):
    assert unlabelled_controls(client.get(reverse("login")).content.decode()) == []


@pytest.mark.django_db
def test_clinical_forms_with_data_have_labels(therapist_client, therapist):
    from django.utils import timezone

    from tests.factories import NeedlingSessionFactory, ScreeningFactory, SorenessCheckFactory

    screening = ScreeningFactory(patient__clinic=therapist.clinic, therapist=therapist)
    session = NeedlingSessionFactory(screening=screening)
    check = SorenessCheckFactory(session__screening=screening, due_at=timezone.now())
    urls = [
        reverse("treatment_sessions:create", args=[screening.patient.pk]),
        reverse("treatment_sessions:edit", args=[session.pk]),
        reverse("treatment_sessions:worklist"),
        reverse("treatment_sessions:followup_form", args=[check.pk]),
        reverse("treatment_sessions:adverse_event_create", args=[session.pk]),
        reverse("treatment_sessions:plan_create", args=[screening.patient.pk]),
        reverse("patients:screening_create", args=[screening.patient.pk]),
    ]

    offences = {}
    for url in urls:
        response = therapist_client.get(url)
        assert response.status_code == 200, url
        if missing := unlabelled_controls(response.content.decode()):
            offences[url] = missing

    assert not offences

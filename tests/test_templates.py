"""The shared page partials and the template engine's set-up."""

from django.template import engines
from django.template.loader import render_to_string
from django.template.loaders.cached import Loader as CachedLoader

from .factories import NeedlingSessionFactory, PatientFactory

FORM_ERRORS = "partials/_form_errors.html"
BREADCRUMBS = "partials/_breadcrumbs.html"


def test_pages_render_through_one_engine_with_cached_templates():
    (engine,) = engines.all()
    assert engine.name == "django"
    assert isinstance(engine.engine.template_loaders[0], CachedLoader)


def test_form_errors_show_every_message_no_field_shows_in_one_alert():
    html = render_to_string(
        FORM_ERRORS, {"errors": ["Sign before 18:00."], "field_errors": ["Tick a session."]}
    )
    assert html.count('role="alert"') == 1
    assert html.index("Sign before 18:00.") < html.index("Tick a session.")


def test_form_errors_show_nothing_without_errors():
    assert render_to_string(FORM_ERRORS, {"errors": [], "field_errors": []}).strip() == ""


def test_breadcrumbs_lead_from_the_patient_list_to_the_page(db):
    patient = PatientFactory()
    session = NeedlingSessionFactory(patient=patient)
    html = render_to_string(
        BREADCRUMBS, {"patient": patient, "session": session, "current": "Adverse event"}
    )
    assert html.index("Patients") < html.index(patient.full_name) < html.index("Session ")
    assert 'aria-current="page">Adverse event</li>' in html
    assert session.get_absolute_url() in html

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import set_script_prefix

LINKS = (
    "<a href=\"{% url 'patients:list' %}\">Patients</a>"
    "<script src=\"{% static 'js/app.js' %}\"></script>"
)


def render(source: str, context: dict | None = None) -> str:
    template = engines["django"].from_string("{% load constant_markup static %}" + source)
    return template.render(context or {}, request=RequestFactory().get("/"))


def test_constant_markup_renders_as_the_tags_inside_it_do():
    assert render("{% constant %}" + LINKS + "{% endconstant %}") == render(LINKS)


def test_constant_markup_follows_the_prefix_the_site_is_served_under():
    template = "{% constant %}" + LINKS + "{% endconstant %}"
    at_root = render(template)
    try:
        set_script_prefix("/clinic/")
        under_prefix = render(template)
    finally:
        set_script_prefix("/")

    assert 'href="/patients/"' in at_root
    assert 'href="/clinic/patients/"' in under_prefix
    assert render(template) == at_root


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user }}",
        "{% url view_name %}",
        "{% url 'treatment_sessions:detail' pk %}",
        "{% static path %}",
        "{% url 'patients:list' as link %}",
        "{% if user %}x{% endif %}",
        "{% csrf_token %}",
    ],
)
def test_constant_markup_refuses_what_a_request_could_change(inside):
    with pytest.raises(TemplateSyntaxError, match="quoted arguments only"):
        render("{% constant %}" + inside + "{% endconstant %}")

"""Content-Security-Policy stays strict: the header on every page and no inline code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from .test_access_matrix import GUARDED, url_for

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.I | re.S)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def script_sources(policy: str) -> list[str]:
    for directive in policy.split(";"):
        name, *sources = directive.split()
        if name == "script-src":
            return sources
    default = [d for d in policy.split(";") if d.split()[:1] == ["default-src"]]
    return default[0].split()[1:] if default else []


def assert_strict_policy(response, where: str) -> None:
    policy = response.get("Content-Security-Policy")
    assert policy, f"{where} has no Content-Security-Policy header"
    sources = script_sources(policy)
    assert sources, f"{where}: the policy does not restrict scripts"
    assert "'unsafe-inline'" not in sources, where
    assert "'unsafe-eval'" not in sources, where


def html_pages(client, clinic):
    for route in GUARDED:
        response = client.get(url_for(route, clinic))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield route.name, response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["therapist", "clinic_admin"])
def test_every_html_page_carries_a_strict_content_security_policy(request, client, clinic, role):
    client.force_login(request.getfixturevalue(role))

    pages = list(html_pages(client, clinic))

    assert len(pages) >= 3
    for name, response in pages:
        assert_strict_policy(response, name)


@pytest.mark.django_db
def test_login_page_carries_a_strict_content_security_policy(client):
    assert_strict_policy(client.get(reverse("login")), "login")


def test_templates_have_no_inline_scripts_or_event_handlers():
    offences = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        name = template.relative_to(TEMPLATES)
        for match in SCRIPT.finditer(text):
            if "src=" not in match.group("attrs") and match.group("body").strip():
                offences.append(f"{name}: inline <script> block")
        offences += [
            f"{name}: inline event handler {m.group(0)!r}" for m in EVENT_HANDLER.finditer(text)
        ]
        offences += [f"{name}: javascript: URL" for _ in JAVASCRIPT_URL.finditer(text)]

    assert not offences, "move the code to static/js/ (CSP forbids inline code):\n" + "\n".join(
        offences
    )

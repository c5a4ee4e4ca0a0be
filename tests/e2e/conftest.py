"""Browser tests: a real headless Chromium (Debian's `chromium`) drives the live test server.

Locally they are skipped when no Chromium is installed; with NEEDLETRACK_REQUIRE_BROWSER=1
(CI) a missing browser fails the run instead. Each step's screenshot is kept under
test-artifacts/e2e/<test>/ when a test fails, and written to NEEDLETRACK_SCREENSHOTS (e.g.
docs/screenshots) when that is set.
"""

import importlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The catalogues the data migrations seed; live-server tests empty the tables between tests.
# (migration, its seeding function); the checklist is its current version.
CATALOGUE_MIGRATIONS = [
    ("patients.migrations.0009_checklist_version_2", "add_version"),
    ("sessions.migrations.0002_seed_muscles", "seed"),
    ("sessions.migrations.0005_seed_exercises", "seed"),
]


def seed_catalogues() -> None:
    for name, function in CATALOGUE_MIGRATIONS:
        getattr(importlib.import_module(name), function)(apps, None)


@pytest.fixture(autouse=True)
def catalogues(transactional_db):
    seed_catalogues()


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("NEEDLETRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
    # make around it (fixtures, assertions) are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_in_call = report.failed
    return report


class Steps:
    """Takes a full-page screenshot per named step."""

    def __init__(self, page, folder: Path):
        self.page = page
        self.folder = folder
        self.taken: list[Path] = []

    def shot(self, name: str) -> None:
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)


@pytest.fixture
def page(browser, request, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    steps = Steps(page, tmp_path)
    page.steps = steps
    yield page
    if getattr(request.node, "failed_in_call", False):
        steps.shot("failure")
        target = ARTIFACTS / re.sub(r"\W+", "_", request.node.name)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(tmp_path, target)
    elif os.environ.get("NEEDLETRACK_SCREENSHOTS"):
        target = Path(os.environ["NEEDLETRACK_SCREENSHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        for path in steps.taken:
            shutil.copy(path, target / path.name.split("-", 1)[1])
    context.close()

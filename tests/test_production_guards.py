"""Production never runs the development tools that create logins with published passwords,
and never falls back to a local SQLite file."""

import tomllib

import pytest
from django.core.management import CommandError, call_command
from setuptools import find_packages

from clinic.lib.production import DATABASE_URL_REQUIRED, REFUSED_IN_PRODUCTION

from .test_deploy_settings import ROOT, run_manage

PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "7f3e9a1c-b2d4-4c6e-8a0f-1d2e3c4b5a69-needle-track-key",
    "ALLOWED_HOSTS": "needletrack.example",
}


def test_the_installed_package_leaves_out_the_bench():
    found = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    packages = find_packages(where=ROOT, **found["packages"]["find"])

    assert "clinic" in packages
    assert not [name for name in packages if name.split(".")[0] == "bench"]


def test_production_start_up_needs_a_database_url():
    result = run_manage("check", **PRODUCTION, DATABASE_URL="")

    assert result.returncode != 0
    assert DATABASE_URL_REQUIRED in result.stderr


def test_production_has_no_bench_commands():
    result = run_manage("bench_dataset", **PRODUCTION, DATABASE_URL="sqlite:///:memory:")

    assert result.returncode != 0
    assert "Unknown command: 'bench_dataset'" in result.stderr


def test_production_refuses_to_load_the_demo_clinic():
    result = run_manage("seed_demo", **PRODUCTION, DATABASE_URL="sqlite:///:memory:")

    assert result.returncode != 0
    assert REFUSED_IN_PRODUCTION.format(command="seed_demo") in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["seed_demo", "bench_dataset"])
def test_demo_and_bench_data_commands_refuse_in_production(settings, command):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match=REFUSED_IN_PRODUCTION.format(command=command)):
        call_command(command)

"""What production refuses: the tools that create logins with published passwords."""

from django.conf import settings
from django.core.management import CommandError

REFUSED_IN_PRODUCTION = (
    "{command} creates logins with published passwords: it does not run with DJANGO_ENV=production."
)
DATABASE_URL_REQUIRED = (
    "DATABASE_URL must be set when DJANGO_ENV=production (e.g. "
    "postgres://needletrack@db.example/needletrack); production never runs on a local SQLite file."
)


def refuse_in_production(command: str) -> None:
    if settings.PRODUCTION:
        raise CommandError(REFUSED_IN_PRODUCTION.format(command=command))

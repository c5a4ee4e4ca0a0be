"""The needling session form's POST data as a therapist's browser sends it.

The one builder the page timer, the load test and the tests post: none of them writes the
form's fields out again. It lives here, not under tests/, because bench runs where the tests
are not installed; the tests import it as they import the rest of bench.
"""

from datetime import datetime

from django.utils import timezone

from sessions.forms.needling import SITE_PREFIX

# How a datetime-local input sends a moment: to the minute, in the clinic's time zone.
FORM_MINUTE = "%Y-%m-%dT%H:%M"

SESSION_VALUES = {
    "consent_method": "verbal",
    "consent_obtained": "on",
    "health_unchanged": "on",
    "pain_before": "6",
    "pain_after": "3",
    "needle_type": "0.25 x 40 mm",
    "clean_technique": "on",
    "sharps_disposed": "on",
    "needles_used": "6",
    "needles_disposed": "6",
    "notes": "",
}
# A site row: an unticked checkbox is not sent, an empty text input is.
SITE_VALUES = {
    "side": "left",
    "technique": "static",
    "insertions": "3",
    "depth_mm": "",
    "needle_length_mm": "",
    "needle_gauge_mm": "",
    "notes": "",
}


def form_minute(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(FORM_MINUTE)


def session_values(started_at: datetime | None = None, **fields) -> dict:
    """The session's own fields, started now unless `started_at` is given."""
    return {"started_at": form_minute(started_at or timezone.now()), **SESSION_VALUES, **fields}


def site_values(muscle_id: int, **fields) -> dict:
    return {"muscle": str(muscle_id), **SITE_VALUES, **fields}


def formset_data(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """A formset's management form and each row's fields under its prefix."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def session_form_data(
    sites: list[dict], *, action: str = "sign", initial: int = 0, **fields
) -> dict:
    """The whole form: the session's fields (`fields` override them), a row per site (each
    dict overrides SITE_VALUES and names its muscle) and the button pressed ("sign", or
    "draft" to keep a draft)."""
    rows = [{**SITE_VALUES, **site} for site in sites]
    return {
        **session_values(),
        "action": action,
        **formset_data(SITE_PREFIX, rows, initial=initial),
        **fields,
    }

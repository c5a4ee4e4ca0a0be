"""Chart reads on the audit trail: who saw which patient's record, on which page.

One access entry per page or export that shows a patient's clinical data (logged against
the patient) and one per list or search request (logged against the clinic, with the query,
not one per row). The audit page lists a patient's entries; auditlog keeps them immutable.
"""

from collections.abc import Mapping

from auditlog.models import LogEntry
from django.http import HttpRequest

from clinic.accounts.models import Clinic
from patients.models import Patient

PATIENT_PAGE = "patient page"
PATIENT_EDIT_FORM = "patient edit form"
SCREENING = "screening"
SCREENING_FORM = "screening form"
SESSION_NOTE = "session note"
SESSION_FORM = "session form"
PLAN = "strengthening plan"
PLAN_FORM = "plan form"
HANDOUT = "exercise handout"
ADHERENCE_FORM = "adherence form"
ADVERSE_EVENT = "adverse event"
ADVERSE_EVENT_FORM = "adverse event form"
FOLLOWUP_FORM = "follow-up form"
AUDIT_PAGE = "audit page"
EPISODE = "episode of care"
EPISODE_SUMMARY = "discharge summary"
EPISODE_FORM = "episode of care form"
OUTCOME_FORM = "outcome measure form"
DISCHARGE_FORM = "discharge form"
CONSENT = "signed consent"
CONSENT_FORM = "consent signing form"
PATIENT_LIST = "patient list"
WORKLIST = "follow-up worklist"
DASHBOARD = "clinic dashboard"
REPORT = "{report} report"
QUERY_PARAMETERS_KEPT = 20
QUERY_VALUE_KEPT = 200


def _kept(text: str) -> str:
    """A query value as the trail keeps it: no NUL (PostgreSQL's JSON refuses it), bounded."""
    return text.replace("\x00", "")[:QUERY_VALUE_KEPT]


def chart_read(request: HttpRequest, patient: Patient, *, page: str) -> LogEntry:
    """Log that the signed-in user was shown this patient's record on `page`."""
    return LogEntry.objects.log_create(
        patient,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=request.user,
        additional_data={"page": page},
    )


def list_read(request: HttpRequest, clinic: Clinic, *, page: str) -> LogEntry:
    """Log one list or search request of the clinic's patients, with its query."""
    query: Mapping[str, str] = {
        _kept(name): _kept(value)
        for name, value in list(request.GET.items())[:QUERY_PARAMETERS_KEPT]
        if name != "page" and value
    }
    return LogEntry.objects.log_create(
        clinic,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=request.user,
        additional_data={"page": page, "query": dict(query)},
    )

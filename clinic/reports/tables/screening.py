"""The screening report: outcomes, findings, referrals, expired screenings, sessions under
precautions, patients without a current consent, and the integrity lines (sessions without a
valid screening, and sessions without a signed consent, must be 0)."""

from django.utils import timezone

from clinic.formats import shown
from patients.models import QuestionCategory, ScreeningOutcome

from ..selectors import screening as selectors
from ..selectors.base import ReportFilter, first_rows
from .base import (
    ROWS_SHOWN,
    Alert,
    DateColumn,
    Link,
    Report,
    Table,
    local_date,
    patient_link,
    percent,
)

INTEGRITY_TITLE = "Sessions without a valid screening at the time"
OTHER_PATIENT = "screening of another patient"
TAKEN_AFTER = "screening taken after the session"
EXPIRED_BEFORE = "screening expired before the session"
CONSENT_INTEGRITY_TITLE = "Sessions without a signed consent at the time"
NEVER_SIGNED = "never signed"
WITHDRAWN_ON = "withdrawn on"
RECONSENT_DUE = "a form version requiring re-consent was published since"
EPISODE_CLOSED_ON = "its episode of care closed on"


def screening_report(report_filter: ReportFilter, *, row_limit: int | None = ROWS_SHOWN) -> Report:
    outcomes = selectors.screening_outcome_counts(report_filter)
    total = sum(outcomes.values())
    tables = [
        outcome_table(outcomes, total),
        findings_table(report_filter, total),
        referrals_table(report_filter, row_limit),
        expired_table(report_filter, row_limit),
        precautions_table(report_filter, row_limit),
        unconsented_table(report_filter, row_limit),
        integrity_table(report_filter, row_limit),
        consent_integrity_table(report_filter, row_limit),
    ]
    alerts = [
        integrity_alert(INTEGRITY_TITLE, tables[-2]),
        integrity_alert(CONSENT_INTEGRITY_TITLE, tables[-1]),
    ]
    return Report("screening", "Screening", tables, alerts=alerts)


def integrity_alert(title: str, table: Table) -> Alert:
    return Alert(
        "danger" if table.row_count else "success",
        f"{title}: {table.row_count}"
        + (" (must be 0: see the list below)" if table.row_count else ""),
    )


def outcome_table(outcomes: dict[str, int], total: int) -> Table:
    return Table(
        "outcomes",
        "Screenings by outcome",
        ["Outcome", "Screenings", "Share (%)"],
        [
            [label, outcomes[value], percent(outcomes[value], total)]
            for value, label in ScreeningOutcome.choices
        ]
        if total
        else [],
    )


def findings_table(report_filter: ReportFilter, total: int) -> Table:
    categories = dict(QuestionCategory.choices)
    return Table(
        "findings",
        "Red flags and contraindications found",
        ["Class", "Finding", "Screenings", "Share of screenings (%)"],
        [
            [categories[row["category"]], row["text"], row["found"]]
            + [percent(row["found"], total)]
            for row in selectors.screening_findings(report_filter)
        ],
        empty="No red flag or contraindication found in this period.",
    )


def referrals_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    referrals, total = first_rows(selectors.screening_referrals(report_filter), row_limit)
    return Table(
        "referrals",
        "Referrals to a physician (follow up each one)",
        [DateColumn("Date"), "Patient", "MRN", "Red flags", "Therapist"],
        [
            [
                local_date(s.taken_at),
                patient_link(s.patient),
                s.patient.mrn,
                "; ".join(answer.question.text for answer in s.red_flags),
                str(s.therapist),
            ]
            for s in referrals
        ],
        empty="No referrals in this period.",
        total=total,
    )


def expired_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    patients, total = first_rows(
        selectors.expired_screening_patients(
            clinic=report_filter.clinic, therapist=report_filter.therapist, now=timezone.now()
        ),
        row_limit,
    )
    return Table(
        "expired",
        "Active patients whose screening has expired (today)",
        ["Patient", "MRN", DateColumn("Screened on"), DateColumn("Expired on")],
        [
            [
                patient_link(patient),
                patient.mrn,
                local_date(patient.latest_taken_at),
                local_date(patient.latest_valid_until),
            ]
            for patient in patients
        ],
        empty="No active patient has an expired screening.",
        total=total,
    )


def precautions_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    sessions, total = first_rows(selectors.precaution_sessions(report_filter), row_limit)
    return Table(
        "precautions",
        "Sessions under 'cleared with precautions'",
        [DateColumn("Session"), "Patient", "Therapist", "Justification"],
        [
            [
                Link(s.started_at, s.get_absolute_url()),
                patient_link(s.patient),
                str(s.therapist),
                s.screening.justification,
            ]
            for s in sessions
        ],
        empty="No session under precautions in this period.",
        total=total,
    )


def integrity_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    sessions, total = first_rows(
        selectors.sessions_without_valid_screening(report_filter), row_limit
    )
    return Table(
        "integrity",
        INTEGRITY_TITLE,
        [
            DateColumn("Session"),
            "Patient",
            "Therapist",
            DateColumn("Screening taken"),
            DateColumn("Screening valid until"),
            "Problem",
        ],
        [
            [
                Link(s.started_at, s.get_absolute_url()),
                patient_link(s.patient),
                str(s.therapist),
                timezone.localtime(s.screening.taken_at),
                timezone.localtime(s.screening.valid_until),
                screening_problem(s),
            ]
            for s in sessions
        ],
        empty="None: every session had a valid screening of its patient.",
        total=total,
    )


def screening_problem(session) -> str:
    screening = session.screening
    if screening.patient_id != session.patient_id:
        return OTHER_PATIENT
    if not screening.allows_needling:
        return f"screening outcome: {screening.get_outcome_display().lower()}"
    if screening.taken_at > session.started_at:
        return TAKEN_AFTER
    return EXPIRED_BEFORE


def consent_integrity_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    sessions, total = first_rows(
        selectors.sessions_without_signed_consent(report_filter), row_limit
    )
    return Table(
        "consent-integrity",
        CONSENT_INTEGRITY_TITLE,
        [DateColumn("Session"), "Patient", "MRN", "Therapist"],
        [
            [
                Link(s.started_at, s.get_absolute_url()),
                patient_link(s.patient),
                s.patient.mrn,
                str(s.therapist),
            ]
            for s in sessions
        ],
        empty="None: every session had a signed consent of its patient.",
        total=total,
    )


def unconsented_table(report_filter: ReportFilter, row_limit: int | None) -> Table:
    patients, total = first_rows(
        selectors.patients_without_current_consent(
            clinic=report_filter.clinic, therapist=report_filter.therapist, now=timezone.now()
        ),
        row_limit,
    )
    return Table(
        "no-consent",
        "Active patients without a current signed consent (today)",
        ["Patient", "MRN", DateColumn("Last session"), "Consent"],
        [
            [
                patient_link(patient),
                patient.mrn,
                local_date(patient.last_session_at),
                consent_problem(patient),
            ]
            for patient in patients
        ],
        empty="Every active patient has a signed consent in force.",
        total=total,
    )


def consent_problem(patient) -> str:
    if patient.consent_signed_at is None:
        return NEVER_SIGNED
    if patient.consent_withdrawn_at is not None:
        return f"{WITHDRAWN_ON} {shown(local_date(patient.consent_withdrawn_at))}"
    if patient.consent_episode_closed_on is not None:
        return f"{EPISODE_CLOSED_ON} {shown(patient.consent_episode_closed_on)}"
    return RECONSENT_DUE

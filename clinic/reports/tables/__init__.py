"""The reports as tables: the one source for each report page and its CSV exports, one module
per report. Each builder takes a ReportFilter and `row_limit` (the rows a page lists; None for
an export, which has them all)."""

from .followup import followup_report
from .outcome_card import outcome_card_report
from .outcomes import outcomes_report
from .safety import safety_report
from .screening import screening_report

REPORTS = {
    "screening": screening_report,
    "safety": safety_report,
    "followup": followup_report,
    "outcomes": outcomes_report,
    "outcome_card": outcome_card_report,
}

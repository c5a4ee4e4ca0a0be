"""Query budgets: every page runs a fixed number of queries, whatever the size of the clinic.

The synthetic dataset of the benchmark is built at two small sizes (3x apart); each page of the
benchmark (the reports namespace included, as its pages appear) is opened at both. A page whose
query count grows with the data would be slow on a clinic with years of records.
"""

import pytest
from django.db import transaction

from bench.dataset import build_dataset
from bench.pages import Subjects, main_pages, report_pages
from bench.runner import query_counts

SMALL, LARGE = 0.003, 0.009

# The main pages' budgets: lower them when a page gets cheaper; raising one needs a reason.
# Counted inside the test's transaction, where each atomic block adds a savepoint and its
# release: the session form's writes count 4 more here than in production.
# Lists, searches, the worklist and the session note each write one access entry (one query).
BUDGETS = {
    "patient list": 6,
    "patient list, middle page": 6,
    "patient search (name)": 6,
    "patient search (no match)": 5,
    "patient search (MRN)": 6,
    # 26: one EXISTS tells whether the therapist treats the patient (the FHIR export button);
    # one query reads the patient's signed consents, each marked whether in force; one the
    # patient's episodes of care; 5 for the safety gate deciding which action the page offers
    # (the viewer's credential, the screening in force and its avoid-regions or the newest
    # screening when none is in force, the consent in force, the open episode of care).
    "patient detail": 26,
    "session detail": 11,
    "episode page": 12,
    # The gate asks for the therapist's current credential and for the patient's consent, for
    # the form's preview and for the write; it finds the open episode of care (signing reads it
    # again as stored), and the session's episode is validated on both saves. One lists the
    # patient's open episodes for the form's episode picker (the chosen one is checked against
    # that list, not looked up again).
    "new session (POST)": 86,
    # 8; 3 for patient links: their answers, home exercise alerts, the checks' links (their
    # deliveries are one more when any link exists); 1 for the alert list of warning signs
    # after lung-risk needling, shown above the rest.
    "therapist worklist": 12,
}


def counts_at(scale: float) -> dict[str, int]:
    """Each page's query count on the dataset at this scale (rolled back afterwards)."""
    with transaction.atomic():
        build_dataset(scale=scale)
        subjects = Subjects.find()
        counts = query_counts(main_pages(subjects) + report_pages(subjects))
        transaction.set_rollback(True)
    return counts


@pytest.fixture
def counts(db) -> tuple[dict[str, int], dict[str, int]]:
    return counts_at(SMALL), counts_at(LARGE)


def test_every_page_runs_as_many_queries_on_three_times_the_data(counts):
    small, large = counts

    assert set(small) >= set(BUDGETS) | {"reports: dashboard"}
    assert large == small


def test_main_pages_stay_within_their_query_budgets(counts):
    _, large = counts

    assert {page: large[page] for page in BUDGETS} == BUDGETS

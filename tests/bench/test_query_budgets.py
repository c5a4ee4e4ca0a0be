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
BUDGETS = {
    "patient list": 5,
    "patient list, middle page": 5,
    "patient search (name)": 5,
    "patient search (no match)": 4,
    "patient search (MRN)": 5,
    # + 3: the safety gate decides which action the page offers (the viewer's credential, the
    # screening in force and its avoid-regions, or the newest screening when none is in force).
    "patient detail": 21,
    "session detail": 10,
    # The gate asks for the therapist's current credential when recording and when signing.
    "new session (POST)": 78,
    "therapist worklist": 7,
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

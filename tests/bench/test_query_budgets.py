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
    # 6 with its record parts cached (COLD_BUDGETS: without): the signed-in session and user,
    # the patient with the versions, the access entry, the navigation counts, and the viewer's
    # current credential (the safety gate's own part). What the patient's records say to the
    # gate (screening in force, consents, open episode) and who treats the patient (the FHIR
    # export button) come from the cache under the record version.
    "patient detail": 6,
    "session detail": 5,
    # 13: one query reads the episode's newest outcome-measure link with its first sending time
    # (its state: sent, opened, answered, expired or revoked, with the revoke action).
    "episode page": 13,
    # 19 for a signed one-site note (target: at most 30, 2 more per site; see
    # tests/sessions/test_write_budget.py): the signed-in session and user, the patient with their
    # clinic, the patient's open episodes (the form's episode picker), the site's muscle; 6 for
    # the gate (the therapist's current credential, the screening in force, its avoid-regions, the
    # consent, the chosen episode of care as stored, the screening's findings); the note, its
    # sites, the signing, its follow-up checks and all their audit entries are one insert or
    # update each; the service's transaction (a savepoint and its release here); one UPDATE raises
    # the patient's record version. The browser's form token adds 3 (its look-up, a savepoint and
    # its release).
    "new session (POST)": 19,
    # 6 with its rows and lists cached (COLD_BUDGETS: without): the signed-in session and
    # user, the clinic's records version (the key of its escalations and patient link
    # panels), the navigation bar's counts (whose follow-up count is the page's), the access
    # entry, and the page's rows' cache keys (each check with its patient's record version).
    "therapist worklist": 6,
}


# The pages whose record parts come from the fragment cache, on the first request after a
# write (the cache has nothing for the patient's new record version): the patient page reads
# its screenings, the newest one's findings, sessions, plan, adverse events, body map, pain
# chart and episodes; the session page its sites, lung-risk regions, addenda, checks, events;
# the worklist its rows' checks with their sessions and patients, the sites, the checks' patient
# links (their deliveries are one more when any link exists), the drafts to decide, patients'
# answers, home exercise alerts and when those change with time alone.
COLD_BUDGETS = {"patient detail": 24, "session detail": 11, "therapist worklist": 13}


def counts_at(scale: float) -> tuple[dict[str, int], dict[str, int]]:
    """Each page's query count on the dataset at this scale, with its fragments cached and
    without (rolled back afterwards)."""
    with transaction.atomic():
        build_dataset(scale=scale)
        subjects = Subjects.find()
        pages = main_pages(subjects) + report_pages(subjects)
        counts = query_counts(pages), query_counts(pages, cold=True)
        transaction.set_rollback(True)
    return counts


@pytest.fixture
def counts(db) -> tuple[tuple[dict[str, int], dict[str, int]], ...]:
    return counts_at(SMALL), counts_at(LARGE)


def test_every_page_runs_as_many_queries_on_three_times_the_data(counts):
    (small, small_cold), (large, large_cold) = counts

    assert set(small) >= set(BUDGETS) | {"reports: dashboard"}
    assert large == small
    assert large_cold == small_cold


def test_main_pages_stay_within_their_query_budgets(counts):
    _, (large, large_cold) = counts

    assert {page: large[page] for page in BUDGETS} == BUDGETS
    assert {page: large_cold[page] for page in COLD_BUDGETS} == COLD_BUDGETS

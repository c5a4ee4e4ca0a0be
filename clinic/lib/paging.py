"""How many rows each list shows, defined once for the views and the benchmark's floors."""

from django.core.paginator import Paginator

PATIENTS_PER_PAGE = 25
SESSIONS_PER_PAGE = 10
WORKLIST_PER_PAGE = 25
# Clinical events (a screening with its answers is one) per page of a patient's audit trail.
AUDIT_EVENTS_PER_PAGE = 25
# A patient's session history beyond this page number opens at the first page (each page is a
# cached fragment: an unbounded number would let one patient fill the cache).
MAX_PAGE = 1000


class CountedPaginator(Paginator):
    """A paginator told its number of rows, already read with others in one query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count

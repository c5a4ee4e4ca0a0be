"""How many rows each list shows, defined once for the views and the benchmark's floors."""

PATIENTS_PER_PAGE = 25
SESSIONS_PER_PAGE = 10
WORKLIST_PER_PAGE = 25
AUDIT_ENTRIES_PER_PAGE = 50

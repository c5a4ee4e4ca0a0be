"""How many rows each list shows, defined once for the views and the benchmark's floors."""

PATIENTS_PER_PAGE = 25
SESSIONS_PER_PAGE = 10
WORKLIST_PER_PAGE = 25
# Clinical events (a screening with its answers is one) per page of a patient's audit trail.
AUDIT_EVENTS_PER_PAGE = 25

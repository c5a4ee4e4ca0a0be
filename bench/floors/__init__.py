"""Floors: hand-written SQL (psycopg, no ORM, no templates) that fetches the rows each page
shows, the cost of the data alone, one module per group of pages."""

from .common import Floor
from .followup import dashboard, worklist
from .patients import patient_detail, patient_list, patient_search
from .sessions import new_session, session_detail

__all__ = [
    "Floor",
    "dashboard",
    "new_session",
    "patient_detail",
    "patient_list",
    "patient_search",
    "session_detail",
    "worklist",
]

"""Floors: hand-written SQL (psycopg, no ORM, no templates) that fetches the rows each page
shows, the cost of the data alone. Each builder returns a function of a database cursor; this
module holds what they share: running a statement and the navigation bar's counts."""

from collections.abc import Callable

from django.utils import timezone

from clinic.accounts.models import Clinic
from sessions.querysets.followup import end_of_local_day
from sessions.rules.followup import WORKLIST_LOOKBACK

Floor = Callable[[object], None]

NAV_COUNTS = [
    """SELECT count(*) FROM treatment_sessions_sorenesscheck c
       WHERE c.clinic_id = %(clinic)s AND c.status IN ('scheduled', 'missed')
         AND c.due_at < %(end_of_day)s AND c.due_at >= %(since)s""",
    """SELECT count(*) FROM treatment_sessions_adverseevent e
       JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
       WHERE n.clinic_id = %(clinic)s AND e.status = 'draft'""",
]


def run(cursor, sql: str, params: dict) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


def nav(cursor, clinic: Clinic) -> None:
    now = timezone.now()
    params = {
        "clinic": clinic.pk,
        "end_of_day": end_of_local_day(now),
        "since": now - WORKLIST_LOOKBACK,
    }
    for sql in NAV_COUNTS:
        run(cursor, sql, params)

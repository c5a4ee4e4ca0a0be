"""The floors of the therapist's worklist and the admin dashboard."""

from typing import TYPE_CHECKING

from django.utils import timezone

from clinic.lib.paging import WORKLIST_PER_PAGE
from clinic.reports.selectors.dashboard import MAJOR_EVENTS_SHOWN_FOR
from sessions.querysets.followup import end_of_local_day
from sessions.rules.followup import CHECK_WINDOW, WORKLIST_LOOKBACK

from .common import Floor, nav, run

if TYPE_CHECKING:
    from ..pages import Subjects


def worklist(s: "Subjects") -> Floor:
    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "clinic": s.clinic.pk,
            "end_of_day": end_of_local_day(now),
            "since": now - WORKLIST_LOOKBACK,
            "page": WORKLIST_PER_PAGE,
        }
        checks = run(
            cursor,
            """SELECT c.*, n.started_at, n.therapist_id, p.id, p.first_name, p.last_name, p.mrn,
                      u.first_name, u.last_name
               FROM treatment_sessions_sorenesscheck c
               JOIN treatment_sessions_needlingsession n ON n.id = c.session_id
               JOIN patients_patient p ON p.id = n.patient_id
               JOIN accounts_user u ON u.id = n.therapist_id
               WHERE c.clinic_id = %(clinic)s AND c.status IN ('scheduled', 'missed')
                 AND c.due_at < %(end_of_day)s AND c.due_at >= %(since)s
               ORDER BY c.due_at, c.id LIMIT %(page)s""",
            params,
        )
        run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = ANY(%(sessions)s) ORDER BY t.id""",
            {"sessions": sorted({row[1] for row in checks})},
        )
        run(
            cursor,
            """SELECT e.*, n.started_at, p.first_name, p.last_name, c.hours_after
               FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               JOIN patients_patient p ON p.id = n.patient_id
               LEFT JOIN treatment_sessions_sorenesscheck c ON c.id = e.escalated_from_id
               WHERE n.clinic_id = %(clinic)s AND e.status = 'draft'
               ORDER BY e.onset_at DESC, e.id DESC""",
            params,
        )
        nav(cursor, s.clinic)

    return floor


def dashboard(s: "Subjects") -> Floor:
    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "clinic": s.clinic.pk,
            "since": now - MAJOR_EVENTS_SHOWN_FOR,
            "overdue": now - CHECK_WINDOW,
        }
        run(
            cursor,
            """SELECT e.*, n.started_at, p.first_name, p.last_name, u.first_name, u.last_name
               FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               JOIN patients_patient p ON p.id = n.patient_id
               JOIN accounts_user u ON u.id = n.therapist_id
               WHERE n.clinic_id = %(clinic)s AND e.status = 'confirmed' AND e.severity = 'major'
                 AND e.onset_at >= %(since)s ORDER BY e.onset_at DESC, e.id DESC""",
            params,
        )
        run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               WHERE n.clinic_id = %(clinic)s AND e.status = 'draft'""",
            params,
        )
        run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_sorenesscheck c
               WHERE c.clinic_id = %(clinic)s AND c.status IN ('scheduled', 'missed')
                 AND c.due_at < %(overdue)s""",
            params,
        )

    return floor

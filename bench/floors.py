"""Floors: hand-written SQL (psycopg, no ORM, no templates) that fetches the rows each page
shows, the cost of the data alone. Each builder returns a function of a database cursor."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils import timezone

from clinic.accounts.models import Clinic
from clinic.lib.paging import PATIENTS_PER_PAGE, SESSIONS_PER_PAGE, WORKLIST_PER_PAGE
from clinic.reports.selectors.dashboard import MAJOR_EVENTS_SHOWN_FOR
from sessions.querysets.followup import end_of_local_day
from sessions.rules.followup import CHECK_WINDOW, WORKLIST_LOOKBACK

if TYPE_CHECKING:
    from .pages import Subjects

# The patient list's page size.

Floor = Callable[[object], None]

LATEST_SCREENING = """
    LEFT JOIN LATERAL (
        SELECT outcome, valid_until FROM patients_screening
        WHERE patient_id = p.id ORDER BY taken_at DESC LIMIT 1
    ) s ON true"""
NAV_COUNTS = [
    """SELECT count(*) FROM treatment_sessions_sorenesscheck c
       WHERE c.clinic_id = %(clinic)s AND c.status IN ('scheduled', 'missed')
         AND c.due_at < %(end_of_day)s AND c.due_at >= %(since)s""",
    """SELECT count(*) FROM treatment_sessions_adverseevent e
       JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
       WHERE n.clinic_id = %(clinic)s AND e.status = 'draft'""",
]


def _run(cursor, sql: str, params: dict) -> list:
    cursor.execute(sql, params)
    return cursor.fetchall()


def _nav(cursor, clinic: Clinic) -> None:
    now = timezone.now()
    params = {
        "clinic": clinic.pk,
        "end_of_day": end_of_local_day(now),
        "since": now - WORKLIST_LOOKBACK,
    }
    for sql in NAV_COUNTS:
        _run(cursor, sql, params)


def patient_list(s: "Subjects", page: int) -> Floor:
    params = {"clinic": s.clinic.pk, "offset": (page - 1) * PATIENTS_PER_PAGE}

    def floor(cursor) -> None:
        where = "p.clinic_id = %(clinic)s AND p.archived_at IS NULL"
        _run(cursor, f"SELECT count(*) FROM patients_patient p WHERE {where}", params)
        _run(
            cursor,
            f"""SELECT p.id, p.last_name, p.first_name, p.mrn, p.date_of_birth, p.archived_at,
                       s.outcome, s.valid_until
                FROM patients_patient p {LATEST_SCREENING}
                WHERE {where} ORDER BY p.last_name, p.first_name, p.id
                LIMIT {PATIENTS_PER_PAGE} OFFSET %(offset)s""",
            params,
        )
        _nav(cursor, s.clinic)

    return floor


def patient_search(s: "Subjects", words: list[str]) -> Floor:
    params = {"clinic": s.clinic.pk}
    conditions = ["p.clinic_id = %(clinic)s", "p.archived_at IS NULL"]
    for index, word in enumerate(words):
        params[f"like{index}"] = f"%{word}%"
        params[f"word{index}"] = word
        conditions.append(
            f"(upper(p.last_name) LIKE upper(%(like{index})s)"
            f" OR upper(p.first_name) LIKE upper(%(like{index})s)"
            f" OR upper(p.mrn) = upper(%(word{index})s))"
        )
    where = " AND ".join(conditions)

    def floor(cursor) -> None:
        _run(cursor, f"SELECT count(*) FROM patients_patient p WHERE {where}", params)
        _run(
            cursor,
            f"""SELECT p.id, p.last_name, p.first_name, p.mrn, p.date_of_birth, p.archived_at,
                       s.outcome, s.valid_until
                FROM patients_patient p {LATEST_SCREENING}
                WHERE {where} ORDER BY p.last_name, p.first_name, p.id LIMIT {PATIENTS_PER_PAGE}""",
            params,
        )
        _nav(cursor, s.clinic)

    return floor


def patient_detail(s: "Subjects") -> Floor:
    params = {"patient": s.patient.pk, "clinic": s.clinic.pk}

    def floor(cursor) -> None:
        _run(
            cursor,
            "SELECT * FROM patients_patient WHERE id = %(patient)s AND clinic_id = %(clinic)s",
            params,
        )
        screenings = _run(
            cursor,
            """SELECT s.*, u.first_name, u.last_name FROM patients_screening s
               JOIN accounts_user u ON u.id = s.therapist_id
               WHERE s.patient_id = %(patient)s ORDER BY s.taken_at DESC, s.id DESC""",
            params,
        )
        ids = {"screenings": [row[0] for row in screenings], "current": screenings[0][0]}
        _run(
            cursor,
            "SELECT * FROM patients_avoidregion WHERE screening_id = ANY(%(screenings)s)",
            ids,
        )
        _run(
            cursor,
            """SELECT a.*, q.text FROM patients_screeninganswer a
               JOIN patients_screeningquestion q ON q.id = a.question_id
               WHERE a.screening_id = %(current)s AND a.present""",
            ids,
        )
        _run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_needlingsession
               WHERE patient_id = %(patient)s""",
            params,
        )
        sessions = _run(
            cursor,
            f"""SELECT n.*, u.first_name, u.last_name FROM treatment_sessions_needlingsession n
               JOIN accounts_user u ON u.id = n.therapist_id WHERE n.patient_id = %(patient)s
               ORDER BY n.started_at DESC, n.id DESC LIMIT {SESSIONS_PER_PAGE}""",
            params,
        )
        page = {"sessions": [row[0] for row in sessions]}
        _run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = ANY(%(sessions)s) ORDER BY t.id""",
            page,
        )
        _run(
            cursor,
            """SELECT * FROM treatment_sessions_sorenesscheck
               WHERE session_id = ANY(%(sessions)s) ORDER BY due_at""",
            page,
        )
        _run(
            cursor,
            """SELECT pl.*, i.*, x.name FROM treatment_sessions_strengtheningplan pl
               JOIN treatment_sessions_planitem i ON i.plan_id = pl.id
               JOIN treatment_sessions_exercise x ON x.id = i.exercise_id
               WHERE pl.patient_id = %(patient)s AND pl.status = 'active' ORDER BY i.id""",
            params,
        )
        _run(
            cursor,
            """SELECT e.*, n.started_at, t.side, m.name FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               LEFT JOIN treatment_sessions_triggerpointsite t ON t.id = e.site_id
               LEFT JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE n.patient_id = %(patient)s ORDER BY e.onset_at DESC, e.id DESC""",
            params,
        )
        _run(
            cursor,
            """SELECT m.region, t.side, count(*) FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_needlingsession n ON n.id = t.session_id
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE n.patient_id = %(patient)s GROUP BY m.region, t.side""",
            params,
        )
        _run(
            cursor,
            """SELECT started_at, pain_before, pain_after FROM treatment_sessions_needlingsession
               WHERE patient_id = %(patient)s AND status = 'signed' ORDER BY started_at""",
            params,
        )
        _run(
            cursor,
            """SELECT c.done_at, c.soreness FROM treatment_sessions_sorenesscheck c
               JOIN treatment_sessions_needlingsession n ON n.id = c.session_id
               WHERE n.patient_id = %(patient)s AND c.status = 'done' ORDER BY c.done_at""",
            params,
        )
        _nav(cursor, s.clinic)

    return floor


def session_detail(s: "Subjects") -> Floor:
    params = {"session": s.session.pk, "clinic": s.clinic.pk}

    def floor(cursor) -> None:
        _run(
            cursor,
            """SELECT n.*, p.*, u.first_name, u.last_name, sc.*
               FROM treatment_sessions_needlingsession n
               JOIN patients_patient p ON p.id = n.patient_id
               JOIN accounts_user u ON u.id = n.therapist_id
               JOIN patients_screening sc ON sc.id = n.screening_id
               WHERE n.id = %(session)s AND n.clinic_id = %(clinic)s""",
            params,
        )
        _run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = %(session)s ORDER BY t.id""",
            params,
        )
        _run(
            cursor,
            """SELECT a.*, u.first_name, u.last_name FROM treatment_sessions_sessionaddendum a
               JOIN accounts_user u ON u.id = a.author_id WHERE a.session_id = %(session)s
               ORDER BY a.created_at, a.id""",
            params,
        )
        _run(
            cursor,
            """SELECT * FROM treatment_sessions_sorenesscheck WHERE session_id = %(session)s
               ORDER BY due_at""",
            params,
        )
        _run(
            cursor,
            "SELECT * FROM treatment_sessions_adverseevent WHERE session_id = %(session)s",
            params,
        )
        _run(
            cursor,
            "SELECT DISTINCT region FROM treatment_sessions_muscle WHERE active AND lung_risk",
            {},
        )
        _nav(cursor, s.clinic)

    return floor


def worklist(s: "Subjects") -> Floor:
    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "clinic": s.clinic.pk,
            "end_of_day": end_of_local_day(now),
            "since": now - WORKLIST_LOOKBACK,
            "page": WORKLIST_PER_PAGE,
        }
        checks = _run(
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
        _run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = ANY(%(sessions)s) ORDER BY t.id""",
            {"sessions": sorted({row[1] for row in checks})},
        )
        _run(
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
        _nav(cursor, s.clinic)

    return floor


def dashboard(s: "Subjects") -> Floor:
    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "clinic": s.clinic.pk,
            "since": now - MAJOR_EVENTS_SHOWN_FOR,
            "overdue": now - CHECK_WINDOW,
        }
        _run(
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
        _run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               WHERE n.clinic_id = %(clinic)s AND e.status = 'draft'""",
            params,
        )
        _run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_sorenesscheck c
               WHERE c.clinic_id = %(clinic)s AND c.status IN ('scheduled', 'missed')
                 AND c.due_at < %(overdue)s""",
            params,
        )

    return floor


def new_session(s: "Subjects") -> Floor:
    """The gate's reads and the writes of a signed one-site session, in one transaction."""

    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "patient": s.new_session_patient.pk,
            "clinic": s.clinic.pk,
            "therapist": s.therapist.pk,
            "muscle": s.muscle.pk,
            "now": now,
        }
        with cursor.connection.transaction():
            _run(
                cursor,
                "SELECT * FROM patients_patient WHERE id = %(patient)s AND clinic_id = %(clinic)s",
                params,
            )
            screening = _run(
                cursor,
                """SELECT id FROM patients_screening WHERE patient_id = %(patient)s
                   AND taken_at <= %(now)s AND valid_until > %(now)s
                   ORDER BY taken_at DESC, id DESC LIMIT 1""",
                params,
            )[0][0]
            params["screening"] = screening
            _run(
                cursor,
                """SELECT q.code, q.text FROM patients_screeninganswer a
                   JOIN patients_screeningquestion q ON q.id = a.question_id
                   WHERE a.screening_id = %(screening)s AND a.present""",
                params,
            )
            _run(
                cursor,
                "SELECT * FROM patients_avoidregion WHERE screening_id = %(screening)s",
                params,
            )
            _run(cursor, "SELECT * FROM treatment_sessions_muscle WHERE id = %(muscle)s", params)
            params["episode"] = _run(
                cursor,
                """SELECT * FROM patients_episodeofcare WHERE patient_id = %(patient)s
                   AND closed_on IS NULL AND opened_on <= %(now)s::date
                   ORDER BY opened_on DESC, id DESC""",
                params,
            )[0][0]
            params["session"] = _run(
                cursor,
                """INSERT INTO treatment_sessions_needlingsession (patient_id, clinic_id,
                       therapist_id, episode_id, screening_id, started_at, consent_method,
                       consent_obtained, health_unchanged, pain_before, pain_after, needle_type,
                       clean_technique, sharps_disposed, notes, gate_outcome, gate_summary,
                       status, signed_at, created_at, updated_at)
                   VALUES (%(patient)s, %(clinic)s, %(therapist)s, %(episode)s, %(screening)s,
                       %(now)s,
                       'verbal', true, true, 6, 3, '0.25 x 40 mm', true, true, '', 'cleared',
                       'Screening checked.', 'signed', %(now)s, %(now)s, %(now)s) RETURNING id""",
                params,
            )[0][0]
            cursor.execute(
                """INSERT INTO treatment_sessions_triggerpointsite (session_id, muscle_id, side,
                       technique, insertions, twitch_response, lung_risk, lung_risk_acknowledged,
                       notes)
                   VALUES (%(session)s, %(muscle)s, 'left', 'static', 3, false, false, false,
                       '')""",
                params,
            )
            cursor.execute(
                """INSERT INTO treatment_sessions_sorenesscheck (session_id, clinic_id, hours_after,
                       due_at, status, timeliness, method, resolved, notes, asks_warning_signs,
                       created_at, updated_at)
                   SELECT %(session)s, %(clinic)s, h, %(now)s + h * interval '1 hour', 'scheduled',
                       '', '', false, '', false, %(now)s, %(now)s
                   FROM unnest(ARRAY[24, 48, 72]) AS h""",
                params,
            )

    return floor

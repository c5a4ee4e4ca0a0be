"""The floors of the patient list, the patient search and the patient page."""

from typing import TYPE_CHECKING

from clinic.lib.paging import PATIENTS_PER_PAGE, SESSIONS_PER_PAGE

from .common import Floor, nav, run

if TYPE_CHECKING:
    from ..pages import Subjects

LATEST_SCREENING = """
    LEFT JOIN LATERAL (
        SELECT outcome, valid_until FROM patients_screening
        WHERE patient_id = p.id ORDER BY taken_at DESC LIMIT 1
    ) s ON true"""


def patient_list(s: "Subjects", page: int) -> Floor:
    params = {"clinic": s.clinic.pk, "offset": (page - 1) * PATIENTS_PER_PAGE}
    return _patient_page(s, "p.clinic_id = %(clinic)s AND p.archived_at IS NULL", params)


def patient_search(s: "Subjects", words: list[str]) -> Floor:
    params = {"clinic": s.clinic.pk, "offset": 0}
    conditions = ["p.clinic_id = %(clinic)s", "p.archived_at IS NULL"]
    for index, word in enumerate(words):
        params[f"like{index}"] = f"%{word}%"
        params[f"word{index}"] = word
        conditions.append(
            f"(upper(p.last_name) LIKE upper(%(like{index})s)"
            f" OR upper(p.first_name) LIKE upper(%(like{index})s)"
            f" OR upper(p.mrn) = upper(%(word{index})s))"
        )
    return _patient_page(s, " AND ".join(conditions), params)


def _patient_page(s: "Subjects", where: str, params: dict) -> Floor:
    """One page of the patients matching `where`, with their count and latest screening."""

    def floor(cursor) -> None:
        run(cursor, f"SELECT count(*) FROM patients_patient p WHERE {where}", params)
        run(
            cursor,
            f"""SELECT p.id, p.last_name, p.first_name, p.mrn, p.date_of_birth, p.archived_at,
                       s.outcome, s.valid_until
                FROM patients_patient p {LATEST_SCREENING}
                WHERE {where} ORDER BY p.last_name, p.first_name, p.id
                LIMIT {PATIENTS_PER_PAGE} OFFSET %(offset)s""",
            params,
        )
        nav(cursor, s.clinic)

    return floor


def patient_detail(s: "Subjects") -> Floor:
    params = {"patient": s.patient.pk, "clinic": s.clinic.pk}

    def floor(cursor) -> None:
        run(
            cursor,
            "SELECT * FROM patients_patient WHERE id = %(patient)s AND clinic_id = %(clinic)s",
            params,
        )
        screenings = run(
            cursor,
            """SELECT s.*, u.first_name, u.last_name FROM patients_screening s
               JOIN accounts_user u ON u.id = s.therapist_id
               WHERE s.patient_id = %(patient)s ORDER BY s.taken_at DESC, s.id DESC""",
            params,
        )
        ids = {"screenings": [row[0] for row in screenings], "current": screenings[0][0]}
        run(
            cursor,
            "SELECT * FROM patients_avoidregion WHERE screening_id = ANY(%(screenings)s)",
            ids,
        )
        run(
            cursor,
            """SELECT a.*, q.text FROM patients_screeninganswer a
               JOIN patients_screeningquestion q ON q.id = a.question_id
               WHERE a.screening_id = %(current)s AND a.present""",
            ids,
        )
        run(
            cursor,
            """SELECT count(*) FROM treatment_sessions_needlingsession
               WHERE patient_id = %(patient)s""",
            params,
        )
        sessions = run(
            cursor,
            f"""SELECT n.*, u.first_name, u.last_name FROM treatment_sessions_needlingsession n
               JOIN accounts_user u ON u.id = n.therapist_id WHERE n.patient_id = %(patient)s
               ORDER BY n.started_at DESC, n.id DESC LIMIT {SESSIONS_PER_PAGE}""",
            params,
        )
        page = {"sessions": [row[0] for row in sessions]}
        run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = ANY(%(sessions)s) ORDER BY t.id""",
            page,
        )
        run(
            cursor,
            """SELECT * FROM treatment_sessions_sorenesscheck
               WHERE session_id = ANY(%(sessions)s) ORDER BY due_at""",
            page,
        )
        run(
            cursor,
            """SELECT pl.*, i.*, x.name FROM treatment_sessions_strengtheningplan pl
               JOIN treatment_sessions_planitem i ON i.plan_id = pl.id
               JOIN treatment_sessions_exercise x ON x.id = i.exercise_id
               WHERE pl.patient_id = %(patient)s AND pl.status = 'active' ORDER BY i.id""",
            params,
        )
        run(
            cursor,
            """SELECT e.*, n.started_at, t.side, m.name FROM treatment_sessions_adverseevent e
               JOIN treatment_sessions_needlingsession n ON n.id = e.session_id
               LEFT JOIN treatment_sessions_triggerpointsite t ON t.id = e.site_id
               LEFT JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE n.patient_id = %(patient)s ORDER BY e.onset_at DESC, e.id DESC""",
            params,
        )
        run(
            cursor,
            """SELECT m.region, t.side, count(*) FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_needlingsession n ON n.id = t.session_id
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE n.patient_id = %(patient)s GROUP BY m.region, t.side""",
            params,
        )
        run(
            cursor,
            """SELECT started_at, pain_before, pain_after FROM treatment_sessions_needlingsession
               WHERE patient_id = %(patient)s AND status = 'signed' ORDER BY started_at""",
            params,
        )
        run(
            cursor,
            """SELECT c.done_at, c.soreness FROM treatment_sessions_sorenesscheck c
               JOIN treatment_sessions_needlingsession n ON n.id = c.session_id
               WHERE n.patient_id = %(patient)s AND c.status = 'done' ORDER BY c.done_at""",
            params,
        )
        nav(cursor, s.clinic)

    return floor

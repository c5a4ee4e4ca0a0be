"""The floors of the session page and of the new-session POST."""

from typing import TYPE_CHECKING

from django.utils import timezone

from ..formdata import SESSION_VALUES, SITE_VALUES
from .common import Floor, nav, run

if TYPE_CHECKING:
    from ..pages import Subjects


# The POST's values the new-session floor writes.
SESSION_COLUMNS = ("consent_method", "pain_before", "pain_after", "needle_type")
SITE_COLUMNS = ("side", "technique", "insertions")


def session_detail(s: "Subjects") -> Floor:
    params = {"session": s.session.pk, "clinic": s.clinic.pk}

    def floor(cursor) -> None:
        run(
            cursor,
            """SELECT n.*, p.*, u.first_name, u.last_name, sc.*
               FROM treatment_sessions_needlingsession n
               JOIN patients_patient p ON p.id = n.patient_id
               JOIN accounts_user u ON u.id = n.therapist_id
               JOIN patients_screening sc ON sc.id = n.screening_id
               WHERE n.id = %(session)s AND n.clinic_id = %(clinic)s""",
            params,
        )
        run(
            cursor,
            """SELECT t.*, m.name, m.region FROM treatment_sessions_triggerpointsite t
               JOIN treatment_sessions_muscle m ON m.id = t.muscle_id
               WHERE t.session_id = %(session)s ORDER BY t.id""",
            params,
        )
        run(
            cursor,
            """SELECT a.*, u.first_name, u.last_name FROM treatment_sessions_sessionaddendum a
               JOIN accounts_user u ON u.id = a.author_id WHERE a.session_id = %(session)s
               ORDER BY a.created_at, a.id""",
            params,
        )
        run(
            cursor,
            """SELECT * FROM treatment_sessions_sorenesscheck WHERE session_id = %(session)s
               ORDER BY due_at""",
            params,
        )
        run(
            cursor,
            "SELECT * FROM treatment_sessions_adverseevent WHERE session_id = %(session)s",
            params,
        )
        run(
            cursor,
            "SELECT DISTINCT region FROM treatment_sessions_muscle WHERE active AND lung_risk",
            {},
        )
        nav(cursor, s.clinic)

    return floor


def new_session(s: "Subjects") -> Floor:
    """The gate's reads and the writes of a signed one-site session, in one transaction, with
    the values the page's POST sends (bench.formdata) and the clinic's follow-up hours."""

    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "patient": s.new_session_patient.pk,
            "clinic": s.clinic.pk,
            "therapist": s.therapist.pk,
            "muscle": s.muscle.pk,
            "now": now,
            "hours": list(s.clinic.soreness_check_hours),
            **{name: SESSION_VALUES[name] for name in SESSION_COLUMNS},
            **{f"site_{name}": SITE_VALUES[name] for name in SITE_COLUMNS},
        }
        with cursor.connection.transaction():
            _gate_reads(cursor, params)
            _writes(cursor, params)

    return floor


def _gate_reads(cursor, params: dict) -> None:
    """What the safety gate reads; adds the screening and the episode to `params`."""
    run(
        cursor,
        "SELECT * FROM patients_patient WHERE id = %(patient)s AND clinic_id = %(clinic)s",
        params,
    )
    params["screening"] = run(
        cursor,
        """SELECT id FROM patients_screening WHERE patient_id = %(patient)s
           AND taken_at <= %(now)s AND valid_until > %(now)s
           ORDER BY taken_at DESC, id DESC LIMIT 1""",
        params,
    )[0][0]
    run(
        cursor,
        """SELECT q.code, q.text FROM patients_screeninganswer a
           JOIN patients_screeningquestion q ON q.id = a.question_id
           WHERE a.screening_id = %(screening)s AND a.present""",
        params,
    )
    run(cursor, "SELECT * FROM patients_avoidregion WHERE screening_id = %(screening)s", params)
    run(cursor, "SELECT * FROM treatment_sessions_muscle WHERE id = %(muscle)s", params)
    params["episode"] = run(
        cursor,
        """SELECT * FROM patients_episodeofcare WHERE patient_id = %(patient)s
           AND closed_on IS NULL AND opened_on <= %(now)s::date
           ORDER BY opened_on DESC, id DESC""",
        params,
    )[0][0]


def _writes(cursor, params: dict) -> None:
    """The session, its site and its scheduled follow-ups."""
    params["session"] = run(
        cursor,
        """INSERT INTO treatment_sessions_needlingsession (patient_id, clinic_id,
               therapist_id, episode_id, screening_id, started_at, consent_method,
               consent_obtained, health_unchanged, pain_before, pain_after, needle_type,
               clean_technique, sharps_disposed, notes, gate_outcome, gate_summary,
               status, signed_at, created_at, updated_at)
           VALUES (%(patient)s, %(clinic)s, %(therapist)s, %(episode)s, %(screening)s, %(now)s,
               %(consent_method)s, true, true, %(pain_before)s::int, %(pain_after)s::int,
               %(needle_type)s, true, true, '', 'cleared', 'Screening checked.', 'signed',
               %(now)s, %(now)s, %(now)s) RETURNING id""",
        params,
    )[0][0]
    cursor.execute(
        """INSERT INTO treatment_sessions_triggerpointsite (session_id, muscle_id, side,
               technique, insertions, twitch_response, lung_risk, lung_risk_acknowledged, notes)
           VALUES (%(session)s, %(muscle)s, %(site_side)s, %(site_technique)s,
               %(site_insertions)s::int, false, false, false, '')""",
        params,
    )
    cursor.execute(
        """INSERT INTO treatment_sessions_sorenesscheck (session_id, clinic_id, hours_after,
               due_at, status, timeliness, method, resolved, notes, asks_warning_signs,
               created_at, updated_at)
           SELECT %(session)s, %(clinic)s, h, %(now)s + h * interval '1 hour', 'scheduled',
               '', '', false, '', false, %(now)s, %(now)s
           FROM unnest(%(hours)s::int[]) AS h""",
        params,
    )

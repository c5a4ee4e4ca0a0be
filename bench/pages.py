"""The pages the benchmark times, who opens them, and their floors.

A floor is hand-written SQL (psycopg, no ORM, no templates) that fetches the rows the page
shows: the cost of the data alone. Report pages have no hand-written floor (they are added to
the benchmark as they appear in the URLconf); their floor replays the page's own SQL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F
from django.db.models.functions import Abs
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from clinic.reports.selectors.dashboard import MAJOR_EVENTS_SHOWN_FOR
from patients.models import Patient, ScreeningOutcome
from sessions.models import Muscle, NeedlingSession
from sessions.querysets.followup import end_of_local_day
from sessions.rules.followup import CHECK_WINDOW, WORKLIST_LOOKBACK
from sessions.services.gate import screening_in_force
from sessions.views.followup import WORKLIST_PAGE_SIZE

from .dataset import bench_clinics
from .formdata import session_form_data

# The patient page is timed for a patient with about this many sessions (two pages of them),
# so both dataset sizes time the same amount of history.
DETAIL_SESSIONS = 20
PAGE_SIZE = 25
# A name nobody has ("is this patient registered yet?"): the page's fixed cost, no rows.
NO_MATCH = "qxzqxz"
REPORTS_NAMESPACE = "reports"

Floor = Callable[[object], None]


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: User
    paginated: bool = False
    data: dict | None = None  # a POST when given
    floor: Floor | None = None  # None: replay the page's own SQL


@dataclass(frozen=True)
class Subjects:
    """The clinic and records the benchmark opens: the biggest clinic, typical records."""

    clinic: Clinic
    therapist: User
    admin: User
    patient: Patient
    session: NeedlingSession
    new_session_patient: Patient
    muscle: Muscle
    middle_page: int

    @property
    def search_words(self) -> list[str]:
        """A name search as therapists type it, "smi jo" for Jo Smith: the detail patient's."""
        return [self.patient.last_name[:3].lower(), self.patient.first_name[:2].lower()]

    @classmethod
    def find(cls) -> "Subjects":
        clinics = bench_clinics()
        if not clinics:
            raise LookupError("No benchmark dataset here: run `manage.py bench_dataset` first.")
        clinic = clinics[0]
        staff = User.objects.for_clinic(clinic).filter(is_active=True).order_by("username")
        active = Patient.objects.for_clinic(clinic).active()
        patient = (
            active.annotate(sessions=Count("needling_sessions"))
            .filter(sessions__gte=DETAIL_SESSIONS // 2)
            .order_by(Abs(F("sessions") - DETAIL_SESSIONS), "pk")
            .first()
        )
        now = timezone.now()
        in_care = active.filter(
            screenings__taken_at__lte=now - timedelta(minutes=1),
            screenings__valid_until__gt=now + timedelta(hours=1),
            screenings__outcome=ScreeningOutcome.CLEARED,
        ).order_by("pk")
        new_session_patient = next(
            p for p in in_care if _clear_of_precautions(screening_in_force(patient=p, at=now))
        )
        return cls(
            clinic=clinic,
            therapist=staff.filter(role=Role.THERAPIST).first(),
            admin=staff.filter(role=Role.CLINIC_ADMIN).first(),
            patient=patient,
            session=patient.needling_sessions.signed().newest_first().first(),
            new_session_patient=new_session_patient,
            muscle=Muscle.objects.get(name="Gluteus medius"),
            middle_page=max(1, active.count() // PAGE_SIZE // 2),
        )


def _clear_of_precautions(screening) -> bool:
    return screening.outcome == ScreeningOutcome.CLEARED and not screening.avoid_regions.all()


def main_pages(s: Subjects) -> list[Page]:
    patients = reverse("patients:list")
    return [
        Page("patient list", patients, s.therapist, True, floor=_patient_list(s, 1)),
        Page(
            "patient list, middle page",
            f"{patients}?page={s.middle_page}",
            s.therapist,
            True,
            floor=_patient_list(s, s.middle_page),
        ),
        Page(
            "patient search (name)",
            f"{patients}?q={'+'.join(s.search_words)}",
            s.therapist,
            True,
            floor=_patient_search(s, s.search_words),
        ),
        Page(
            "patient search (no match)",
            f"{patients}?q={NO_MATCH}",
            s.therapist,
            True,
            floor=_patient_search(s, [NO_MATCH]),
        ),
        Page(
            "patient search (MRN)",
            f"{patients}?q={s.patient.mrn}",
            s.therapist,
            True,
            floor=_patient_search(s, [s.patient.mrn]),
        ),
        Page(
            "patient detail",
            s.patient.get_absolute_url(),
            s.therapist,
            True,
            floor=_patient_detail(s),
        ),
        Page("session detail", s.session.get_absolute_url(), s.therapist, floor=_session_detail(s)),
        Page(
            "new session (POST)",
            reverse("treatment_sessions:create", args=[s.new_session_patient.pk]),
            s.therapist,
            data=session_form_data([{"muscle": s.muscle.pk}]),
            floor=_new_session(s),
        ),
        Page(
            "therapist worklist",
            reverse("treatment_sessions:worklist"),
            s.therapist,
            floor=_worklist(s),
        ),
    ]


def report_pages(s: Subjects) -> list[Page]:
    """Every page of the reports namespace that takes no argument: the dashboard and reports."""
    pages = []
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace == REPORTS_NAMESPACE:
            for pattern in resolver.url_patterns:
                if pattern.name and not pattern.pattern.converters:
                    url = reverse(f"{REPORTS_NAMESPACE}:{pattern.name}")
                    floor = _dashboard(s) if pattern.name == "dashboard" else None
                    pages.append(
                        Page(f"{REPORTS_NAMESPACE}: {pattern.name}", url, s.admin, floor=floor)
                    )
    return pages


# Floors: hand-written SQL for the rows each page shows.

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


def _patient_list(s: Subjects, page: int) -> Floor:
    params = {"clinic": s.clinic.pk, "offset": (page - 1) * PAGE_SIZE}

    def floor(cursor) -> None:
        where = "p.clinic_id = %(clinic)s AND p.archived_at IS NULL"
        _run(cursor, f"SELECT count(*) FROM patients_patient p WHERE {where}", params)
        _run(
            cursor,
            f"""SELECT p.id, p.last_name, p.first_name, p.mrn, p.date_of_birth, p.archived_at,
                       s.outcome, s.valid_until
                FROM patients_patient p {LATEST_SCREENING}
                WHERE {where} ORDER BY p.last_name, p.first_name, p.id
                LIMIT {PAGE_SIZE} OFFSET %(offset)s""",
            params,
        )
        _nav(cursor, s.clinic)

    return floor


def _patient_search(s: Subjects, words: list[str]) -> Floor:
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
                WHERE {where} ORDER BY p.last_name, p.first_name, p.id LIMIT {PAGE_SIZE}""",
            params,
        )
        _nav(cursor, s.clinic)

    return floor


def _patient_detail(s: Subjects) -> Floor:
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
            """SELECT n.*, u.first_name, u.last_name FROM treatment_sessions_needlingsession n
               JOIN accounts_user u ON u.id = n.therapist_id WHERE n.patient_id = %(patient)s
               ORDER BY n.started_at DESC, n.id DESC LIMIT 10""",
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


def _session_detail(s: Subjects) -> Floor:
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


def _worklist(s: Subjects) -> Floor:
    def floor(cursor) -> None:
        now = timezone.now()
        params = {
            "clinic": s.clinic.pk,
            "end_of_day": end_of_local_day(now),
            "since": now - WORKLIST_LOOKBACK,
            "page": WORKLIST_PAGE_SIZE,
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


def _dashboard(s: Subjects) -> Floor:
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


def _new_session(s: Subjects) -> Floor:
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
            params["session"] = _run(
                cursor,
                """INSERT INTO treatment_sessions_needlingsession (patient_id, clinic_id,
                       therapist_id, screening_id, started_at, consent_method, consent_obtained,
                       health_unchanged, pain_before, pain_after, needle_type, clean_technique,
                       sharps_disposed, notes, gate_outcome, gate_summary, status, signed_at,
                       created_at, updated_at)
                   VALUES (%(patient)s, %(clinic)s, %(therapist)s, %(screening)s, %(now)s,
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
                       due_at, status, timeliness, method, resolved, notes, created_at, updated_at)
                   SELECT %(session)s, %(clinic)s, h, %(now)s + h * interval '1 hour', 'scheduled',
                       '', '', false, '', %(now)s, %(now)s
                   FROM unnest(ARRAY[24, 48, 72]) AS h""",
                params,
            )

    return floor

"""The pages the benchmark times, who opens them, and their floors.

A floor is hand-written SQL (floors/) that fetches the rows the page shows: the cost of the
data alone. Report pages have no hand-written floor (they are added to
the benchmark as they appear in the URLconf); their floor replays the page's own SQL.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F
from django.db.models.functions import Abs
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from clinic.accounts.models import Clinic, Role, User
from clinic.lib.paging import PATIENTS_PER_PAGE
from patients.models import EpisodeOfCare, Patient, ScreeningOutcome
from sessions.models import Muscle, NeedlingSession
from sessions.services.gate import screening_in_force

from . import floors
from .dataset import bench_clinics
from .floors import Floor
from .formdata import session_form_data

# The patient page is timed for a patient with about this many sessions (two pages of them),
# so both dataset sizes time the same amount of history.
DETAIL_SESSIONS = 20
# A name nobody has ("is this patient registered yet?"): the page's fixed cost, no rows.
NO_MATCH = "qxzqxz"
REPORTS_NAMESPACE = "reports"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: User
    paginated: bool = False
    data: dict | None = None  # a POST when given
    floor: Floor | None = None  # None: replay the page's own SQL
    status: int | None = None  # the answer expected; None: 200 for a GET, 302 for a POST


@dataclass(frozen=True)
class Subjects:
    """The clinic and records the benchmark opens: the biggest clinic, typical records."""

    clinic: Clinic
    therapist: User
    admin: User
    patient: Patient
    session: NeedlingSession
    episode: EpisodeOfCare
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
        now = timezone.now()
        in_care = active.filter(
            screenings__taken_at__lte=now - timedelta(minutes=1),
            screenings__valid_until__gt=now + timedelta(hours=1),
            screenings__outcome=ScreeningOutcome.CLEARED,
        ).order_by("pk")
        # A patient in care, so the page's safety gate takes the same path at every size.
        patient = (
            active.filter(pk__in=in_care.values("pk"))
            .annotate(sessions=Count("needling_sessions"))
            .filter(sessions__gte=DETAIL_SESSIONS // 2)
            .order_by(Abs(F("sessions") - DETAIL_SESSIONS), "pk")
            .first()
        )
        new_session_patient = next(
            p for p in in_care if _clear_of_precautions(screening_in_force(patient=p, at=now))
        )
        return cls(
            clinic=clinic,
            therapist=staff.filter(role=Role.THERAPIST).first(),
            admin=staff.filter(role=Role.CLINIC_ADMIN).first(),
            patient=patient,
            session=patient.needling_sessions.signed().newest_first().first(),
            episode=patient.episodes.newest_first().first(),
            new_session_patient=new_session_patient,
            muscle=Muscle.objects.get(name="Gluteus medius"),
            middle_page=max(1, active.count() // PATIENTS_PER_PAGE // 2),
        )


def _clear_of_precautions(screening) -> bool:
    return screening.outcome == ScreeningOutcome.CLEARED and not screening.avoid_regions.all()


# The benchmark's reference row: a signed-in request that only loads the session and the user
# (the redirect of `/` to the user's start page), the framework's own floor on this machine.
REDIRECT = "redirect of /"


def redirect_page(s: Subjects) -> Page:
    return Page(REDIRECT, reverse("home"), s.therapist, status=302)


def main_pages(s: Subjects) -> list[Page]:
    patients = reverse("patients:list")
    return [
        Page("patient list", patients, s.therapist, True, floor=floors.patient_list(s, 1)),
        Page(
            "patient list, middle page",
            f"{patients}?page={s.middle_page}",
            s.therapist,
            True,
            floor=floors.patient_list(s, s.middle_page),
        ),
        Page(
            "patient search (name)",
            f"{patients}?q={'+'.join(s.search_words)}",
            s.therapist,
            True,
            floor=floors.patient_search(s, s.search_words),
        ),
        Page(
            "patient search (no match)",
            f"{patients}?q={NO_MATCH}",
            s.therapist,
            True,
            floor=floors.patient_search(s, [NO_MATCH]),
        ),
        Page(
            "patient search (MRN)",
            f"{patients}?q={s.patient.mrn}",
            s.therapist,
            True,
            floor=floors.patient_search(s, [s.patient.mrn]),
        ),
        Page(
            "patient detail",
            s.patient.get_absolute_url(),
            s.therapist,
            True,
            floor=floors.patient_detail(s),
        ),
        Page(
            "session detail",
            s.session.get_absolute_url(),
            s.therapist,
            floor=floors.session_detail(s),
        ),
        Page("episode page", s.episode.get_absolute_url(), s.therapist),
        Page(
            "new session (POST)",
            reverse("treatment_sessions:create", args=[s.new_session_patient.pk]),
            s.therapist,
            data=session_form_data([{"muscle": s.muscle.pk}]),
            floor=floors.new_session(s),
        ),
        Page(
            "therapist worklist",
            reverse("treatment_sessions:worklist"),
            s.therapist,
            floor=floors.worklist(s),
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
                    floor = floors.dashboard(s) if pattern.name == "dashboard" else None
                    pages.append(
                        Page(f"{REPORTS_NAMESPACE}: {pattern.name}", url, s.admin, floor=floor)
                    )
    return pages

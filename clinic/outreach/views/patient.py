"""The patient's pages, opened by a link's token: no login, no object ids, no staff navigation.

Each shows the patient's first name, the clinic's name and what is asked, nothing more. Every
request counts against its client address (clinic.lib.ratelimit, shared by every server
process) before the token is looked at, and any token that does not open a live link gets
the same plain "this link has expired" page.
"""

from functools import wraps

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clinic.lib.ratelimit import rate_limit_hit
from patients.instruments import INSTRUMENTS, Instrument
from patients.models import OutcomeAssessment
from sessions.rules.followup import SEEK_EMERGENCY_CARE

from ..forms import DailyLogForm, OutcomeMeasuresForm, SelfReportForm
from ..models import LinkPurpose, PatientLink
from ..rules import (
    LINK_EXPIRED,
    LINK_EXPIRED_HELP,
    LINK_HITS_PER_ADDRESS,
    LINK_HITS_WINDOW_SECONDS,
    OUTCOMES_SAVED,
    TOO_MANY_TRIES,
)
from ..services.answers import check_self_report, outcome_self_report, plan_self_log
from ..services.links import link_for_token, link_opened

DAILY_LOG_SAVED = "Thank you: today's exercise is logged."


def _throttled(request) -> bool:
    # The client's address as sign-in lockout sees it (DJANGO_TRUSTED_PROXIES), not a proxy's.
    address = get_client_ip_address(request) or ""
    return rate_limit_hit(
        key=f"patient-link:{address}",
        limit=LINK_HITS_PER_ADDRESS,
        window=LINK_HITS_WINDOW_SECONDS,
    )


def patient_link_view(view):
    """Resolve the token to a live link (or answer "expired" / "too many tries"). The page
    has no signed-in user: it shows, and dates what the patient sends, in the patient's
    clinic's time zone."""

    @login_not_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    @wraps(view)
    def wrapped(request, token: str):
        if _throttled(request):
            return render(
                request, "outreach/patient/message.html", {"title": TOO_MANY_TRIES}, status=429
            )
        link = link_for_token(token)
        if link is None:
            context = {"title": LINK_EXPIRED, "text": LINK_EXPIRED_HELP}
            return render(request, "outreach/patient/message.html", context, status=404)
        with timezone.override(link.clinic.zone):
            response = view(request, link)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    # Read by the access-matrix test: these pages are public, guarded by their token.
    wrapped.patient_link_page = True
    return wrapped


@patient_link_view
def link_open(request, link: PatientLink):
    if link.purpose == LinkPurpose.SORENESS_CHECK:
        return _soreness_check(request, link)
    if link.purpose == LinkPurpose.OUTCOME_MEASURE:
        return _outcome_measures(request, link)
    return _plan(request, link)


def _page(link: PatientLink) -> dict:
    return {"first_name": link.patient.first_name, "clinic": link.clinic}


def _soreness_check(request, link: PatientLink):
    check = link.soreness_check
    sites = check.session.sites.select_related("muscle").order_by("pk")
    form = SelfReportForm(
        request.POST or None, sites=sites, asks_warning_signs=check.asks_warning_signs
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = check_self_report(link=link, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            warning = any((check.chest_pain, check.breathlessness, check.dry_cough))
            context = {
                **_page(link),
                "check": check,
                "seek_emergency_care": SEEK_EMERGENCY_CARE if warning else "",
            }
            return render(request, "outreach/patient/check_answered.html", context)
    if request.method == "GET":
        link_opened(link=link)
    context = {**_page(link), "form": form, "check": link.soreness_check}
    return render(request, "outreach/patient/check_form.html", context)


def _plan(request, link: PatientLink):
    items = link.plan.items.select_related("exercise").order_by("pk")
    form = DailyLogForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            plan_self_log(link=link, logs=form.logs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, DAILY_LOG_SAVED)
            return redirect(request.path)
    if request.method == "GET":
        link_opened(link=link)
    context = {**_page(link), "form": form, "plan": link.plan}
    return render(request, "outreach/patient/plan.html", context)


def _named_activities(link: PatientLink) -> list[str]:
    """The PSFS activities the patient named last in this episode, to rate again."""
    if Instrument.PSFS not in link.instruments:
        return []
    latest = (
        OutcomeAssessment.objects.filter(episode=link.episode, instrument=Instrument.PSFS)
        .order_by("-taken_on", "-pk")
        .values_list("item_labels", flat=True)
        .first()
    )
    return latest or []


def _outcome_measures(request, link: PatientLink):
    form = OutcomeMeasuresForm(
        request.POST or None,
        specs=[INSTRUMENTS[code] for code in link.instruments],
        activities=_named_activities(link),
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome_self_report(link=link, answers=form.answers())
        except ValidationError as error:
            # The patient's form has the answers, not the record's fields: every message on top.
            form.add_error(None, error.messages)
        else:
            context = {**_page(link), "title": OUTCOMES_SAVED}
            return render(request, "outreach/patient/message.html", context)
    if request.method == "GET":
        link_opened(link=link)
    context = {**_page(link), "form": form}
    return render(request, "outreach/patient/outcome_form.html", context)

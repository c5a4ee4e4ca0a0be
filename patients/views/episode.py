"""Episode of care pages: intake, the episode page with its outcome charts, outcome measures,
discharge and the printable discharge summary."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from clinic.accounts.permissions import Permission, role_required
from clinic.audit import access
from clinic.lib.form_tokens import FORM_TOKEN
from clinic.outreach.forms import OutcomeLinkForm
from clinic.outreach.rules import OUTCOME_LINK_LIFETIME
from clinic.outreach.selectors import newest_outcome_link
from sessions.selectors import episode_care

from ..figures.outcome_chart import outcome_chart
from ..forms.episode import DischargeForm, EpisodeForm, OutcomeForm
from ..instruments import INSTRUMENTS, Timepoint
from ..models import EpisodeOfCare, Patient
from ..selectors import PRE_TREATMENT, episode_outcomes, reassessment_due
from ..services import episode as episode_services


def _clinic_episode(request, pk: int) -> EpisodeOfCare:
    return get_object_or_404(
        EpisodeOfCare.objects.for_clinic(request.user.clinic).select_related(
            "patient", "therapist", "clinic"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def episode_create(request, pk: int):
    patient = get_object_or_404(Patient.objects.for_clinic(request.user.clinic), pk=pk)
    form = EpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode = episode_services.episode_open(
                patient=patient, therapist=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Episode of care opened: record the intake measures.")
            return redirect(episode)
    access.chart_read(request, patient, page=access.EPISODE_FORM)
    return render(request, "patients/episode_form.html", {"form": form, "patient": patient})


def _episode_context(episode: EpisodeOfCare) -> dict:
    """What the episode page and its discharge summary show (seven queries)."""
    care = episode_care(episode=episode)
    outcomes = episode_outcomes(episode=episode)
    scored = [p.taken_on for o in outcomes for p in o.points if p.timepoint != PRE_TREATMENT]
    clinic = episode.clinic
    return {
        "episode": episode,
        "patient": episode.patient,
        "care": care,
        "outcomes": outcomes,
        "charts": [outcome_chart(outcome) for outcome in outcomes],
        "reassessment": reassessment_due(
            episode=episode,
            last_assessed=max(scored, default=None),
            session_days=[timezone.localtime(s.started_at).date() for s in care.sessions],
            today=timezone.localdate(),
            every_visits=clinic.reassess_every_visits,
            every_days=clinic.reassess_every_days,
        ),
    }


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def episode_detail(request, pk: int):
    episode = _clinic_episode(request, pk)
    access.chart_read(request, episode.patient, page=access.EPISODE)
    context = _episode_context(episode)
    context["instruments"] = INSTRUMENTS.values()
    context["discharge_form"] = DischargeForm() if episode.is_open else None
    context["link_form"] = _outcome_link_form(episode, context["outcomes"])
    context["link_lifetime_days"] = OUTCOME_LINK_LIFETIME.days
    context["link_status"] = newest_outcome_link(episode=episode, now=timezone.now())
    return render(request, "patients/episode_detail.html", context)


def _outcome_link_form(episode: EpisodeOfCare, outcomes) -> OutcomeLinkForm:
    """The patient link's form, set for what is due: the instruments scored so far, at
    re-assessment (at discharge once discharged); at intake before any score."""
    scored = [o.spec.code for o in outcomes if any(p.timepoint != PRE_TREATMENT for p in o.points)]
    if not episode.is_open:
        timepoint = Timepoint.DISCHARGE
    else:
        timepoint = Timepoint.REASSESSMENT if scored else Timepoint.INTAKE
    return OutcomeLinkForm(initial={"timepoint": timepoint, "instruments": scored})


@require_GET
@role_required(Permission.VIEW_PATIENTS)
def episode_summary(request, pk: int):
    episode = _clinic_episode(request, pk)
    access.chart_read(request, episode.patient, page=access.EPISODE_SUMMARY)
    return render(request, "patients/episode_summary.html", _episode_context(episode))


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def outcome_create(request, pk: int, instrument: str):
    episode = _clinic_episode(request, pk)
    if instrument not in INSTRUMENTS:
        raise Http404("Unknown instrument.")
    spec = INSTRUMENTS[instrument]
    form = OutcomeForm(request.POST or None, spec=spec)
    if request.method == "POST" and form.is_valid():
        try:
            episode_services.outcome_record(
                episode=episode,
                recorded_by=request.user,
                instrument=instrument,
                timepoint=form.cleaned_data["timepoint"],
                taken_on=form.cleaned_data["taken_on"],
                responses=form.responses(),
                item_labels=form.item_labels(),
                form_token=form.cleaned_data[FORM_TOKEN],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{spec.name} recorded.")
            return redirect(episode)
    access.chart_read(request, episode.patient, page=access.OUTCOME_FORM)
    return render(
        request,
        "patients/outcome_form.html",
        {"form": form, "episode": episode, "patient": episode.patient, "spec": spec},
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.RECORD_CLINICAL)
def episode_discharge(request, pk: int):
    episode = _clinic_episode(request, pk)
    form = DischargeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            episode_services.episode_discharge(
                episode=episode, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Episode of care discharged.")
            return redirect(episode)
    access.chart_read(request, episode.patient, page=access.DISCHARGE_FORM)
    return render(
        request,
        "patients/episode_discharge.html",
        {"form": form, "episode": episode, "patient": episode.patient},
    )

"""The benchmark's episodes of care and outcome scores: each course of a patient's sessions is
an episode, discharged unless it is the one still in care, with an intake score on the
region's instrument and, for most discharged episodes, a discharge score."""

import random
from collections import Counter
from datetime import date, timedelta

from patients.instruments import INSTRUMENTS, Instrument, Timepoint
from patients.models import BodyRegion, DischargeReason, EpisodeOfCare, OutcomeAssessment
from patients.services.scoring import instrument_score

REGION_INSTRUMENT = {
    BodyRegion.HEAD_NECK: Instrument.NDI,
    BodyRegion.SHOULDER: Instrument.QUICKDASH,
    BodyRegion.UPPER_ARM: Instrument.QUICKDASH,
    BodyRegion.FOREARM_HAND: Instrument.QUICKDASH,
    BodyRegion.LUMBAR: Instrument.ODI,
    BodyRegion.PELVIS_HIP: Instrument.ODI,
    BodyRegion.THIGH: Instrument.LEFS,
    BodyRegion.LEG: Instrument.LEFS,
    BodyRegion.FOOT: Instrument.LEFS,
}
# A discharged episode has its discharge score four times in five.
DISCHARGE_SCORED = 0.8


def course_episode(history, patient, opened_on: date, closed_on: date | None) -> EpisodeOfCare:
    """The episode of one course, added to the history's rows with its scores."""
    region = Counter(muscle.region for muscle, _ in history.plan).most_common(1)[0][0]
    # Its own random stream, so the rest of the dataset is the same with or without episodes.
    rng = random.Random(f"{patient.mrn}-{opened_on}")
    episode = EpisodeOfCare(
        patient=patient,
        clinic_id=patient.clinic_id,
        therapist=history.therapist,
        body_region=region,
        complaint=f"{BodyRegion(region).label} pain",
        opened_on=opened_on,
        closed_on=closed_on,
        discharge_reason=rng.choice(DischargeReason.values) if closed_on else "",
    )
    history.rows.episodes.append(episode)
    code = REGION_INSTRUMENT.get(region, Instrument.PSFS)
    _score(history, rng, episode, code, Timepoint.INTAKE, opened_on, lean=0)
    if closed_on and rng.random() < DISCHARGE_SCORED:
        _score(history, rng, episode, code, Timepoint.DISCHARGE, closed_on, lean=1)
    return episode


def _score(history, rng, episode, code, timepoint, day, *, lean: int) -> None:
    """Random responses, leaning towards better at discharge."""
    spec = INSTRUMENTS[code]
    better = spec.item_max if spec.higher_is_better else spec.item_min
    responses = []
    for _ in range(spec.item_count):
        value = rng.randrange(spec.item_min, spec.item_max + 1)
        responses.append((value + better) // 2 if lean else value)
    history.rows.assessments.append(
        OutcomeAssessment(
            episode=episode,
            instrument=code,
            timepoint=timepoint,
            taken_on=day,
            responses=responses,
            item_labels=["Activity"] * spec.item_count if spec.patient_named_items else [],
            score=instrument_score(instrument=code, responses=responses),
            recorded_by=history.therapist,
        )
    )


def discharge_day(last_session: date) -> date:
    return last_session + timedelta(days=1)

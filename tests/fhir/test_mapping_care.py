"""Consents, credentials, episodes of care, outcome scores and checklist versions mapped from a
built record: values, codes and references, every resource valid FHIR R4B."""

import base64
import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.fhir.mapping import Scope, resources
from clinic.fhir.mapping.codes import (
    BODY_REGION_SYSTEM,
    CHECKLIST_URL,
    CHIEF_COMPLAINT,
    CONSENT_SCOPE_SYSTEM,
    CONSENT_SIGNATURE,
    CONSENT_TEXT_SHA256_SYSTEM,
    CONSENT_TREATMENT,
    CREDENTIAL_ID_SYSTEM,
    LOINC_SYSTEM,
    NPRS,
    OUTCOME_INSTRUMENT_SYSTEM,
    PATIENT_CONSENT,
    WITNESS_SIGNATURE,
)
from patients.consent import services as consent_services
from patients.consent.document import DEFAULT_BODY, DEFAULT_TITLE
from patients.consent.models import GuardianReason, SignedConsent, Signer
from patients.instruments import Instrument, Timepoint
from patients.models import (
    BodyRegion,
    ChecklistVersion,
    CollectionMethod,
    DischargeReason,
    QuestionCategory,
    ScreeningAnswer,
    ScreeningQuestion,
)
from patients.services.episode import episode_discharge
from tests.factories import (
    CredentialFactory,
    EpisodeOfCareFactory,
    OutcomeAssessmentFactory,
    PatientFactory,
    ScreeningFactory,
    SignedConsentFactory,
)

from .validation import by_id, by_type, unresolved, validate

pytestmark = pytest.mark.django_db


def mapped_for(patient) -> list[dict]:
    result = list(resources(Scope(clinic=patient.clinic, patient=patient)))
    for resource in result:
        validate(resource)
    assert unresolved(result) == set()
    return result


def codes(concept: dict, system: str) -> list[str]:
    return [c["code"] for c in concept["coding"] if c["system"] == system]


def test_signed_consent_is_a_treatment_consent_carrying_the_signed_text(record):
    signed = SignedConsent.objects.get(patient=record.patient)

    mapped = mapped_for(record.patient)

    consent = by_id(mapped, "Consent", f"consent-{signed.pk}")
    assert consent["status"] == "active"
    assert codes(consent["scope"], CONSENT_SCOPE_SYSTEM) == [CONSENT_TREATMENT[0]]
    assert codes(consent["category"][0], LOINC_SYSTEM) == [PATIENT_CONSENT[0]]
    assert consent["patient"] == {"reference": f"Patient/{record.patient.pk}"}
    assert consent["performer"] == [{"reference": f"Patient/{record.patient.pk}"}]
    assert consent["organization"] == [{"reference": f"Organization/{record.patient.clinic_id}"}]
    assert consent["policyRule"]["coding"][0]["code"] == "OPTIN"
    document = base64.b64decode(consent["sourceAttachment"]["data"])
    assert document.decode() == f"{signed.title}\n\n{signed.text}"
    assert hashlib.sha256(document).hexdigest() == signed.text_sha256
    assert consent["identifier"] == [
        {"system": CONSENT_TEXT_SHA256_SYSTEM, "value": signed.text_sha256}
    ]
    assert base64.b64decode(consent["sourceAttachment"]["hash"]) == hashlib.sha1(document).digest()
    assert f"form version {signed.form.version}" in consent["sourceAttachment"]["title"]
    assert "end" not in consent["provision"]["period"]
    provenance = by_id(mapped, "Provenance", f"consent-signature-{signed.pk}")
    assert provenance["target"] == [{"reference": f"Consent/consent-{signed.pk}"}]
    who = {s["type"][0]["code"]: s["who"] for s in provenance["signature"]}
    assert who == {
        CONSENT_SIGNATURE[0]: {"reference": f"Patient/{record.patient.pk}"},
        WITNESS_SIGNATURE[0]: {"reference": f"Practitioner/{signed.witness_id}"},
    }


def test_withdrawn_consent_is_inactive_with_its_withdrawal_time_and_witness(record, therapist):
    signed = SignedConsent.objects.get(patient=record.patient)
    withdrawn_at = timezone.now().replace(microsecond=0)
    consent_services.consent_withdraw(consent=signed, witness=therapist, at=withdrawn_at)

    mapped = mapped_for(record.patient)

    consent = by_id(mapped, "Consent", f"consent-{signed.pk}")
    assert consent["status"] == "inactive"
    assert consent["provision"]["period"]["end"] == withdrawn_at.isoformat()
    withdrawal = by_id(mapped, "Provenance", f"consent-withdrawal-{signed.pk}")
    assert withdrawal["activity"]["coding"][0]["code"] == "NULLIFY"
    assert withdrawal["recorded"] == withdrawn_at.isoformat()
    assert {"reference": f"Practitioner/{therapist.pk}"} in [a["who"] for a in withdrawal["agent"]]


def test_consent_superseded_by_a_form_requiring_reconsent_is_inactive(record, clinic_admin):
    signed = SignedConsent.objects.get(patient=record.patient)
    consent_services.consent_form_publish(
        clinic=record.patient.clinic,
        author=clinic_admin,
        title=DEFAULT_TITLE,
        body=DEFAULT_BODY + "\n\nNew paragraph.",
        requires_reconsent=True,
    )

    consent = by_id(mapped_for(record.patient), "Consent", f"consent-{signed.pk}")

    assert consent["status"] == "inactive"


def test_a_guardians_consent_names_the_guardian_not_the_patient(therapist):
    patient = PatientFactory(clinic=therapist.clinic, consent=False)
    signed = SignedConsentFactory(
        patient=patient,
        signer=Signer.GUARDIAN,
        signer_name="Ann Parent",
        guardian_relationship="Mother",
        guardian_reason=GuardianReason.MINOR,
    )

    mapped = mapped_for(patient)

    consent = by_id(mapped, "Consent", f"consent-{signed.pk}")
    (performer,) = consent["performer"]
    assert "reference" not in performer
    assert performer["display"].startswith("Ann Parent (Mother;")
    assert "verifiedWith" not in consent["verification"][0]


def test_therapists_credentials_are_practitioner_qualifications(record, therapist):
    expiring = CredentialFactory(
        holder=therapist,
        course="Advanced spinal dry needling",
        hours=27,
        jurisdiction="Maryland",
        completed_on=timezone.localdate() - timedelta(days=30),
        valid_until=timezone.localdate() + timedelta(days=700),
    )

    practitioner = by_id(mapped_for(record.patient), "Practitioner", str(therapist.pk))

    qualifications = {q["identifier"][0]["value"]: q for q in practitioner["qualification"]}
    assert set(qualifications) == {str(c.pk) for c in therapist.credentials.all()}
    mapped = qualifications[str(expiring.pk)]
    assert mapped["identifier"][0]["system"] == CREDENTIAL_ID_SYSTEM
    assert mapped["code"]["text"] == "Advanced spinal dry needling (27 training hours)"
    assert mapped["period"] == {
        "start": expiring.completed_on.isoformat(),
        "end": expiring.valid_until.isoformat(),
    }
    assert mapped["issuer"]["display"] == "Meets the rules of Maryland"


def test_episode_of_care_names_its_complaint_and_sessions_and_plans_lead_to_it(record):
    episode = record.session.episode

    mapped = mapped_for(record.patient)

    resource = by_id(mapped, "EpisodeOfCare", f"episode-{episode.pk}")
    assert resource["status"] == "active"
    assert codes(resource["type"][0], BODY_REGION_SYSTEM) == [episode.body_region]
    assert resource["period"] == {"start": episode.opened_on.isoformat()}
    assert resource["careManager"] == {"reference": f"Practitioner/{episode.therapist_id}"}
    assert resource["managingOrganization"] == {
        "reference": f"Organization/{record.patient.clinic_id}"
    }
    (diagnosis,) = resource["diagnosis"]
    assert diagnosis["role"]["coding"][0]["code"] == CHIEF_COMPLAINT[0]
    complaint = by_id(mapped, "Condition", f"complaint-{episode.pk}")
    assert diagnosis["condition"] == {"reference": f"Condition/{complaint['id']}"}
    assert complaint["code"]["text"] == episode.complaint
    assert codes(complaint["bodySite"][0], BODY_REGION_SYSTEM) == [episode.body_region]
    assert complaint["clinicalStatus"]["coding"][0]["code"] == "active"
    session = by_id(mapped, "Procedure", f"session-{record.session.pk}")
    assert session["reasonReference"] == [diagnosis["condition"]]
    plan = by_id(mapped, "CarePlan", f"plan-{record.plan.pk}")
    assert plan["addresses"] == [diagnosis["condition"]]


def test_a_discharged_episode_is_finished_with_its_discharge_date(record):
    opened = timezone.localdate() - timedelta(days=90)
    episode = EpisodeOfCareFactory(
        patient=record.patient,
        body_region=BodyRegion.SHOULDER,
        opened_on=opened,
        closed_on=opened + timedelta(days=60),
        discharge_reason=DischargeReason.GOALS_MET,
    )

    mapped = mapped_for(record.patient)

    resource = by_id(mapped, "EpisodeOfCare", f"episode-{episode.pk}")
    assert resource["status"] == "finished"
    assert resource["period"]["end"] == episode.closed_on.isoformat()
    complaint = by_id(mapped, "Condition", f"complaint-{episode.pk}")
    assert complaint["clinicalStatus"]["coding"][0]["code"] == "resolved"


def test_outcome_scores_are_observations_nprs_with_loinc_others_with_a_local_code(record):
    episode = record.session.episode
    nprs = OutcomeAssessmentFactory(episode=episode, responses=[7])
    ndi = OutcomeAssessmentFactory(
        episode=episode,
        instrument=Instrument.NDI,
        timepoint=Timepoint.INTAKE,
        responses=[2, 2, 1, 1, None, 2, 2, 1, 1, 2],
    )

    mapped = mapped_for(record.patient)

    pain = by_id(mapped, "Observation", f"outcome-{nprs.pk}")
    assert codes(pain["code"], LOINC_SYSTEM) == [NPRS[0]]
    assert pain["valueInteger"] == 7
    assert pain["effectiveDateTime"] == nprs.taken_on.isoformat()
    assert f"episode-{episode.pk}" in pain["note"][0]["text"]
    disability = by_id(mapped, "Observation", f"outcome-{ndi.pk}")
    assert codes(disability["code"], OUTCOME_INSTRUMENT_SYSTEM) == [Instrument.NDI.value]
    assert disability["valueQuantity"]["value"] == float(ndi.score)
    assert disability["valueQuantity"]["unit"] == "%"
    assert [c["valueInteger"] for c in disability["component"]] == [2, 2, 1, 1, 2, 2, 1, 1, 2]
    assert disability["category"][1]["coding"][0]["code"] == Timepoint.INTAKE


def test_an_outcome_score_the_patient_answered_by_link_is_performed_by_the_patient(record):
    episode = record.session.episode
    answered = OutcomeAssessmentFactory(
        episode=episode, method=CollectionMethod.SELF_REPORT, recorded_by=None, responses=[4]
    )

    mapped = mapped_for(record.patient)

    score = by_id(mapped, "Observation", f"outcome-{answered.pk}")
    assert score["performer"] == [{"reference": f"Patient/{by_type(mapped, 'Patient')[0]['id']}"}]


def test_each_checklist_version_is_a_questionnaire_and_responses_cite_their_version(record):
    old = record.screening.checklist_version
    asked = ScreeningQuestion.objects.filter(version=old).get(code="fever-chills")
    new = ChecklistVersion.objects.create(number=old.number + 1, introduced_on=timezone.localdate())
    reworded = ScreeningQuestion.objects.create(
        version=new,
        code=asked.code,
        text="Fever, chills or night sweats",
        category=QuestionCategory.RED_FLAG,
    )
    rescreen = ScreeningFactory(patient=record.patient, checklist_version=new)
    ScreeningAnswer.objects.create(
        screening=rescreen, question=reworded, category=reworded.category, present=False
    )

    mapped = mapped_for(record.patient)

    questionnaires = {q["version"]: q for q in by_type(mapped, "Questionnaire")}
    assert set(questionnaires) == {str(old.number), str(new.number)}
    assert {q["url"] for q in questionnaires.values()} == {CHECKLIST_URL}
    assert questionnaires[str(old.number)]["status"] == "retired"
    assert questionnaires[str(new.number)]["status"] == "active"

    def text_of(resource: dict, link_id: str) -> str:
        return next(
            item["text"]
            for group in resource["item"]
            for item in group.get("item", [])
            if item["linkId"] == link_id
        )

    assert text_of(questionnaires[str(old.number)], asked.code) == asked.text
    assert text_of(questionnaires[str(new.number)], asked.code) == reworded.text
    responses = {r["id"]: r for r in by_type(mapped, "QuestionnaireResponse")}
    first = responses[f"screening-{record.screening.pk}"]
    second = responses[f"screening-{rescreen.pk}"]
    assert first["questionnaire"] == f"{CHECKLIST_URL}|{old.number}"
    assert second["questionnaire"] == f"{CHECKLIST_URL}|{new.number}"
    assert text_of(second, asked.code) == reworded.text


def test_a_consent_whose_episode_closed_is_inactive_and_names_its_episode(record, therapist):
    episode = record.session.episode
    # As if signed for the episode the session belongs to.
    SignedConsent.objects.filter(patient=record.patient).update(episode=episode)
    signed = SignedConsent.objects.get(patient=record.patient)
    episode_discharge(
        episode=episode,
        actor=therapist,
        closed_on=timezone.localdate(),
        reason=DischargeReason.GOALS_MET,
    )

    mapped = mapped_for(record.patient)

    consent = by_id(mapped, "Consent", f"consent-{signed.pk}")
    assert consent["status"] == "inactive"
    assert consent["provision"]["period"]["end"] == timezone.localdate().isoformat()
    assert consent["provision"]["data"] == [
        {
            "meaning": "related",
            "reference": {"reference": f"EpisodeOfCare/episode-{signed.episode_id}"},
        }
    ]

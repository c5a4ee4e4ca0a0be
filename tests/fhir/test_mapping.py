"""Each resource type mapped from a record built through the services: values, codes and
references, every resource valid FHIR R4B."""

import pytest

from clinic.fhir.bundle import patient_bundle
from clinic.fhir.mapping import Scope, resources
from clinic.fhir.mapping.codes import (
    ADVERSE_EVENT_SEVERITY_SYSTEM,
    CHECKLIST_URL,
    CPT_ONE_OR_TWO_MUSCLES,
    CPT_SYSTEM,
    CPT_THREE_OR_MORE_MUSCLES,
    DRY_NEEDLING_SESSION,
    DRY_NEEDLING_SITE,
    FINDING_SYSTEM,
    LATERALITY,
    LATERALITY_EXTENSION,
    LOINC_SYSTEM,
    NPRS,
    PROCEDURE_SYSTEM,
    SNOMED_SYSTEM,
    cpt_for_muscles,
    mrn_system,
)
from patients.models import Side
from sessions.models import AdverseEventType, EventStatus, Muscle
from tests.factories import AdverseEventFactory, TriggerPointSiteFactory

from .validation import by_id, by_type, unresolved, validate

pytestmark = pytest.mark.django_db
BASE = "https://emr.example/fhir"


@pytest.fixture
def mapped(record) -> list[dict]:
    return list(resources(Scope(clinic=record.patient.clinic, patient=record.patient)))


def codes(concept: dict, system: str) -> list[str]:
    return [c["code"] for c in concept["coding"] if c["system"] == system]


def laterality_of(body_site: dict) -> str:
    (extension,) = body_site["extension"]
    assert extension["url"] == LATERALITY_EXTENSION
    (snomed,) = extension["valueCodeableConcept"]["coding"]
    assert snomed["system"] == SNOMED_SYSTEM
    return snomed["code"]


def test_every_resource_is_valid_r4b_and_every_reference_resolves(mapped):
    for resource in mapped:
        validate(resource)

    assert unresolved(mapped) == set()
    assert {r["resourceType"] for r in mapped} == {
        "Organization",
        "Practitioner",
        "Patient",
        "Consent",
        "Questionnaire",
        "QuestionnaireResponse",
        "Condition",
        "EpisodeOfCare",
        "Procedure",
        "Observation",
        "AdverseEvent",
        "CarePlan",
        "ServiceRequest",
        "Provenance",
    }


def test_patient_carries_the_mrn_in_its_clinics_namespace(record, mapped):
    (patient,) = by_type(mapped, "Patient")

    assert patient["identifier"][0]["system"] == mrn_system(record.patient.clinic_id)
    assert patient["identifier"][0]["value"] == record.patient.mrn
    assert patient["name"][0]["family"] == record.patient.last_name
    assert patient["birthDate"] == record.patient.date_of_birth.isoformat()
    assert patient["gender"] == "female"
    assert patient["active"] is True
    assert (
        patient["managingOrganization"]["reference"] == f"Organization/{record.patient.clinic_id}"
    )
    assert {t["value"] for t in patient["telecom"]} == {"555 0100", "jo@example.com"}


def test_screening_is_a_response_to_the_checklist_with_findings_as_conditions(record, mapped):
    (response,) = by_type(mapped, "QuestionnaireResponse")
    (questionnaire,) = by_type(mapped, "Questionnaire")
    conditions = {
        c["code"]["coding"][0]["code"]: c
        for c in by_type(mapped, "Condition")
        if c["id"].startswith("finding-")
    }

    assert questionnaire["url"] == CHECKLIST_URL
    assert response["questionnaire"] == f"{CHECKLIST_URL}|{questionnaire['version']}"
    answered = {
        item["linkId"]: item["answer"][0]["valueBoolean"]
        for group in response["item"]
        if "item" in group
        for item in group["item"]
    }
    assert answered["recent-surgery"] is True
    assert answered["fever-chills"] is False
    assert set(conditions) == {"recent-surgery", "anticoagulants"}
    surgery = conditions["recent-surgery"]
    assert codes(surgery["code"], FINDING_SYSTEM) == ["recent-surgery"]
    assert (
        surgery["evidence"][0]["detail"][0]["reference"]
        == f"QuestionnaireResponse/{response['id']}"
    )
    (region,) = surgery["bodySite"]
    assert region["coding"][0]["code"] == "thigh"
    assert laterality_of(region) == LATERALITY[Side.LEFT][0]
    assert "bodySite" not in conditions["anticoagulants"]


def test_session_procedure_is_billed_by_distinct_muscles(record, mapped):
    session = by_id(mapped, "Procedure", f"session-{record.session.pk}")

    # Four sites on three distinct muscles (gluteus medius twice).
    assert codes(session["code"], CPT_SYSTEM) == [CPT_THREE_OR_MORE_MUSCLES[0]]
    assert codes(session["code"], PROCEDURE_SYSTEM) == [DRY_NEEDLING_SESSION[0]]
    assert session["status"] == "completed"
    assert (
        session["performer"][0]["actor"]["reference"]
        == f"Practitioner/{record.session.therapist_id}"
    )
    assert any("Rang: sore but fine." in note["text"] for note in session["note"])


def test_each_site_is_a_procedure_with_its_muscle_and_snomed_laterality(record, mapped):
    site_procedures = [p for p in by_type(mapped, "Procedure") if p["id"].startswith("site-")]

    assert len(site_procedures) == 4
    lateralities = {laterality_of(p["bodySite"][0]) for p in site_procedures}
    assert lateralities == {code for code, _ in LATERALITY.values()}
    first = by_id(mapped, "Procedure", f"site-{record.sites[0].pk}")
    assert first["partOf"][0]["reference"] == f"Procedure/session-{record.session.pk}"
    assert codes(first["code"], PROCEDURE_SYSTEM) == [DRY_NEEDLING_SITE[0]]
    assert first["bodySite"][0]["coding"][0]["display"] == "Gluteus medius"
    assert "depth 30 mm" in first["note"][0]["text"]
    assert all(not codes(p["code"], SNOMED_SYSTEM) for p in by_type(mapped, "Procedure"))


@pytest.mark.parametrize(
    ("muscles", "expected"),
    [
        (0, None),
        (1, CPT_ONE_OR_TWO_MUSCLES),
        (2, CPT_ONE_OR_TWO_MUSCLES),
        (3, CPT_THREE_OR_MORE_MUSCLES),
    ],
)
def test_cpt_code_follows_the_number_of_distinct_muscles(muscles, expected):
    assert cpt_for_muscles(muscles) == expected


def test_two_muscles_bill_20560(therapist):
    site = TriggerPointSiteFactory(
        session__screening__patient__clinic=therapist.clinic,
        muscle=Muscle.objects.get(name="Piriformis"),
    )
    TriggerPointSiteFactory(session=site.session, muscle=Muscle.objects.get(name="Gluteus medius"))
    patient = site.session.patient

    mapped = list(resources(Scope(clinic=patient.clinic, patient=patient)))

    session = by_id(mapped, "Procedure", f"session-{site.session.pk}")
    assert codes(session["code"], CPT_SYSTEM) == [CPT_ONE_OR_TWO_MUSCLES[0]]
    assert session["status"] == "in-progress"  # a draft note


def test_pain_before_and_after_and_soreness_are_nprs_observations(record, mapped):
    observations = {o["id"]: o for o in by_type(mapped, "Observation")}
    before = observations[f"nprs-before-treatment-{record.session.pk}"]
    after = observations[f"nprs-after-treatment-{record.session.pk}"]
    soreness = observations[f"soreness-{record.check.pk}"]

    for observation in (before, after, soreness):
        assert codes(observation["code"], LOINC_SYSTEM) == [NPRS[0]]
        assert observation["partOf"][0]["reference"] == f"Procedure/session-{record.session.pk}"
    assert (before["valueInteger"], after["valueInteger"]) == (6, 3)
    assert soreness["valueInteger"] == 2
    assert soreness["focus"] == [{"reference": f"Procedure/site-{record.sites[0].pk}"}]
    assert soreness["component"][0]["valueBoolean"] is False


def test_adverse_event_names_its_site_procedure_and_severity(record, mapped):
    (event,) = by_type(mapped, "AdverseEvent")

    assert event["actuality"] == "actual"
    assert event["event"]["coding"][0]["code"] == AdverseEventType.BRUISING
    assert (
        event["suspectEntity"][0]["instance"]["reference"] == f"Procedure/site-{record.sites[0].pk}"
    )
    assert codes(event["severity"], ADVERSE_EVENT_SEVERITY_SYSTEM) == ["mild"]
    assert "Small bruise &lt;left hip&gt; &amp; tender." in event["text"]["div"]


def test_dismissed_escalations_are_not_exported_and_drafts_are_potential(record):
    AdverseEventFactory(session=record.session, escalation=True)
    AdverseEventFactory(
        session=record.session,
        escalation=True,
        status=EventStatus.DISMISSED,
        decision_reason="Fine",
    )

    mapped = list(resources(Scope(clinic=record.patient.clinic, patient=record.patient)))

    actualities = sorted(e["actuality"] for e in by_type(mapped, "AdverseEvent"))
    assert actualities == ["actual", "potential"]
    for event in by_type(mapped, "AdverseEvent"):
        validate(event)


def test_plan_is_a_care_plan_with_a_service_request_per_exercise(record, mapped):
    (plan,) = by_type(mapped, "CarePlan")
    (request,) = by_type(mapped, "ServiceRequest")

    assert plan["status"] == "active"
    assert plan["description"] == record.plan.goal
    assert plan["activity"] == [{"reference": {"reference": f"ServiceRequest/{request['id']}"}}]
    assert plan["supportingInfo"] == [{"reference": f"Procedure/session-{record.session.pk}"}]
    assert request["basedOn"] == [{"reference": f"CarePlan/{plan['id']}"}]
    assert request["code"]["text"] == "Glute bridge"
    assert request["occurrenceTiming"]["repeat"] == {
        "frequency": 3,
        "period": 1,
        "periodUnit": "wk",
    }


def test_signature_and_addendum_are_provenance_of_the_session(record, mapped):
    provenances = {p["id"]: p for p in by_type(mapped, "Provenance")}
    signature = provenances[f"session-signature-{record.session.pk}"]
    (addendum,) = (p for p in provenances.values() if p["id"].startswith("addendum-"))

    assert signature["target"] == [{"reference": f"Procedure/session-{record.session.pk}"}]
    assert (
        signature["signature"][0]["who"]["reference"]
        == f"Practitioner/{record.session.therapist_id}"
    )
    assert addendum["reason"] == [{"text": "Late entry"}]
    assert addendum["activity"]["coding"][0]["code"] == "UPDATE"


def test_patient_bundle_is_a_valid_collection_whose_entries_resolve(record):
    bundle = patient_bundle(patient=record.patient, base_url=BASE)

    validate(bundle)
    assert bundle["type"] == "collection"
    entries = [entry["resource"] for entry in bundle["entry"]]
    assert unresolved(entries) == set()
    assert all(
        entry["fullUrl"] == f"{BASE}/{entry['resource']['resourceType']}/{entry['resource']['id']}"
        for entry in bundle["entry"]
    )


def test_another_patients_records_stay_out_of_the_bundle(record, therapist):
    other = TriggerPointSiteFactory(session__screening__patient__clinic=therapist.clinic)

    bundle = patient_bundle(patient=record.patient, base_url=BASE)

    ids = {entry["resource"]["id"] for entry in bundle["entry"]}
    assert f"session-{other.session.pk}" not in ids
    assert str(other.session.patient_id) not in {
        e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    }

import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from clinic.accounts.models import Clinic
from clinic.fhir.bulk import MANIFEST_NAME
from clinic.fhir.mapping import RESOURCE_SOURCES
from clinic.fhir.mapping.codes import JSON_MIME
from clinic.fhir.services.export import BULK_NOTE, BUNDLE_NOTE
from tests.factories import NeedlingSessionFactory, PatientFactory, TherapistFactory

from .validation import unresolved, validate

pytestmark = pytest.mark.django_db


def test_treating_therapist_downloads_the_fhir_bundle_and_it_is_audited(
    therapist_client, therapist, record
):
    page = therapist_client.get(record.patient.get_absolute_url())
    url = reverse("fhir:patient_bundle", args=[record.patient.pk])
    assert url in page.content.decode()

    response = therapist_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == JSON_MIME
    assert "attachment" in response["Content-Disposition"]
    bundle = json.loads(response.content)
    validate(bundle)
    assert unresolved([entry["resource"] for entry in bundle["entry"]]) == set()
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    assert entry.actor == therapist
    assert entry.additional_data["export"] == BUNDLE_NOTE


def test_clinic_admin_downloads_any_patients_bundle(admin_client_, clinic):
    patient = PatientFactory(clinic=clinic)

    response = admin_client_.get(reverse("fhir:patient_bundle", args=[patient.pk]))

    assert response.status_code == 200


def test_a_therapist_who_does_not_treat_the_patient_cannot_download(therapist_client, therapist):
    patient = NeedlingSessionFactory(
        screening__patient__clinic=therapist.clinic,
        screening__therapist=TherapistFactory(clinic=therapist.clinic),
    ).patient

    page = therapist_client.get(patient.get_absolute_url())
    response = therapist_client.get(reverse("fhir:patient_bundle", args=[patient.pk]))

    assert reverse("fhir:patient_bundle", args=[patient.pk]) not in page.content.decode()
    assert response.status_code == 403
    assert not LogEntry.objects.filter(additional_data__export=BUNDLE_NOTE).exists()


def test_bulk_export_of_the_demo_clinic_validates_completely(tmp_path):
    call_command("seed_demo", patients=30)
    clinic = Clinic.objects.get()

    call_command("fhir_export", clinic=clinic.pk, output=tmp_path)

    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert manifest["requiresAccessToken"] is False
    assert [o["type"] for o in manifest["output"]] == [t for t, _ in RESOURCE_SOURCES]
    assert {"Consent", "EpisodeOfCare", "Questionnaire"} <= {o["type"] for o in manifest["output"]}
    everything = []
    for output in manifest["output"]:
        lines = (tmp_path / output["url"]).read_text().splitlines()
        assert len(lines) == output["count"]
        for line in lines:
            resource = json.loads(line)
            assert resource["resourceType"] == output["type"]
            validate(resource)
            everything.append(resource)
    assert unresolved(everything) == set()
    assert len({(r["resourceType"], r["id"]) for r in everything}) == len(everything)
    log = LogEntry.objects.get(additional_data__export=BULK_NOTE)
    assert log.additional_data["counts"]["Patient"] == 30


def test_bulk_export_leaves_out_other_clinics(tmp_path, clinic, other_clinic):
    mine = NeedlingSessionFactory(screening__patient__clinic=clinic)
    NeedlingSessionFactory(screening__patient__clinic=other_clinic)

    call_command("fhir_export", clinic=clinic.pk, output=tmp_path)

    def read(resource_type: str) -> list[dict]:
        lines = (tmp_path / f"{resource_type}.ndjson").read_text().splitlines()
        return [json.loads(line) for line in lines]

    assert [p["id"] for p in read("Patient")] == [str(mine.patient_id)]
    mine_ref = {"reference": f"Patient/{mine.patient_id}"}
    assert [c["patient"] for c in read("Consent")] == [mine_ref]
    assert [e["patient"] for e in read("EpisodeOfCare")] == [mine_ref]


def test_bulk_export_of_an_unknown_clinic_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No clinic with id 999"):
        call_command("fhir_export", clinic=999, output=tmp_path)

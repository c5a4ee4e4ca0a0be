from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from patients.models import MRN_IN_USE, Patient
from patients.services import CLINIC_FIXED, DOB_IN_FUTURE, patient_update
from tests.factories import PatientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def register_data(**overrides) -> dict:
    data = {
        "first_name": "Jo",
        "last_name": "Smith",
        "date_of_birth": "1979-03-02",
        "sex": "female",
        "mrn": "A-100",
        "phone": "",
        "email": "",
        "relevant_history": "",
    }
    data.update(overrides)
    return data


def test_patient_register_creates_the_patient_in_my_clinic(therapist_client, therapist):
    response = therapist_client.post(
        reverse("patients:create"), register_data(takes_anticoagulants="on")
    )

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == patient.get_absolute_url()
    assert patient.clinic == therapist.clinic
    assert patient.takes_anticoagulants


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth": (timezone.localdate() + timedelta(days=1)).isoformat()}, DOB_IN_FUTURE),
        ({"date_of_birth": "not a date"}, "Enter a valid date."),
        ({"mrn": ""}, "This field is required."),
        ({"sex": "robot"}, "Select a valid choice."),
        ({"email": "no-at-sign"}, "Enter a valid email address."),
    ],
)
def test_patient_register_bad_input_rerenders_and_writes_nothing(
    therapist_client, overrides, message
):
    response = therapist_client.post(reverse("patients:create"), register_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Patient.objects.exists()


def test_duplicate_mrn_in_same_clinic_is_refused(therapist_client, therapist):
    PatientFactory(clinic=therapist.clinic, mrn="A-100")

    response = therapist_client.post(reverse("patients:create"), register_data(mrn="A-100"))

    assert response.status_code == 200
    assert MRN_IN_USE in response.content.decode()
    assert Patient.objects.count() == 1


def test_same_mrn_is_allowed_in_another_clinic(therapist_client, other_clinic):
    PatientFactory(clinic=other_clinic, mrn="A-100")

    response = therapist_client.post(reverse("patients:create"), register_data(mrn="A-100"))

    assert response.status_code == 302
    assert Patient.objects.filter(mrn="A-100").count() == 2


def test_patient_list_shows_only_my_clinic(therapist_client, therapist, other_clinic):
    mine = PatientFactory(clinic=therapist.clinic, last_name="Mine")
    PatientFactory(clinic=other_clinic, last_name="Theirs")

    response = therapist_client.get(reverse("patients:list"))

    assert list(response.context["page"]) == [mine]
    assert "Theirs" not in response.content.decode()


def test_patient_search_by_name_mrn_and_dob(therapist_client, therapist):
    jo = PatientFactory(clinic=therapist.clinic, first_name="Jo", last_name="Smith", mrn="X1")
    ann = PatientFactory(
        clinic=therapist.clinic,
        first_name="Ann",
        last_name="Lee",
        mrn="X2",
        date_of_birth=date(1990, 1, 2),
    )
    url = reverse("patients:list")

    assert list(therapist_client.get(url, {"q": "smi jo"}).context["page"]) == [jo]
    assert list(therapist_client.get(url, {"q": "x2"}).context["page"]) == [ann]
    assert list(therapist_client.get(url, {"dob": "1990-01-02"}).context["page"]) == [ann]


def test_patient_search_with_malformed_date_says_so(therapist_client):
    response = therapist_client.get(reverse("patients:list"), {"dob": "02/31/1990x"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_patient_list_paginates(therapist_client, therapist):
    PatientFactory.create_batch(30, clinic=therapist.clinic)
    url = reverse("patients:list")

    first = therapist_client.get(url)
    second = therapist_client.get(url, {"page": 2})

    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "Page 2 of 2" in second.content.decode()


def test_archived_patients_are_hidden_unless_asked_for(therapist_client, therapist):
    active = PatientFactory(clinic=therapist.clinic)
    archived = PatientFactory(clinic=therapist.clinic, archived_at=timezone.now())
    url = reverse("patients:list")

    assert list(therapist_client.get(url).context["page"]) == [active]
    assert list(therapist_client.get(url, {"archived": "on"}).context["page"]) == [archived]


def test_patient_list_query_count_is_constant(
    therapist_client, therapist, django_assert_max_num_queries
):
    url = reverse("patients:list")
    for patient in PatientFactory.create_batch(3, clinic=therapist.clinic):
        ScreeningFactory(patient=patient, therapist=therapist)
    with django_assert_max_num_queries(11) as few:
        therapist_client.get(url)

    for patient in PatientFactory.create_batch(20, clinic=therapist.clinic):
        ScreeningFactory(patient=patient, therapist=therapist)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = therapist_client.get(url)
    assert len(response.context["page"]) == 23


def test_patient_detail_of_another_clinic_is_404(therapist_client, other_clinic):
    theirs = PatientFactory(clinic=other_clinic)

    for name in ("detail", "edit", "screening_create"):
        assert (
            therapist_client.get(reverse(f"patients:{name}", args=[theirs.pk])).status_code == 404
        )
    for name in ("archive", "restore"):
        assert (
            therapist_client.post(reverse(f"patients:{name}", args=[theirs.pk])).status_code == 404
        )


def test_patient_detail_shows_current_screening_at_a_glance(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    ScreeningFactory(patient=patient, therapist=therapist, outcome="precautions")

    body = therapist_client.get(patient.get_absolute_url()).content.decode()

    assert "Cleared with precautions" in body
    assert "Valid until" in body


def test_patient_detail_flags_an_expired_screening(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)
    taken = timezone.now() - timedelta(days=31)
    ScreeningFactory(patient=patient, therapist=therapist, taken_at=taken)

    body = therapist_client.get(patient.get_absolute_url()).content.decode()

    assert "Expired" in body
    assert "screen again before needling" in body


def test_patient_detail_query_count_is_constant(
    therapist_client, therapist, django_assert_max_num_queries
):
    patient = PatientFactory(clinic=therapist.clinic)
    ScreeningFactory(patient=patient, therapist=therapist)
    # As the page budget in tests/bench/test_query_budgets.py, less the rows this patient lacks.
    with django_assert_max_num_queries(26) as few:
        therapist_client.get(patient.get_absolute_url())
    ScreeningFactory.create_batch(10, patient=patient, therapist=therapist)

    with django_assert_max_num_queries(len(few.captured_queries)):
        therapist_client.get(patient.get_absolute_url())


def test_edit_patient_changes_details(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic, phone="")

    response = therapist_client.post(
        reverse("patients:edit", args=[patient.pk]),
        register_data(mrn=patient.mrn, phone="01234 567890"),
    )

    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.phone == "01234 567890"


def test_a_patient_cannot_be_moved_to_another_clinic(therapist, other_clinic):
    patient = PatientFactory(clinic=therapist.clinic, last_name="Okafor")

    with pytest.raises(ValidationError, match=CLINIC_FIXED):
        patient_update(patient=patient, clinic=other_clinic, last_name="Moved")

    patient.refresh_from_db()
    assert (patient.clinic, patient.last_name) == (therapist.clinic, "Okafor")


def test_archive_keeps_the_record_and_restore_brings_it_back(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    therapist_client.post(reverse("patients:archive", args=[patient.pk]))
    patient.refresh_from_db()
    assert patient.is_archived

    therapist_client.post(reverse("patients:restore", args=[patient.pk]))
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archive_needs_post(therapist_client, therapist):
    patient = PatientFactory(clinic=therapist.clinic)

    assert therapist_client.get(reverse("patients:archive", args=[patient.pk])).status_code == 405

import pytest
from django.urls import reverse

from patients.models import QuestionCategory, Screening, ScreeningOutcome
from patients.services import JUSTIFICATION_REQUIRED
from tests.factories import PatientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def form_data(checklist, *present, **extra) -> dict:
    chosen = {q.pk for q in present}
    data = {
        f"q_{q.pk}": "yes" if q.pk in chosen else "no"
        for group in checklist.values()
        for q in group
    }
    data.update(extra)
    return data


def test_therapist_screens_a_patient_cleared_with_precautions(
    therapist_client, therapist, checklist
):
    patient = PatientFactory(clinic=therapist.clinic)
    anticoagulants = next(
        q for q in checklist[QuestionCategory.RELATIVE] if q.code == "anticoagulants"
    )
    url = reverse("patients:screening_create", args=[patient.pk])

    response = therapist_client.post(
        url,
        form_data(
            checklist,
            anticoagulants,
            justification="Superficial needling, firm pressure after.",
            avoid_regions=["forearm_hand:left"],
        ),
        follow=True,
    )

    screening = Screening.objects.get()
    assert screening.outcome == ScreeningOutcome.CLEARED_WITH_PRECAUTIONS
    assert screening.therapist == therapist
    assert [(r.region, r.side) for r in screening.avoid_regions.all()] == [("forearm_hand", "left")]
    assert "Screening recorded: Cleared with precautions." in response.content.decode()


def test_red_flag_routes_to_referral(therapist_client, therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    red_flag = checklist[QuestionCategory.RED_FLAG][0]

    therapist_client.post(
        reverse("patients:screening_create", args=[patient.pk]), form_data(checklist, red_flag)
    )

    assert Screening.objects.get().outcome == ScreeningOutcome.REFER


def test_missing_answers_rerender_with_a_message_and_write_nothing(
    therapist_client, therapist, checklist
):
    patient = PatientFactory(clinic=therapist.clinic)
    data = form_data(checklist)
    skipped = checklist[QuestionCategory.ABSOLUTE][0]
    del data[f"q_{skipped.pk}"]

    response = therapist_client.post(reverse("patients:screening_create", args=[patient.pk]), data)

    assert response.status_code == 200
    assert "Answer yes or no." in response.content.decode()
    assert not Screening.objects.exists()


def test_precautions_without_justification_rerender(therapist_client, therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)
    relative = checklist[QuestionCategory.RELATIVE][0]

    response = therapist_client.post(
        reverse("patients:screening_create", args=[patient.pk]), form_data(checklist, relative)
    )

    assert response.status_code == 200
    assert JUSTIFICATION_REQUIRED in response.content.decode()
    assert not Screening.objects.exists()


def test_unknown_avoid_region_is_refused(therapist_client, therapist, checklist):
    patient = PatientFactory(clinic=therapist.clinic)

    response = therapist_client.post(
        reverse("patients:screening_create", args=[patient.pk]),
        form_data(checklist, avoid_regions=["moon:left"]),
    )

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Screening.objects.exists()


def test_clinic_admin_cannot_record_a_screening(admin_client_, clinic_admin, checklist):
    patient = PatientFactory(clinic=clinic_admin.clinic)

    response = admin_client_.post(
        reverse("patients:screening_create", args=[patient.pk]), form_data(checklist)
    )

    assert response.status_code == 403
    assert not Screening.objects.exists()


def test_screening_of_another_clinic_is_404(therapist_client, other_clinic):
    screening = ScreeningFactory(patient=PatientFactory(clinic=other_clinic))

    response = therapist_client.get(reverse("patients:screening_detail", args=[screening.pk]))

    assert response.status_code == 404


def test_screening_detail_lists_findings(therapist_client, therapist, checklist):
    from patients.services import screening_record

    patient = PatientFactory(clinic=therapist.clinic)
    red_flag = checklist[QuestionCategory.RED_FLAG][0]
    screening = screening_record(
        patient=patient,
        therapist=therapist,
        answers={q.pk: q.pk == red_flag.pk for g in checklist.values() for q in g},
    )

    body = therapist_client.get(screening.get_absolute_url()).content.decode()

    assert "Refer to physician" in body
    assert red_flag.text in body

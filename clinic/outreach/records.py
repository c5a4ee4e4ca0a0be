"""A patient's links and their deliveries in the patient's audit history."""

from clinic.audit.selectors import patient_record_collector
from patients.models import Patient

from .models import Delivery, PatientLink


@patient_record_collector
def patient_link_records(patient: Patient):
    return [
        (PatientLink, PatientLink.objects.filter(patient=patient)),
        (Delivery, Delivery.objects.filter(link__patient=patient)),
    ]

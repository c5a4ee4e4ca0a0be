"""A patient's record as JSON, for the patient's request to access their data.

The record is built from sections; each app that stores records about a patient adds its own
with `@export_section("name")`, so the export stays complete as the app grows.
"""

from collections.abc import Callable

from django.utils import timezone

from patients.models import Patient, Screening

ExportSection = Callable[[Patient], object]

EXPORT_SECTIONS: dict[str, ExportSection] = {}

RECORD_FORMAT = "needletrack.patient-record.v1"


def export_section(name: str) -> Callable[[ExportSection], ExportSection]:
    def register(builder: ExportSection) -> ExportSection:
        EXPORT_SECTIONS[name] = builder
        return builder

    return register


@export_section("patient")
def demographics(patient: Patient) -> dict:
    return {
        "mrn": patient.mrn,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.get_sex_display(),
        "phone": patient.phone,
        "email": patient.email,
        "takes_anticoagulants": patient.takes_anticoagulants,
        "relevant_history": patient.relevant_history,
        "archived_at": patient.archived_at.isoformat() if patient.archived_at else None,
        "registered_at": patient.created_at.isoformat(),
    }


@export_section("screenings")
def screenings(patient: Patient) -> list[dict]:
    queryset = (
        Screening.objects.filter(patient=patient)
        .select_related("therapist")
        .prefetch_related("answers__question", "avoid_regions")
        .newest_first()
    )
    return [
        {
            "taken_at": screening.taken_at.isoformat(),
            "valid_until": screening.valid_until.isoformat(),
            "therapist": str(screening.therapist),
            "outcome": screening.get_outcome_display(),
            "justification": screening.justification,
            "notes": screening.notes,
            "answers": [
                {
                    "question": answer.question.text,
                    "category": answer.get_category_display(),
                    "present": answer.present,
                }
                for answer in screening.answers.all()
            ],
            "avoid_regions": [
                {"region": region.get_region_display(), "side": region.get_side_display()}
                for region in screening.avoid_regions.all()
            ],
        }
        for screening in queryset
    ]


def patient_record(patient: Patient) -> dict:
    record = {
        "format": RECORD_FORMAT,
        "clinic": patient.clinic.name,
        "exported_at": timezone.now().isoformat(),
    }
    for name, builder in EXPORT_SECTIONS.items():
        record[name] = builder(patient)
    return record

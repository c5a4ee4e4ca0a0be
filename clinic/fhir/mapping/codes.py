"""Every code system, code and extension the FHIR mapping uses: one home for each.

Standard codes are cited; NeedleTrack's own concepts use local code systems under LOCAL_BASE.
No SNOMED CT concept for dry needling was found, so none is used: SNOMED appears only for
laterality.
"""

from patients.models import Side
from sessions.rules.billing import CPT_ONE_OR_TWO_MUSCLES as CPT_20560
from sessions.rules.billing import CPT_THREE_OR_MORE_MUSCLES as CPT_20561
from sessions.rules.billing import cpt_code

# The server speaks R4. The tests validate with fhir.resources' R4B models (it has no R4 ones);
# the resources used here did not change between the two (see docs/fhir.md).
FHIR_VERSION = "4.0.1"
JSON_MIME = "application/fhir+json"
NDJSON_MIME = "application/fhir+ndjson"

# Local code systems and identifier namespaces. `.example` is reserved (RFC 2606), so the base
# never collides with a real system; a clinic that publishes its code systems replaces it here.
LOCAL_BASE = "https://needletrack.example/fhir"
PROCEDURE_SYSTEM = f"{LOCAL_BASE}/CodeSystem/procedure"
MUSCLE_SYSTEM = f"{LOCAL_BASE}/CodeSystem/muscle"
BODY_REGION_SYSTEM = f"{LOCAL_BASE}/CodeSystem/body-region"
FINDING_SYSTEM = f"{LOCAL_BASE}/CodeSystem/screening-finding"
FINDING_CLASS_SYSTEM = f"{LOCAL_BASE}/CodeSystem/screening-finding-class"
SCREENING_OUTCOME_SYSTEM = f"{LOCAL_BASE}/CodeSystem/screening-outcome"
PAIN_TIMING_SYSTEM = f"{LOCAL_BASE}/CodeSystem/pain-timing"
OBSERVATION_SYSTEM = f"{LOCAL_BASE}/CodeSystem/observation"
CONTACT_METHOD_SYSTEM = f"{LOCAL_BASE}/CodeSystem/contact-method"
ADVERSE_EVENT_SYSTEM = f"{LOCAL_BASE}/CodeSystem/adverse-event-type"
EXERCISE_SYSTEM = f"{LOCAL_BASE}/CodeSystem/exercise"
CREDENTIAL_SYSTEM = f"{LOCAL_BASE}/CodeSystem/credential"
OUTCOME_INSTRUMENT_SYSTEM = f"{LOCAL_BASE}/CodeSystem/outcome-instrument"
OUTCOME_ITEM_SYSTEM = f"{LOCAL_BASE}/CodeSystem/outcome-item"
OUTCOME_TIMEPOINT_SYSTEM = f"{LOCAL_BASE}/CodeSystem/outcome-timepoint"
CHECKLIST_URL = f"{LOCAL_BASE}/Questionnaire/screening-checklist"
STAFF_ID_SYSTEM = f"{LOCAL_BASE}/sid/staff-username"
CREDENTIAL_ID_SYSTEM = f"{LOCAL_BASE}/sid/credential"
CONSENT_TEXT_SHA256_SYSTEM = f"{LOCAL_BASE}/sid/consent-text-sha256"


def mrn_system(clinic_id: int) -> str:
    """MRNs are unique within a clinic, so each clinic has its own identifier namespace."""
    return f"{LOCAL_BASE}/sid/clinic/{clinic_id}/mrn"


# Local procedure codes: a session (billed as one CPT code) and each trigger-point site in it.
DRY_NEEDLING_SESSION = ("dry-needling-session", "Dry needling session")
DRY_NEEDLING_SITE = ("dry-needling", "Dry needling of a trigger point")
# A therapist's dry-needling credential (Practitioner.qualification).
DRY_NEEDLING_CREDENTIAL = ("dry-needling", "Dry-needling training or qualification")

# CPT (AMA): needle insertion(s) without injection; APTA Magazine, Feb 2020. The rule that picks
# the code is sessions.rules.billing; these are its codes with their displays.
CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
CPT_ONE_OR_TWO_MUSCLES = (CPT_20560, "Needle insertion(s) without injection(s); 1 or 2 muscle(s)")
CPT_THREE_OR_MORE_MUSCLES = (
    CPT_20561,
    "Needle insertion(s) without injection(s); 3 or more muscles",
)
CPT_DISPLAY = dict([CPT_ONE_OR_TWO_MUSCLES, CPT_THREE_OR_MORE_MUSCLES])


def cpt_for_muscles(distinct_muscles: int) -> tuple[str, str] | None:
    """The CPT code of a session from its number of distinct muscles (none when no site)."""
    code = cpt_code(distinct_muscles)
    return None if code is None else (code, CPT_DISPLAY[code])


# SNOMED CT laterality qualifiers, carried on a bodySite with mCODE's laterality extension (an
# R4 extension whose context includes Procedure.bodySite and Condition.bodySite).
SNOMED_SYSTEM = "http://snomed.info/sct"
LATERALITY_EXTENSION = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality-qualifier"
LATERALITY = {
    Side.LEFT: ("7771000", "Left"),
    Side.RIGHT: ("24028007", "Right"),
    Side.BILATERAL: ("51440002", "Right and left"),
}

# LOINC 72514-3: pain severity 0-10 verbal numeric rating [Score] - reported (NPRS).
LOINC_SYSTEM = "http://loinc.org"
NPRS = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
PAIN_BEFORE = ("before-treatment", "Before needling")
PAIN_AFTER = ("after-treatment", "After needling")
SORENESS = ("post-needling-soreness", "Post-needling soreness follow-up")
SORENESS_RESOLVED = ("soreness-resolved", "Soreness resolved")

OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
SURVEY = ("survey", "Survey")
CONDITION_CLINICAL_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

ADVERSE_EVENT_SEVERITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
ADVERSE_EVENT_SERIOUSNESS_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
ADVERSE_EVENT_OUTCOME_SYSTEM = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

PROVENANCE_ACTIVITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
PROVENANCE_AGENT_SYSTEM = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SIGNATURE_TYPE_SYSTEM = "urn:iso-astm:E1762-95:2013"
AUTHOR_SIGNATURE = ("1.2.840.10065.1.12.1.1", "Author's Signature")

# Consent (R4 Consent): a consent to treatment, filed as a LOINC consent document; the patient
# opts in to the treatment the signed text describes.
CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_TREATMENT = ("treatment", "Treatment")
PATIENT_CONSENT = ("59284-0", "Patient Consent")
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
OPT_IN = ("OPTIN", "opt-in")
CONSENT_SIGNATURE = ("1.2.840.10065.1.12.1.7", "Consent Signature")
WITNESS_SIGNATURE = ("1.2.840.10065.1.12.1.5", "Witness Signature")

# Episodes of care: the complaint is the episode's chief-complaint diagnosis.
DIAGNOSIS_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/diagnosis-role"
CHIEF_COMPLAINT = ("CC", "Chief complaint")
CONDITION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/condition-category"
ENCOUNTER_DIAGNOSIS = ("encounter-diagnosis", "Encounter Diagnosis")

"""NeedleTrack records as FHIR R4 resources: one module per clinical concern, each offering a
source per resource type that streams the resources of a Scope (a clinic or one patient).

A new resource type (Consent, EpisodeOfCare...) is a new source added to RESOURCE_SOURCES;
the patient bundle, $everything and the bulk export pick it up.
"""

from collections.abc import Callable, Iterator

from .adverse_event import adverse_events
from .care_plan import care_plans, service_requests
from .common import Scope
from .observation import observations
from .people import organizations, patients, practitioners
from .procedure import procedures
from .provenance import provenances
from .screening import conditions, questionnaire_responses, questionnaires

Source = Callable[[Scope], Iterator[dict]]

# Referenced resources first, so a reader meets a reference's target before the reference.
RESOURCE_SOURCES: list[tuple[str, Source]] = [
    ("Organization", organizations),
    ("Practitioner", practitioners),
    ("Patient", patients),
    ("Questionnaire", questionnaires),
    ("QuestionnaireResponse", questionnaire_responses),
    ("Condition", conditions),
    ("Procedure", procedures),
    ("Observation", observations),
    ("AdverseEvent", adverse_events),
    ("CarePlan", care_plans),
    ("ServiceRequest", service_requests),
    ("Provenance", provenances),
]


def resources(scope: Scope) -> Iterator[dict]:
    for _resource_type, source in RESOURCE_SOURCES:
        yield from source(scope)


__all__ = ["RESOURCE_SOURCES", "Scope", "resources"]

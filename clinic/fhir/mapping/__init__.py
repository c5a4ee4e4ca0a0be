"""NeedleTrack records as FHIR R4 resources: one module per clinical concern, each offering a
source per resource type that streams the resources of a Scope (a clinic or one patient).

A new resource type is a new source added to RESOURCE_SOURCES; the patient bundle, $everything,
the bulk export and the CapabilityStatement pick it up. A type that several concerns produce
(Condition, Observation, Provenance) has one source chaining theirs, so the bulk export writes
one file per type.
"""

from collections.abc import Callable, Iterator
from itertools import chain

from .adverse_event import adverse_events
from .care_plan import care_plans, service_requests
from .common import Scope
from .consent import consent_provenances, consents
from .episode import complaints, episodes, outcome_observations
from .observation import observations
from .people import organizations, patients, practitioners
from .procedure import procedures
from .provenance import provenances
from .screening import conditions, questionnaire_responses, questionnaires

Source = Callable[[Scope], Iterator[dict]]


def chained(*sources: Source) -> Source:
    def source(scope: Scope) -> Iterator[dict]:
        return chain.from_iterable(s(scope) for s in sources)

    return source


# Referenced resources first, so a reader meets a reference's target before the reference.
RESOURCE_SOURCES: list[tuple[str, Source]] = [
    ("Organization", organizations),
    ("Practitioner", practitioners),
    ("Patient", patients),
    ("Consent", consents),
    ("Questionnaire", questionnaires),
    ("QuestionnaireResponse", questionnaire_responses),
    ("Condition", chained(conditions, complaints)),
    ("EpisodeOfCare", episodes),
    ("Procedure", procedures),
    ("Observation", chained(observations, outcome_observations)),
    ("AdverseEvent", adverse_events),
    ("CarePlan", care_plans),
    ("ServiceRequest", service_requests),
    ("Provenance", chained(provenances, consent_provenances)),
]


def resources(scope: Scope) -> Iterator[dict]:
    for _resource_type, source in RESOURCE_SOURCES:
        yield from source(scope)


__all__ = ["RESOURCE_SOURCES", "Scope", "resources"]

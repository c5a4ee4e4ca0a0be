"""Checks shared by the FHIR tests: R4B validation with fhir.resources, and references."""

from collections.abc import Iterable

from fhir.resources.R4B import get_fhir_model_class


def validate(resource: dict) -> None:
    """Raise when the resource is not valid FHIR R4B (types, cardinality, invariants)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def references(value) -> Iterable[str]:
    """Every literal reference ("Type/id") anywhere inside a resource."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def unresolved(resources: list[dict]) -> set[str]:
    """References and canonical questionnaires that no resource in the set answers."""
    present = {f"{r['resourceType']}/{r['id']}" for r in resources}
    canonicals = {r["url"] for r in resources if "url" in r}
    canonicals |= {f"{r['url']}|{r['version']}" for r in resources if "version" in r}
    missing = {ref for r in resources for ref in references(r) if ref not in present}
    missing |= {
        r["questionnaire"]
        for r in resources
        if r["resourceType"] == "QuestionnaireResponse" and r["questionnaire"] not in canonicals
    }
    return missing


def by_type(resources: list[dict], resource_type: str) -> list[dict]:
    return [r for r in resources if r["resourceType"] == resource_type]


def by_id(resources: list[dict], resource_type: str, resource_id: str) -> dict:
    return next(r for r in by_type(resources, resource_type) if r["id"] == resource_id)

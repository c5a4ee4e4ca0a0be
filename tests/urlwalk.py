"""Enumerate the project's own URL patterns from the resolver (no hand-kept list)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    callback: object
    kwarg_names: tuple[str, ...]


def _walk(patterns, prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            raw = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            kwargs = tuple(m.group("name") for m in CONVERTER.finditer(raw))
            yield Route(name=name, path=raw, callback=pattern.callback, kwarg_names=kwargs)


def project_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", ""))


def fill(route: Route, **values: int) -> str:
    """The route's path with each converter replaced by the given (or a dummy) value."""

    def replace(match: re.Match) -> str:
        return str(values.get(match.group("name"), 1))

    return "/" + CONVERTER.sub(replace, route.path)

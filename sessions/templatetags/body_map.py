"""`{% map_region region interactive %}`: one region of the body map.

A map has 38 regions and few distinct states (sites needled, lung risk, blocked), so each
region's markup renders once per process and is reused by every page that draws it.
"""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string

register = template.Library()


@lru_cache(maxsize=4096)
def _render(region, interactive: bool) -> str:
    return render_to_string(
        "sessions/_map_region.html", {"region": region, "interactive": interactive}
    )


@register.simple_tag
def map_region(region, interactive) -> str:
    return _render(region, bool(interactive))

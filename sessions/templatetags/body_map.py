"""`{% body_figures %}` and `{% map_muscles shapes interactive %}`: the parts of the body map.

A map has about a hundred muscle shapes and few distinct states (sites needled, lung risk,
blocked), so each shape's markup renders once per process and is reused by every page that
draws it, joined in Python rather than in a template loop; the outlines of the figures, always
the same, render once.
"""

from functools import cache, lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..figures import anatomy
from ..figures.bodymap import VIEWS

register = template.Library()


@lru_cache(maxsize=4096)
def _render(shape, interactive: bool) -> str:
    return render_to_string(
        "sessions/_map_muscle.html", {"shape": shape, "interactive": interactive}
    )


@register.simple_tag
def map_muscles(shapes, interactive) -> str:
    # Each part is a rendered (escaped) template.
    return mark_safe("".join(_render(shape, bool(interactive)) for shape in shapes))


@cache
def _figures() -> str:
    outline = anatomy.body_outline()
    x, y, rx, ry = anatomy.HEAD
    views = [
        {
            "name": view,
            "outline": anatomy.smooth_path(outline, offset),
            "head": (x + offset, y, rx, ry),
            "centre": anatomy.MIDLINE + offset,
            "viewer_left": offset + 38,
            "viewer_right": offset + 2 * anatomy.MIDLINE - 38,
            "front": view == anatomy.FRONT,
        }
        for view, offset in VIEWS
    ]
    return render_to_string("sessions/_body_figures.html", {"views": views})


@register.simple_tag
def body_figures() -> str:
    return _figures()

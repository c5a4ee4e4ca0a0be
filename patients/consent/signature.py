"""The drawn signature: SVG path data of the pad's strokes, checked before it is stored."""

import re

from django.core.exceptions import ValidationError

# The pad draws in this coordinate box whatever its size on screen (static/js/signature-pad.js).
PAD_WIDTH = 600
PAD_HEIGHT = 200
MAX_SIGNATURE_BYTES = 1_000_000

SIGNATURE_EMPTY = "Sign on the pad: the signature is empty."
SIGNATURE_TOO_LARGE = "The signature is too large (over 1 MB): clear the pad and sign again."
SIGNATURE_MALFORMED = "The signature could not be read: clear the pad and sign again."

_NUMBER = r"\d{1,3}(?:\.\d{1,2})?"
_POINT = rf"({_NUMBER}),({_NUMBER})"
# Strokes: each a move to its first point, then lines to the next ones ("M1,2L3,4L5,6 M...").
_PATH = re.compile(rf"(?:M{_NUMBER},{_NUMBER}(?:L{_NUMBER},{_NUMBER})* ?)+")
_POINTS = re.compile(_POINT)


def signature_clean(value: str) -> str:
    """The path data, stripped, or a ValidationError saying what is wrong with it."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(SIGNATURE_EMPTY, code="empty")
    if len(value.encode()) > MAX_SIGNATURE_BYTES:
        raise ValidationError(SIGNATURE_TOO_LARGE, code="too_large")
    if not _PATH.fullmatch(value) or any(
        float(x) > PAD_WIDTH or float(y) > PAD_HEIGHT for x, y in _POINTS.findall(value)
    ):
        raise ValidationError(SIGNATURE_MALFORMED, code="malformed")
    return value


def signature_svg(path_data: str) -> str:
    """A standalone SVG image of the signature, for the page and the PDF."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAD_WIDTH}" height="{PAD_HEIGHT}" '
        f'viewBox="0 0 {PAD_WIDTH} {PAD_HEIGHT}"><path d="{path_data}" fill="none" '
        'stroke="#000" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>'
    )

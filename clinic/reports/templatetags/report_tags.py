from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from ..tables import Link

register = template.Library()


@register.filter
def report_cell(value):
    """A table cell as shown on the page; the CSV export writes the same value."""
    if value is None:
        return "—"
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return value

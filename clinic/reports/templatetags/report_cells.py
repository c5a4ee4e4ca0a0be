"""`{{ cell|report_cell }}`: a report table's cell as the page shows it."""

from django import template

from clinic.reports.tables.base import report_cell

register = template.Library()
register.filter("report_cell", report_cell)

"""The house date and time formats (Django date-format syntax), for every English locale.

Django reads this module through FORMAT_MODULE_PATH: `{{ x|date }}` prints DATE_FORMAT and
`{{ x|date:"DATETIME_FORMAT" }}` DATETIME_FORMAT. Formats not set here are Django's.
"""

DATE_FORMAT = "j M Y"  # 17 Nov 2026
DATETIME_FORMAT = "j M Y H:i"  # 17 Nov 2026 14:05
TIME_FORMAT = "H:i"  # 14:05
YEAR_MONTH_FORMAT = "M Y"  # Nov 2026
MONTH_DAY_FORMAT = "j M"  # 17 Nov: chart axes, where the year is in the caption
# The audit trail's times, to the second (Django has no setting of its own for it).
DATETIME_SECONDS_FORMAT = "j M Y H:i:s"  # 17 Nov 2026 14:05:09
# Documents read away from the clinic (the consent PDF) name the time zone.
DATETIME_ZONE_FORMAT = "j M Y H:i T"  # 17 Nov 2026 14:05 CET

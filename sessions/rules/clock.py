"""How far ahead of the server's clock a time entered as "now" may be (a device's clock runs
fast, or the minute was rounded up) before it counts as in the future."""

from datetime import timedelta

CLOCK_SKEW = timedelta(minutes=5)

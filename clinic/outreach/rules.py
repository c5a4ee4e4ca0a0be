"""The patient links' rules: lifetimes, guessing limits, alerts and what the pages say, once.

Services, views, tasks, tests and the README read them from here.
"""

from datetime import timedelta

from sessions.rules.followup import MISSED_AFTER

# A follow-up link works until its check would be marked missed (the end of its late window).
CHECK_LINK_LIFETIME_AFTER_DUE = MISSED_AFTER
# A plan link works while the plan is active, for at most this long after it was sent.
PLAN_LINK_LIFETIME = timedelta(days=90)
# An outcome-measure link works this long after it was sent, and only until it is answered.
OUTCOME_LINK_LIFETIME = timedelta(days=7)
# Bytes of randomness in a link's token (256 bits; the URL carries about 43 characters).
TOKEN_BYTES = 32

# Link pages answered per client address in a window, valid links or not: enough for a
# patient answering on a shared connection, far too few to guess a 256-bit token.
LINK_HITS_PER_ADDRESS = 30
LINK_HITS_WINDOW_SECONDS = 600

# Sending: attempts per delivery before it stays failed, and the first wait (doubling).
DELIVERY_MAX_ATTEMPTS = 5
DELIVERY_FIRST_RETRY_SECONDS = 60

# Home exercise alerts on the worklist.
PAIN_DURING_ALERT = 7
NO_LOG_ALERT_AFTER = timedelta(days=7)
# Patients' answers stay on the worklist this long.
SELF_REPORTS_SHOWN_FOR = timedelta(days=3)

LINK_EXPIRED = "This link has expired."
LINK_EXPIRED_HELP = "If you still need to tell us something, please call the clinic."
TOO_MANY_TRIES = "Too many tries from your connection. Please wait a few minutes."
NO_CONSENT = "The patient has not agreed to be sent links."
NO_CHANNEL = "The patient has no email or phone number we may use."
CHECK_NOT_OPEN = "This follow-up is already answered, closed or missed."
PLAN_NOT_ACTIVE_FOR_LINK = "Only an active plan can be sent."
LINK_ALREADY_REVOKED = "This link is already revoked."
NO_INSTRUMENT_CHOSEN = "Choose at least one instrument for the patient to fill."
ALREADY_SCORED = "{instrument} already has its {timepoint} score in this episode."
OUTCOMES_SAVED = "Thank you: your answers are with your physiotherapist."

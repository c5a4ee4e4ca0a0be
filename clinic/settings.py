"""NeedleTrack settings: one module, driven by the environment.

DJANGO_ENV=production switches on the hardened mode that `manage.py check --deploy` expects.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic.lib.cache import CACHE_TIMEOUT_SECONDS, cache_settings
from clinic.lib.production import DATABASE_URL_REQUIRED
from clinic.lib.security import client_address_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production.")
    SECRET_KEY = "development-only-key-never-used-in-production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "clinic.accounts",
    "clinic.audit",
    "clinic.reports",
    "clinic.lib",
    "clinic.fhir",
    "clinic.outreach",
    "patients",
    "sessions",
    "patients.consent",
    "clinic.demo",
]
if not PRODUCTION:
    # Dataset builder and page timer: development only, and not in the installed package.
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clinic.lib.security.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "clinic.accounts.middleware.IdleSessionMiddleware",
    # Pages show and read times in the signed-in member's clinic's time zone.
    "clinic.accounts.middleware.ClinicTimeZoneMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A pending password change or two-factor code stands before every other page.
    "clinic.accounts.middleware.SignInStepMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every audit entry a request writes carries the request's event id (clinic/audit/events.py).
    "clinic.audit.events.AuditEventMiddleware",
    # django-auditlog's middleware, with the client address the lockout uses (trusted proxies).
    "clinic.audit.middleware.ClientAddressAuditlogMiddleware",
    # Axes must come last so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
ASGI_APPLICATION = "clinic.asgi.application"

# Form widgets through Jinja2 (many-field pages such as the worklist); see clinic/lib/renderers.py.
FORM_RENDERER = "clinic.lib.renderers.WidgetRenderer"
CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "clinic.accounts.context_processors.staff",
    "sessions.context_processors.worklist",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": CONTEXT_PROCESSORS,
            "libraries": {
                "constant_markup": "clinic.lib.constant_markup",
                "form_errors": "clinic.lib.form_errors",
            },
        },
    },
]

if PRODUCTION and not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(DATABASE_URL_REQUIRED)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        # A stale connection (database restarted) is replaced instead of failing a request.
        conn_health_checks=True,
    )
}
PG_JIT_OFF = env_bool("DJANGO_PG_JIT_OFF", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PG_JIT_OFF:
    # Pages and reports run short queries: compiling them (PostgreSQL's JIT) costs more than it
    # saves (docs/performance.md). Off by a startup option, which some poolers refuse; added to
    # any `options` of DATABASE_URL.
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["options"] = f"{database_options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A write transaction takes the write lock when it begins, so a second writer waits for the
    # first (a double submit then finds the first's record) instead of failing on the upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "clinic.accounts.backends.ClinicUserBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "clinic.accounts.validators.PatternPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login lockout: 5 failures for one username from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Two-factor sign-in (django-otp, TOTP): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = "NeedleTrack"
# Behind the TLS proxy every request comes from the proxy: the client's address is read from
# X-Forwarded-For for this many trusted proxies (1 for the documented nginx), never otherwise.
TRUSTED_PROXIES = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "0"))
globals().update(client_address_settings(trusted_proxies=TRUSTED_PROXIES))

# FHIR read API: requests a minute per API token (counted in the database, so across workers).
FHIR_RATE_LIMIT_PER_MINUTE = int(os.environ.get("DJANGO_FHIR_RATE_LIMIT_PER_MINUTE", "120"))

# Idle logoff: the session lives SESSION_IDLE_MINUTES after the last request (its expiry is
# moved at most once a minute: clinic.accounts.middleware), and ends with the browser.
SESSION_IDLE_MINUTES = int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "15"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# The house date and time formats (clinic/formats): "17 Nov 2026", "17 Nov 2026 14:05".
FORMAT_MODULE_PATH = "clinic.formats"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

AUDITLOG_INCLUDE_ALL_MODELS = False
# One id per clinical event, made by the app; a client's X-Correlation-ID header is ignored.
AUDITLOG_CID_GETTER = "clinic.audit.events.current_event_id"

# The patient list's covering index lists non-key columns for PostgreSQL; SQLite builds the
# same index without them, which is all it can use.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Patient links: background jobs, email and text messages (see README, "Patient links").
REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache: each process's memory, or Redis (and sessions read from it) with REDIS_URL.
_cache = cache_settings(
    REDIS_URL,
    timeout=int(os.environ.get("DJANGO_CACHE_TIMEOUT_SECONDS", str(CACHE_TIMEOUT_SECONDS))),
)
CACHES = _cache["CACHES"]
SESSION_ENGINE = _cache["SESSION_ENGINE"]
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Without Redis a job runs in the process that asks for it; cron runs `outreach_jobs`.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-due-check-links": {
        "task": "clinic.outreach.tasks.send_due_check_links",
        "schedule": int(os.environ.get("NEEDLETRACK_LINK_JOB_SECONDS", "300")),
    },
    "mark-missed-followups": {
        "task": "clinic.outreach.tasks.mark_missed_followups",
        "schedule": 3600,
    },
}
# Where patients open their links, as they reach the site.
NEEDLETRACK_PUBLIC_URL = os.environ.get("NEEDLETRACK_PUBLIC_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "needletrack@localhost")
NEEDLETRACK_SMS_BACKEND = os.environ.get(
    "NEEDLETRACK_SMS_BACKEND", "clinic.outreach.sms.ConsoleSMSBackend"
)
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

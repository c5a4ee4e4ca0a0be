"""How a FHIR API request is let in: a staff member's API token (never the login session),
a per-token rate limit, GET only; every refusal an OperationOutcome."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt

from clinic.lib.ratelimit import rate_limit_hit

from ..services.tokens import api_token_authenticate
from .outcome import (
    RATE_LIMITED,
    READ_ONLY,
    TOKEN_INVALID,
    TOKEN_MISSING,
    FhirError,
    error_response,
)

RATE_WINDOW_SECONDS = 60


def _bearer_token(request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise FhirError(401, "login", TOKEN_MISSING)
    return value.strip()


def _refusal(error: FhirError):
    response = error_response(error)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    elif error.status == 429:
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
    elif error.status == 405:
        response["Allow"] = "GET"
    return response


def fhir_api(*, token_required: bool = True) -> Callable:
    """Wrap a FHIR API view. With a token, the view gets `request.fhir_token` (its clinic
    scopes every lookup). The login session is ignored: the API is for other systems."""

    def decorator(view: Callable) -> Callable:
        @login_not_required
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                if request.method not in ("GET", "HEAD"):
                    raise FhirError(405, "not-supported", READ_ONLY)
                if token_required:
                    token = api_token_authenticate(raw=_bearer_token(request))
                    if token is None:
                        raise FhirError(401, "security", TOKEN_INVALID)
                    if rate_limit_hit(
                        key=f"fhir-token:{token.pk}",
                        limit=settings.FHIR_RATE_LIMIT_PER_MINUTE,
                        window=RATE_WINDOW_SECONDS,
                    ):
                        raise FhirError(429, "throttled", RATE_LIMITED)
                    request.fhir_token = token
                return view(request, *args, **kwargs)
            except FhirError as error:
                return _refusal(error)

        # Read by the access-matrix test: these URLs answer to API tokens, not to staff roles.
        wrapped.fhir_api_token_required = token_required
        return wrapped

    return decorator

"""Response headers that keep patient data out of caches and device features out of pages."""

from django.utils.cache import add_never_cache_headers

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"

# The app uses no camera, microphone, location or other device feature: none is granted.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PrivateResponseMiddleware:
    """Every page and export the app answers (static files are served before this) is marked
    `no-store`: a chart, a report or a record export is never kept by the browser's cache,
    its back button after sign-out, or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_address_settings(*, trusted_proxies: int) -> dict[str, object]:
    """django-axes' ipware settings for `trusted_proxies` proxies in front of the app.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    client's address is the one the outermost trusted proxy appended: the `trusted_proxies`-th
    from the right. Whatever a client writes to the left of it is ignored; with no trusted
    proxy the header is ignored altogether and the connection's address counts.
    """
    if trusted_proxies < 1:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        # A request without the header reached the app directly.
        "AXES_IPWARE_META_PRECEDENCE_ORDER": (FORWARDED_FOR, "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # ipware counts the proxies whose addresses are in the header: all but the last.
        "AXES_IPWARE_PROXY_COUNT": trusted_proxies - 1,
        # Extra addresses a client wrote to the left are skipped, not a reason to give up.
        "IPWARE_STRICT": False,
    }

"""Response headers that keep patient data out of caches and device features out of pages."""

from django.utils.cache import add_never_cache_headers

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

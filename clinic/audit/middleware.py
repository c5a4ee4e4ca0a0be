"""The audit trail's request context: who acted, and from which address."""

from auditlog.middleware import AuditlogMiddleware
from axes.helpers import get_client_ip_address
from django.conf import settings


class ClientAddressAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the client's address as the sign-in lockout
    takes it (`clinic.lib.security.client_address_settings`): from X-Forwarded-For only as far
    as the configured trusted proxies vouch for it, else the connection's own address.
    django-auditlog's own takes the first X-Forwarded-For entry, which any client can write."""

    @staticmethod
    def _get_remote_addr(request) -> str | None:
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return get_client_ip_address(request)

    @staticmethod
    def _get_remote_port(request) -> int | None:
        # X-Forwarded-Port is as easy for a client to write: kept only behind a trusted proxy.
        if settings.TRUSTED_PROXIES < 1:
            return None
        return AuditlogMiddleware._get_remote_port(request)

"""API tokens: created by a clinic admin for a member of the clinic, stored hashed, revocable."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.accounts.models import Clinic, User
from clinic.accounts.permissions import Permission, has_permission

from ..models import ApiToken

TOKEN_PREFIX = "ntk_"
TOKEN_NOT_IN_CLINIC = "An API token is for an active member of your clinic."
TOKEN_NEEDS_ADMIN = "Only a clinic admin of the clinic can create or revoke its API tokens."
TOKEN_ALREADY_REVOKED = "This token is already revoked."
# A token's last use is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_hash(raw: str) -> str:
    # The token is 256 random bits: a plain digest is enough (no password stretching needed).
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_admin_of(clinic: Clinic, actor: User) -> None:
    if actor.clinic_id != clinic.pk or not has_permission(actor, Permission.MANAGE_STAFF):
        raise ValidationError(TOKEN_NEEDS_ADMIN)


@transaction.atomic
def api_token_create(
    *, clinic: Clinic, user: User, name: str, created_by: User
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with the raw value, shown once and never stored."""
    _require_admin_of(clinic, created_by)
    if user.clinic_id != clinic.pk or not user.is_active:
        raise ValidationError(TOKEN_NOT_IN_CLINIC)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        clinic=clinic,
        user=user,
        name=name.strip(),
        token_hash=token_hash(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        created_by=created_by,
    )
    token.full_clean()
    token.save()
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User) -> ApiToken:
    _require_admin_of(token.clinic, revoked_by)
    if not token.is_active:
        raise ValidationError(TOKEN_ALREADY_REVOKED)
    token.revoked_at = timezone.now()
    token.revoked_by = revoked_by
    token.full_clean()
    token.save()
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token with this value whose holder may still read the clinic's patients."""
    token = (
        ApiToken.objects.active()
        .select_related("user", "clinic")
        .filter(token_hash=token_hash(raw))
        .first()
    )
    if token is None or token.user.clinic_id != token.clinic_id:
        return None
    if not has_permission(token.user, Permission.VIEW_PATIENTS):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

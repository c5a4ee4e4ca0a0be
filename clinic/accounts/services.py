from datetime import date
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Clinic, Credential, Role, User

CANNOT_DEMOTE_SELF = "You cannot remove your own clinic admin role or deactivate yourself."
LAST_ADMIN = "The clinic needs at least one active clinic admin."


@transaction.atomic
def staff_create(
    *,
    clinic: Clinic,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    user = User(
        clinic=clinic,
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # The clinic admin chose this password: the new member replaces it at first sign-in.
        must_change_password=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def staff_update(
    *,
    actor: User,
    member: User,
    role: str,
    is_active: bool,
    first_name: str,
    last_name: str,
    email: str,
    must_change_password: bool = False,
) -> User:
    stored = User.objects.select_for_update().get(pk=member.pk)
    loses_admin = stored.role == Role.CLINIC_ADMIN and (role != Role.CLINIC_ADMIN or not is_active)
    if member.pk == actor.pk and loses_admin:
        raise ValidationError(CANNOT_DEMOTE_SELF)
    if loses_admin:
        other_admins = (
            User.objects.for_clinic(member.clinic)
            .filter(role=Role.CLINIC_ADMIN, is_active=True)
            .exclude(pk=member.pk)
            .select_for_update()
        )
        if not other_admins.exists():
            raise ValidationError(LAST_ADMIN)
    member.role = role
    member.is_active = is_active
    member.first_name = first_name
    member.last_name = last_name
    member.email = email
    member.must_change_password = must_change_password
    member.full_clean()
    member.save()
    return member


NOT_CLINIC_ADMIN = "Only a clinic admin of the therapist's clinic can record their credentials."
COMPLETED_IN_FUTURE = "The date completed cannot be in the future."
CREDENTIAL_FIELDS = ("course", "hours", "completed_on", "jurisdiction", "valid_until")


def _check_credential_manager(actor: User, holder: User) -> None:
    if actor.role != Role.CLINIC_ADMIN or actor.clinic_id is None:
        raise ValidationError(NOT_CLINIC_ADMIN)
    if actor.clinic_id != holder.clinic_id:
        raise ValidationError(NOT_CLINIC_ADMIN)


def _save_credential(credential: Credential) -> Credential:
    if credential.completed_on and credential.completed_on > timezone.localdate():
        raise ValidationError({"completed_on": COMPLETED_IN_FUTURE})
    credential.course = credential.course.strip()
    credential.jurisdiction = credential.jurisdiction.strip()
    credential.full_clean()
    credential.save()
    return credential


@transaction.atomic
def credential_add(
    *,
    actor: User,
    holder: User,
    course: str,
    hours: int,
    completed_on: date,
    jurisdiction: str,
    valid_until: date | None = None,
) -> Credential:
    """Record a staff member's dry-needling training or qualification."""
    _check_credential_manager(actor, holder)
    return _save_credential(
        Credential(
            holder=holder,
            course=course,
            hours=hours,
            completed_on=completed_on,
            jurisdiction=jurisdiction,
            valid_until=valid_until,
        )
    )


@transaction.atomic
def credential_update(*, actor: User, credential: Credential, **fields: Any) -> Credential:
    """Correct or renew a credential (e.g. a new expiry date after a refresher course)."""
    _check_credential_manager(actor, credential.holder)
    for name in CREDENTIAL_FIELDS:
        if name in fields:
            setattr(credential, name, fields[name])
    return _save_credential(credential)

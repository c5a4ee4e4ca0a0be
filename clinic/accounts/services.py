from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Clinic, Role, User

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

"""Passwords and two-factor sign-in: what a signed-in member must do before any other page.

The steps, in order: a member with an authenticator app enters its code; a member whose
password was chosen by a clinic admin (or who was asked for a new one) sets their own; a
clinic admin of a clinic that requires two-factor sign-in sets up an authenticator app. Until
then only that step's page (and signing out) answers: a password alone reaches nothing else.
"""

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import TextChoices
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "Authenticator app"


class SignInStep(TextChoices):
    VERIFY = "mfa_verify", "Enter the code from your authenticator app."
    CHANGE_PASSWORD = "password_change", "Choose your own password before you go on."
    SET_UP_MFA = "mfa_setup", "Your clinic asks clinic admins to use two-factor sign-in: set it up."


# What sign-in found about two-factor sign-in, kept in the session so that pages ask no query.
MFA_SESSION_KEY = "_mfa_step"


def remember_mfa_step(sender, request, user: User, **kwargs) -> None:
    """At sign-in (`user_logged_in`): does this member enter a code, or set up an app?"""
    if user_has_device(user):
        request.session[MFA_SESSION_KEY] = SignInStep.VERIFY
    elif user.mfa_required:
        request.session[MFA_SESSION_KEY] = SignInStep.SET_UP_MFA
    else:
        request.session.pop(MFA_SESSION_KEY, None)


def sign_in_step(user: User, *, session, verified: bool) -> SignInStep | None:
    """The step the signed-in `user` must take next (`verified`: their code was entered in
    this session), or None when every page their role allows is open to them."""
    mfa_step = session.get(MFA_SESSION_KEY)
    if mfa_step == SignInStep.VERIFY and not verified:
        return SignInStep.VERIFY
    if user.must_change_password:
        return SignInStep.CHANGE_PASSWORD
    if mfa_step == SignInStep.SET_UP_MFA:
        return SignInStep.SET_UP_MFA
    return None


@transaction.atomic
def password_change(*, member: User, password: str) -> User:
    validate_password(password, member)
    member.set_password(password)
    member.must_change_password = False
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def mfa_device_start(*, member: User) -> TOTPDevice:
    """The member's authenticator app being set up: one unconfirmed device, kept until its
    first code is entered, so reloading the page shows the same key."""
    device = TOTPDevice.objects.devices_for_user(member, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=member, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def mfa_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm the app with its first code; False (nothing changed) if the code is wrong."""
    if device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True

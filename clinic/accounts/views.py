from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import credentials, services
from .forms import (
    CredentialForm,
    LoginForm,
    OwnPasswordForm,
    StaffCreateForm,
    StaffUpdateForm,
    TokenForm,
)
from .models import CREDENTIAL_EXPIRY_WARNING_DAYS, Credential, Role, User
from .permissions import Permission, role_required

PASSWORD_CHANGED = "Your password is changed."
MFA_ALREADY_ON = "Two-factor sign-in is already on for you."
MFA_TURNED_ON = "Two-factor sign-in is on: each sign-in now asks for a code from your app."
MFA_CODE_WRONG = "That code is not right (or has expired): enter the current one."


class SignInView(LoginView):
    """Django's sign-in, telling staff when an idle session ends."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(idle_minutes=settings.SESSION_IDLE_MINUTES, **kwargs)


@require_GET
@role_required(Permission.MANAGE_STAFF)
def staff_list(request):
    staff = list(
        User.objects.for_clinic(request.user.clinic)
        .with_credential_status(timezone.localdate())
        .order_by("-is_active", "last_name")
    )
    expiring = [
        m for m in staff if m.is_active and m.credential_current and not m.credential_lasting
    ]
    return render(
        request,
        "accounts/staff_list.html",
        {
            "staff": staff,
            "expiring": expiring,
            "warning_days": CREDENTIAL_EXPIRY_WARNING_DAYS,
            "therapist_role": Role.THERAPIST,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_STAFF)
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_create(clinic=request.user.clinic, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("password" if hasattr(error, "error_list") else None, error)
        else:
            messages.success(request, f"{member} can now sign in as {member.username}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "title": "Add staff member"})


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_STAFF)
def staff_edit(request, pk: int):
    member = get_object_or_404(User.objects.for_clinic(request.user.clinic), pk=pk)
    form = StaffUpdateForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {member}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "title": f"Edit {member}"})


@require_http_methods(["GET", "POST"])
def password_change(request):
    """Every member changes their own password here, and sets one at the first sign-in."""
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = credentials.password_change(
            member=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, member)
        messages.success(request, PASSWORD_CHANGED)
        return redirect("home")
    context = {
        "form": form,
        "title": "Change password",
        "mfa_status": "on" if user_has_device(request.user) else "off",
    }
    return render(request, "accounts/account_form.html", context)


@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Two-factor sign-in: the member scans the key into an authenticator app and enters its
    first code."""
    if user_has_device(request.user):
        messages.info(request, MFA_ALREADY_ON)
        return redirect("home")
    device = credentials.mfa_device_start(member=request.user)
    form = TokenForm(request.POST or None, submit="Turn on two-factor sign-in")
    if request.method == "POST" and form.is_valid():
        if credentials.mfa_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            request.session[credentials.MFA_SESSION_KEY] = credentials.SignInStep.VERIFY
            messages.success(request, MFA_TURNED_ON)
            return redirect("home")
        form.add_error("token", MFA_CODE_WRONG)
    context = {
        "form": form,
        "title": "Set up two-factor sign-in",
        "qr_code": segno.make(device.config_url).svg_data_uri(scale=4),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/account_form.html", context)


@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of signing in for a member with an authenticator app."""
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None or request.user.is_verified():
        return redirect("home")
    form = TokenForm(request.POST or None, submit="Sign in")
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect("home")
        form.add_error("token", MFA_CODE_WRONG)
    return render(
        request, "accounts/account_form.html", {"form": form, "title": "Two-factor sign-in"}
    )


def _clinic_member(request, pk: int) -> User:
    return get_object_or_404(User.objects.for_clinic(request.user.clinic), pk=pk)


@require_GET
@role_required(Permission.MANAGE_STAFF)
def credential_list(request, pk: int):
    member = _clinic_member(request, pk)
    credentials = list(member.credentials.all())
    today = timezone.localdate()
    return render(
        request,
        "accounts/credential_list.html",
        {
            "member": member,
            "title": f"Dry-needling credentials of {member}",
            "credentials": credentials,
            "current": [c for c in credentials if c.is_current_on(today)],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_STAFF)
def credential_create(request, pk: int):
    member = _clinic_member(request, pk)
    form = CredentialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_add(actor=request.user, holder=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Credential recorded for {member}.")
            return redirect("accounts:credential_list", member.pk)
    title = f"Add a dry-needling credential for {member}"
    return render(request, "accounts/staff_form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@role_required(Permission.MANAGE_STAFF)
def credential_edit(request, pk: int):
    credential = get_object_or_404(
        Credential.objects.for_clinic(request.user.clinic).select_related("holder"), pk=pk
    )
    form = CredentialForm(request.POST or None, instance=credential)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_update(
                actor=request.user, credential=credential, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Credential of {credential.holder} saved.")
            return redirect("accounts:credential_list", credential.holder_id)
    title = f"Edit credential of {credential.holder}"
    return render(request, "accounts/staff_form.html", {"form": form, "title": title})

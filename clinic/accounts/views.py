from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .forms import LoginForm, StaffCreateForm, StaffUpdateForm
from .models import User
from .permissions import Permission, role_required


class SignInView(LoginView):
    """Django's sign-in, telling staff when an idle session ends."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(idle_minutes=settings.SESSION_IDLE_MINUTES, **kwargs)


@require_GET
@role_required(Permission.MANAGE_STAFF)
def staff_list(request):
    staff = User.objects.for_clinic(request.user.clinic).order_by("-is_active", "last_name")
    return render(request, "accounts/staff_list.html", {"staff": staff})


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

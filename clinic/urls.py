from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .accounts.views import SignInView, mfa_setup, mfa_verify, password_change

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path("accounts/two-factor/", mfa_setup, name="mfa_setup"),
    path("accounts/two-factor/verify/", mfa_verify, name="mfa_verify"),
    path("staff/", include("clinic.accounts.urls")),
    path("patients/", include("patients.urls")),
    path("sessions/", include("sessions.urls")),
    path("consent/", include("patients.consent.urls")),
    path("audit/", include("clinic.audit.urls")),
    # Patients' own pages, opened by a link's token (no login).
    path("p/", include("clinic.outreach.patient_urls")),
    path("outreach/", include("clinic.outreach.urls")),
    path("", include("clinic.reports.urls")),
    path("", include("clinic.fhir.urls.pages")),
    path("fhir/", include("clinic.fhir.urls.api")),
    path("admin/", admin.site.urls),
]

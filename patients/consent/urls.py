from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("form/", views.consent_form_edit, name="form"),
    path("patients/<int:pk>/sign/", views.consent_sign, name="sign"),
    path("<int:pk>/", views.consent_detail, name="detail"),
    path("<int:pk>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<int:pk>/pdf/", views.consent_pdf, name="pdf"),
]

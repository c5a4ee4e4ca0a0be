from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("patients/<int:pk>/", views.patient_audit, name="patient"),
    path("patients/<int:pk>/export.json", views.patient_export, name="patient_export"),
]

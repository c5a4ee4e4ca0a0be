from django.urls import path, re_path

from ..views import api

app_name = "fhir_api"

urlpatterns = [
    path("metadata", api.metadata, name="metadata"),
    path("Patient", api.patient_search, name="patient_search"),
    path("Patient/<str:patient_id>", api.patient_read, name="patient_read"),
    path("Patient/<str:patient_id>/$everything", api.patient_everything, name="patient_everything"),
    # Anything else under /fhir/ is a resource or operation this server does not offer.
    re_path(r"^(?P<path>[\s\S]*)$", api.unknown, name="unknown"),
]

from django.urls import path

from ..views import pages

app_name = "fhir"

urlpatterns = [
    path("patients/<int:pk>/fhir.json", pages.patient_bundle, name="patient_bundle"),
    path("staff/api-tokens/", pages.token_list, name="token_list"),
    path("staff/api-tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]

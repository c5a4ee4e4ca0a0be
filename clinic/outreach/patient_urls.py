from django.urls import path

from .views import patient

app_name = "patient_link"

urlpatterns = [
    path("<slug:token>/", patient.link_open, name="open"),
]

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/screening/", views.screening, name="screening"),
    path("reports/safety/", views.safety, name="safety"),
    path("reports/followup/", views.followup, name="followup"),
    path("reports/outcomes/", views.outcomes, name="outcomes"),
    path("reports/outcome-card/", views.outcome_card, name="outcome_card"),
    path("reports/sessions/", views.sessions_export, name="sessions_export"),
]

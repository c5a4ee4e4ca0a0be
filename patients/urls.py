from django.urls import path

from .views import episode as episode_views
from .views import patient as views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("<int:pk>/restore/", views.patient_restore, name="restore"),
    path("<int:pk>/screenings/new/", views.screening_create, name="screening_create"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening_detail"),
    path("<int:pk>/episodes/new/", episode_views.episode_create, name="episode_create"),
    path("episodes/<int:pk>/", episode_views.episode_detail, name="episode_detail"),
    path("episodes/<int:pk>/summary/", episode_views.episode_summary, name="episode_summary"),
    path("episodes/<int:pk>/discharge/", episode_views.episode_discharge, name="episode_discharge"),
    path(
        "episodes/<int:pk>/outcomes/<slug:instrument>/",
        episode_views.outcome_create,
        name="outcome_create",
    ),
]

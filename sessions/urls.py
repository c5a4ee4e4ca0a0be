from django.urls import include, path

from . import followup_views, views

app_name = "treatment_sessions"

urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.session_create, name="create"),
    path("site-row/", views.site_row, name="site_row"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/sign/", views.session_sign, name="sign"),
    path("<int:pk>/addenda/", views.addendum_create, name="addendum_create"),
    path("", include("sessions.plan_urls")),
    path("worklist/", followup_views.worklist, name="worklist"),
    path("followups/<int:pk>/record/", followup_views.followup_record, name="followup_record"),
    path(
        "<int:pk>/adverse-events/new/",
        followup_views.adverse_event_create,
        name="adverse_event_create",
    ),
    path(
        "adverse-events/<int:pk>/",
        followup_views.adverse_event_detail,
        name="adverse_event_detail",
    ),
    path(
        "adverse-events/<int:pk>/confirm/",
        followup_views.adverse_event_confirm,
        name="adverse_event_confirm",
    ),
    path(
        "adverse-events/<int:pk>/dismiss/",
        followup_views.adverse_event_dismiss,
        name="adverse_event_dismiss",
    ),
]

from django.urls import path

from .views import followup as followup_views
from .views import needling as views
from .views import plans as plan_views
from .views import worklist as worklist_views

app_name = "treatment_sessions"

urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.session_create, name="create"),
    path("site-row/", views.site_row, name="site_row"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/sign/", views.session_sign, name="sign"),
    path("<int:pk>/addenda/", views.addendum_create, name="addendum_create"),
    path("patients/<int:patient_pk>/plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/suggestions/", plan_views.plan_suggestions, name="plan_suggestions"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/handout/", plan_views.plan_handout, name="plan_handout"),
    path("plans/<int:pk>/adherence/", plan_views.adherence_create, name="adherence_create"),
    path("plans/<int:pk>/end/", plan_views.plan_end, name="plan_end"),
    path("plan-items/<int:pk>/progress/", plan_views.plan_item_progress, name="plan_item_progress"),
    path("worklist/", worklist_views.worklist, name="worklist"),
    path("followups/<int:pk>/", followup_views.followup_form, name="followup_form"),
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

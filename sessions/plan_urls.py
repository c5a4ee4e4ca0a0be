"""Strengthening plans; included from sessions/urls.py, so names are treatment_sessions:plan_*."""

from django.urls import path

from . import plan_views

urlpatterns = [
    path("patients/<int:patient_pk>/plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/suggestions/", plan_views.plan_suggestions, name="plan_suggestions"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/handout/", plan_views.plan_handout, name="plan_handout"),
    path("plans/<int:pk>/adherence/", plan_views.adherence_create, name="adherence_create"),
    path("plans/<int:pk>/end/", plan_views.plan_end, name="plan_end"),
    path("plan-items/<int:pk>/progress/", plan_views.plan_item_progress, name="plan_item_progress"),
]

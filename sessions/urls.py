from django.urls import path

from . import views

app_name = "treatment_sessions"

urlpatterns = [
    path("patients/<int:patient_pk>/new/", views.session_create, name="create"),
    path("site-row/", views.site_row, name="site_row"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/sign/", views.session_sign, name="sign"),
    path("<int:pk>/addenda/", views.addendum_create, name="addendum_create"),
]

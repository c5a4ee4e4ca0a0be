from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.staff_create, name="staff_create"),
    path("<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/credentials/", views.credential_list, name="credential_list"),
    path("<int:pk>/credentials/new/", views.credential_create, name="credential_create"),
    path("credentials/<int:pk>/edit/", views.credential_edit, name="credential_edit"),
]

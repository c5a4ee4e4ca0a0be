from django.urls import path

from .views import staff

app_name = "outreach"

urlpatterns = [
    path("checks/<int:pk>/send/", staff.check_link_send, name="check_link_send"),
    path("plans/<int:pk>/send/", staff.plan_link_send, name="plan_link_send"),
    path("episodes/<int:pk>/send/", staff.outcome_link_send, name="outcome_link_send"),
    path("links/<int:pk>/revoke/", staff.link_revoke_view, name="link_revoke"),
]

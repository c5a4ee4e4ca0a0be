from django.contrib.auth.backends import ModelBackend

from .models import User


class ClinicUserBackend(ModelBackend):
    """Django's username and password sign-in; the signed-in user comes with their clinic in
    the same query, as every page scopes its records to that clinic."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("clinic").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

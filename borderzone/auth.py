"""The authentication backend: Django's, loading the officer and his unit with the user.

Every page needs them (the access choke point, the menu, the inbox badge); loaded with the user
they cost no query of their own.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OfficerModelBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            # The officer row is optional (administrators may have none): a LEFT JOIN.
            user = model._default_manager.select_related("officer__unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

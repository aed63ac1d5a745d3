"""The authentication backends, with the user of a session kept between requests."""

from allauth.account import auth_backends
from django.contrib.auth import backends

from hilfenetz.core import page_cache


class KeptUser:
    """Every request of a logged-in person loads their user: kept under their id by the data
    version of the users' table (``page_cache.per_person``), so a change to any account — a new
    password, a deactivation, an erasure — counts on the next request; Django still checks the
    session against the password's hash on each."""

    def get_user(self, user_id):
        return page_cache.per_person(
            "user", user_id, lambda: super(KeptUser, self).get_user(user_id), "accounts.User"
        )


class ModelBackend(KeptUser, backends.ModelBackend):
    pass


class AuthenticationBackend(KeptUser, auth_backends.AuthenticationBackend):
    pass

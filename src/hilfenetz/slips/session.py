"""The restricted session of a person holding a slip.

Entering the code logs nobody in: the session only remembers which slip it is for (and that
slip's code digest, so a new code or a revocation ends it). ``request.user`` stays anonymous,
so every page behind a login (profile, "my listings", the admin, the API) stays closed; the
slip's own pages (slips/views.py) ask :func:`current_slip` on every request.
"""

from django.contrib.auth import logout

from hilfenetz.slips.models import Slip

KEY = "slips.slip"


def begin(request, slip: Slip) -> None:
    if request.user.is_authenticated:
        logout(request)  # one browser, one person: a slip never mixes with an account
    request.session.cycle_key()
    request.session[KEY] = [slip.pk, slip.code_digest]


def current_slip(request) -> Slip | None:
    """The active slip of this session, or None (and the session forgets an ended one)."""
    held = request.session.get(KEY)
    if not held:
        return None
    slip = Slip.objects.filter(pk=held[0], code_digest=held[1]).first()
    if slip is None or not slip.is_active():
        end(request)
        return None
    return slip


def end(request) -> None:
    request.session.pop(KEY, None)

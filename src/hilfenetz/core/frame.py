"""What the layout (``base.html``) shows of its viewer: the menu and footer by the answers to a
few rules, and what the apps add (the standards notice). Everyone with the same answers sees
the same layout, so its parts are kept for them all (``{% keep %}``,
``page_cache.render_around``)."""

from hilfenetz.core.predicates import allowed
from hilfenetz.core.scoping import coordinator_scope

# The rules whose answers the frame shows (its menu and footer): people who get the same
# answers, and coordinate the same scope, see the same frame (core/tests/test_frame.py checks
# that the frame asks no other rule).
FRAME_RULES = ("core.moderation_queue", "figures.view", "admin.enter")


def viewer(user) -> str:
    """Who the frame is for, as the key of what it shows of them: "visitor", or a person's
    answers to ``FRAME_RULES`` with the scope whose moderation queue they see."""
    if user is None or not user.is_authenticated:
        return "visitor"
    answers = tuple(allowed(rule, user) for rule in FRAME_RULES)
    return repr((answers, coordinator_scope(user).key if answers[0] else None))


# What else the layout shows of its viewer outside its kept parts, added by the apps whose
# tags it holds (their AppConfig.ready): functions of the request, such as the standards notice.
_shown = []


def shows(part) -> None:
    """``part(request)``: something more the layout shows of the viewer (a notice due)."""
    if part not in _shown:
        _shown.append(part)


def page_viewer(request) -> tuple:
    """All that the layout shows of the request's viewer: their frame and what the apps add
    (``shows``)."""
    return (viewer(request.user), *(part(request) for part in _shown))

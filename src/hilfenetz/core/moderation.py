"""One moderation queue for every app: the help exchange's page shows its own listings and
reports and, below them, the sections other apps register here (e.g. the board reports of
the networking platform), each scoped by the app's ``coordinated_by``."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    items: Callable  # (user) -> a sliceable sequence of open reports in the user's scope


_SECTIONS: dict[str, Section] = {}


def register(name: str, *, template: str, items: Callable) -> None:
    _SECTIONS[name] = Section(template, items)


def sections(user, limit: int = 100) -> list[tuple[str, list]]:
    """``(template, items)`` of every registered section, for ``user``."""
    return [(s.template, list(s.items(user)[:limit])) for _name, s in sorted(_SECTIONS.items())]

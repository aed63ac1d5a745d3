"""One moderation queue for every app: the help exchange's page shows its own listings and
reports and, below them, the sections other apps register here (e.g. the board reports of
the networking platform), each scoped by the app's ``coordinated_by``. The navigation shows
how many things wait in all of them (:func:`waiting`)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.scoping import ScopedQuerySet


class ReportQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """What every app's report of a post keeps: who reported it, why, and who closed it."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-created_at"]


@dataclass(frozen=True)
class Section:
    template: str | None  # None: the queue's page shows these itself (the help exchange's)
    items: Callable  # (user) -> a queryset of what waits for the user, in their scope


_SECTIONS: dict[str, Section] = {}


def register(name: str, *, items: Callable, template: str | None = None) -> None:
    _SECTIONS[name] = Section(template, items)


def sections(user, limit: int = 100) -> list[tuple[str, list]]:
    """``(template, items)`` of every section the page shows below its own, for ``user``."""
    return [
        (s.template, list(s.items(user)[:limit]))
        for _name, s in sorted(_SECTIONS.items())
        if s.template is not None
    ]


def waiting(user) -> int:
    """How many things wait for ``user`` in every section, counted in one query."""
    keys = [s.items(user).order_by().values_list("pk") for _name, s in sorted(_SECTIONS.items())]
    first, *others = keys
    return first.union(*others, all=True).count()

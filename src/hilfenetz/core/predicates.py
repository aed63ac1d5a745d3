"""Composable permission predicates.

A predicate answers ``(user, obj) -> bool``; combine them with ``&``, ``|`` and ``~``. Rules are
registered under a name once (in each app's ``rules.py``) and asked through :func:`allowed`
by views, templates (``{% allowed "rule" obj as ok %}``), the admin and the API alike.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

Check = Callable[[Any, Any], bool]


class Predicate:
    def __init__(self, check: Check, name: str | None = None):
        self.check = check
        self.name = name or getattr(check, "__name__", "predicate")

    def __call__(self, user, obj=None) -> bool:
        return bool(self.check(user, obj))

    def __and__(self, other: "Predicate") -> "Predicate":
        return Predicate(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __or__(self, other: "Predicate") -> "Predicate":
        return Predicate(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __invert__(self) -> "Predicate":
        return Predicate(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(check: Check) -> Predicate:
    return Predicate(check)


always = Predicate(lambda u, o: True, "always")

_RULES: dict[str, Predicate] = {}


def rule(name: str, pred: Predicate) -> Predicate:
    if name in _RULES and _RULES[name] is not pred:
        raise ValueError(f"rule {name!r} is defined twice")
    _RULES[name] = pred
    return pred


def allowed(name: str, user, obj=None) -> bool:
    try:
        pred = _RULES[name]
    except KeyError:
        raise KeyError(f"unknown rule {name!r}") from None
    return pred(user, obj)


def require(name: str, user, obj=None) -> None:
    """``allowed``, or PermissionDenied (403) for views and services alike."""
    if not allowed(name, user, obj):
        raise PermissionDenied


def rule_names() -> list[str]:
    return sorted(_RULES)

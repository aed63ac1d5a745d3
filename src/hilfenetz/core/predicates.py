"""Composable permission predicates, each usable both ways.

A predicate answers ``(user, obj) -> bool`` for one object and, where it declares a query,
``(user, model) -> Q`` for all rows at once; combine them with ``&``, ``|`` and ``~`` and both
answers combine alike. Rules are registered under a name once (in each app's ``rules.py``) and
asked through :func:`allowed` by views, templates (``{% allowed "rule" obj as ok %}``), the
admin and the API alike; a rule registered with its ``model`` also filters rows
(:func:`permitted`), so a list never shows what the detail page would refuse
(``core/tests/test_rule_queries.py`` checks both answers against each other for every role).
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q

Check = Callable[[Any, Any], bool]
Query = Callable[[Any, Any], Q]

# Every row and no row (not an empty Q(), which vanishes in an "or"), told apart from other
# conditions so that composing them leaves nothing useless in the SQL: an "or" with no row is
# the other side, an "and" with every row too.
EVERY = Q(pk__isnull=False)
NOTHING = Q(pk__in=[])


def _or(a: Q, b: Q) -> Q:
    if a is EVERY or b is EVERY:
        return EVERY
    if a is NOTHING:
        return b
    return a if b is NOTHING else a | b


def _and(a: Q, b: Q) -> Q:
    if a is NOTHING or b is NOTHING:
        return NOTHING
    if a is EVERY:
        return b
    return a if b is EVERY else a & b


def _not(a: Q) -> Q:
    if a is EVERY:
        return NOTHING
    return EVERY if a is NOTHING else ~a


class NoQuery(TypeError):
    """The predicate answers for single objects only."""


class Predicate:
    def __init__(self, check: Check, name: str | None = None, query: Query | None = None):
        self.check = check
        self.name = name or getattr(check, "__name__", "predicate")
        self._query = query

    def __call__(self, user, obj=None) -> bool:
        return bool(self.check(user, obj))

    def filters(self, query: Query) -> Query:
        """Declare (as a decorator) the rows of ``model`` this predicate holds for."""
        self._query = query
        return query

    def q(self, user, model) -> Q:
        """The rows of ``model`` for which this predicate holds, as one condition."""
        if self._query is None:
            raise NoQuery(f"the predicate {self.name} declares no query")
        return self._query(user, model)

    def __and__(self, other: "Predicate") -> "Predicate":
        return Predicate(
            lambda u, o: self(u, o) and other(u, o),
            f"({self.name} & {other.name})",
            lambda u, m: _and(self.q(u, m), other.q(u, m)),
        )

    def __or__(self, other: "Predicate") -> "Predicate":
        return Predicate(
            lambda u, o: self(u, o) or other(u, o),
            f"({self.name} | {other.name})",
            lambda u, m: _or(self.q(u, m), other.q(u, m)),
        )

    def __invert__(self) -> "Predicate":
        return Predicate(
            lambda u, o: not self(u, o), f"~{self.name}", lambda u, m: _not(self.q(u, m))
        )

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(check: Check) -> Predicate:
    return Predicate(check)


def person_predicate(check: Check) -> Predicate:
    """A predicate about the person alone (a role): it holds for every row or for none."""
    return Predicate(check, query=lambda u, m: EVERY if check(u, None) else NOTHING)


always = Predicate(lambda u, o: True, "always", lambda u, m: EVERY)

_RULES: dict[str, Predicate] = {}
_MODELS: dict[str, tuple[str, ...]] = {}


def rule(name: str, pred: Predicate, *, model: str | tuple[str, ...] = ()) -> Predicate:
    """Register ``pred`` as the rule ``name``; with ``model`` ("app_label.Model", or several
    when the rule is asked of objects of several kinds) it also selects those rows
    (:func:`permitted`)."""
    if name in _RULES and _RULES[name] is not pred:
        raise ValueError(f"rule {name!r} is defined twice")
    _RULES[name] = pred
    if model:
        _MODELS[name] = (model,) if isinstance(model, str) else tuple(model)
    return pred


def _rule(name: str) -> Predicate:
    try:
        return _RULES[name]
    except KeyError:
        raise KeyError(f"unknown rule {name!r}") from None


def allowed(name: str, user, obj=None) -> bool:
    return _rule(name)(user, obj)


def require(name: str, user, obj=None) -> None:
    """``allowed``, or PermissionDenied (403) for views and services alike."""
    if not allowed(name, user, obj):
        raise PermissionDenied


def rule_model(name: str):
    """The model whose rows the rule ``name`` selects (the first of several), or None."""
    labels = _MODELS.get(name)
    return apps.get_model(labels[0]) if labels else None


def rule_q(name: str, user, model=None) -> Q:
    """The rows the rule ``name`` allows ``user``, as one condition on ``model`` (by default
    the model the rule was registered with)."""
    model = model or rule_model(name)
    if model is None:
        raise NoQuery(f"the rule {name!r} names no model")
    return _rule(name).q(user, model)


def permitted(name: str, user, queryset=None):
    """The rows of ``queryset`` (by default all of the rule's model) that the rule ``name``
    allows ``user``: the same answer as :func:`allowed` for each of them."""
    if queryset is None:
        queryset = rule_model(name)._default_manager.all()
    return queryset.filter(rule_q(name, user, queryset.model))


def rule_names() -> list[str]:
    return sorted(_RULES)


def listed_rules() -> dict[str, tuple[str, ...]]:
    """``{rule name: model labels}`` of the rules that select rows."""
    return dict(_MODELS)

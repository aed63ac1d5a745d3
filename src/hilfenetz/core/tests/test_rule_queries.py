"""A rule answers the same for a list as for each object: for every role, the rows a rule
selects (``permitted``, which ``visible_to``, ``editable_by`` and the admin's rows are) are
exactly the objects it allows one at a time (``allowed``, which detail pages ask)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from hilfenetz.core.admin_base import RuleAdmin
from hilfenetz.core.admin_site import admin_site
from hilfenetz.core.predicates import allowed, listed_rules, permitted
from hilfenetz.core.tests.access import ROLES


def _answers(name, model, user):
    rows = set(permitted(name, user, model._default_manager.all()).values_list("pk", flat=True))
    one_by_one = {obj.pk for obj in model._default_manager.all() if allowed(name, user, obj)}
    return rows, one_by_one


def test_every_listed_rule_selects_what_it_allows(world, variety):
    rules = listed_rules()
    assert {"exchange.view_listing", "media.view_item", "network.view_meeting"} <= set(rules)
    for name, labels in sorted(rules.items()):
        sizes = {label: set() for label in labels}
        for label in labels:
            model = apps.get_model(label)
            for role in ROLES:
                user = world.users[role] or AnonymousUser()
                rows, one_by_one = _answers(name, model, user)
                assert rows == one_by_one, (
                    f"{name} on {label} for {role}: listed but refused "
                    f"{sorted(rows - one_by_one)}, allowed but not listed "
                    f"{sorted(one_by_one - rows)}"
                )
                sizes[label].add(len(rows))
        # the objects tell the roles apart, so a rule that ignored the person would fail
        assert any(len(counts) > 1 for counts in sizes.values()), f"{name}: {sizes}"


def _rule_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin_site._registry.items()
        if isinstance(model_admin, RuleAdmin)
    ]


@pytest.mark.parametrize(
    ("model", "model_admin"), _rule_admins(), ids=lambda v: getattr(v, "__name__", "")
)
def test_admin_rows_are_the_objects_it_shows(world, variety, model, model_admin):
    """The admin's list of a model holds exactly the objects its change page opens."""
    for role in ROLES:
        user = world.users[role] or AnonymousUser()
        request = RequestFactory().get("/")
        request.user = user
        if not model_admin.has_module_permission(request):
            continue
        rows = set(model_admin.get_queryset(request).values_list("pk", flat=True))
        opens = {
            obj.pk
            for obj in model._default_manager.all()
            if model_admin.has_view_permission(request, obj)
        }
        assert rows == opens, (
            f"{model.__name__} for {role}: listed but refused {sorted(rows - opens)}, "
            f"shown but not listed {sorted(opens - rows)}"
        )

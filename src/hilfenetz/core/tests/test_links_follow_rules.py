"""No page offers what its target refuses: for every role and every page of the access matrix
it may open, each link (and form) to an object's page points at an object the rule of that
page allows, and every object an API list returns passes the rule of its detail page. The
world carries objects in every status and of every kind of owner (``variety``)."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import Resolver404, resolve, reverse

from hilfenetz.core.predicates import allowed
from hilfenetz.core.tests.access import ROLES, all_cases
from hilfenetz.exchange.models import Listing
from hilfenetz.media.models import MediaItem
from hilfenetz.network.models import Meeting

#: URL name -> (the rule its view asks, the model, the URL argument and the field it names)
TARGETS = {
    "exchange:detail": ("exchange.view_listing", Listing, "pk"),
    "exchange:edit": ("exchange.edit_listing", Listing, "pk"),
    "exchange:answers": ("exchange.view_answers", Listing, "pk"),
    "exchange:moderate": ("exchange.moderate", Listing, "pk"),
    "media:detail": ("media.view_item", MediaItem, "slug"),
    "media:edit": ("media.edit_item", MediaItem, "slug"),
    "network:meeting": ("network.view_meeting", Meeting, "pk"),
    "network:meeting_edit": ("network.manage_meeting", Meeting, "pk"),
    "network:meeting_review": ("network.review_meeting", Meeting, "pk"),
    "network:minutes": ("network.view_minutes", Meeting, "pk"),
}

#: API lists -> (the detail rule, the model, the field of each entry and of the model)
API_LISTS = {
    "api-v1:list_listings": ("exchange.view_listing", Listing, "id", "pk"),
    "api-v1:list_media": ("media.view_item", MediaItem, "slug", "slug"),
    "api-v1:list_meetings": ("network.view_meeting", Meeting, "id", "pk"),
}

PAGES = [case for case in all_cases() if case.method == "GET" and case.data is None]
LINK = re.compile(r'(?:href|action|hx-get|hx-post)="([^"]+)"')


def _targets(html: str):
    for raw in LINK.findall(html):
        parts = urlsplit(unescape(raw))
        if parts.netloc or not parts.path.startswith("/"):
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.view_name in TARGETS:
            yield match.view_name, match.kwargs


def _check_page(response, user, role, path):
    offered = 0
    for view_name, kwargs in _targets(response.content.decode()):
        rule, model, argument = TARGETS[view_name]
        obj = model._default_manager.get(**{argument: kwargs[argument]})
        assert allowed(rule, user, obj), f"{role} on {path} is offered {view_name} {kwargs}"
        offered += 1
    return offered


def _check_api_list(response, user, role, url_name):
    rule, model, key, field = API_LISTS[url_name]
    entries = response.json()
    entries = entries.get("items", entries) if isinstance(entries, dict) else entries
    for entry in entries:
        obj = model._default_manager.get(**{field: entry[key]})
        assert allowed(rule, user, obj), f"{role}: {url_name} lists {entry[key]}"
    return len(entries)


@pytest.mark.parametrize("role", ROLES)
def test_pages_offer_only_what_their_targets_allow(client, world, variety, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    else:
        user = AnonymousUser()
    offered = listed = 0
    for case in PAGES:
        if case.expect[role] != 200:
            continue
        path = case.path(world)
        response = client.get(path)
        assert response.status_code == 200, f"{role} on {path}: {response.status_code}"
        if case.url_name in API_LISTS:
            listed += _check_api_list(response, user, role, case.url_name)
        elif response["Content-Type"].startswith("text/html"):
            offered += _check_page(response, user, role, path)
    # the pages and lists did offer objects, so the checks above had something to refuse
    assert offered and listed, (offered, listed)


#: An edit rule -> the pages that list what one manages (a role that may open them), each
#: with the URL names its rows link to.
MANAGED = {
    "exchange.edit_listing": (
        (Listing, ["exchange:mine", "admin:exchange_listing_changelist"]),
        {"exchange:detail", "exchange:edit", "admin:exchange_listing_change"},
    ),
    "media.edit_item": (
        (MediaItem, ["media:manage", "admin:media_mediaitem_changelist"]),
        {"media:detail", "media:edit", "admin:media_mediaitem_change"},
    ),
    "network.manage_meeting": (
        (Meeting, ["network:my_meetings", "admin:network_meeting_changelist"]),
        {"network:meeting", "admin:network_meeting_change"},
    ),
}
PAGE_PARAMETERS = {"page", "p"}  # ours and the admin's


def _listed(client, start: str, names: set, model) -> set:
    """The objects the pages of the list at ``start`` link to through ``names``."""
    seen, todo, found = set(), [start], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            return found
        for raw in LINK.findall(response.content.decode()):
            parts = urlsplit(unescape(raw))
            if not parts.path:  # "?page=2" on the same path
                parts = parts._replace(path=urlsplit(start).path)
            if parts.path == urlsplit(start).path and parts.query:
                keys = {pair.split("=")[0] for pair in parts.query.split("&")}
                if keys <= PAGE_PARAMETERS:
                    todo.append(f"{parts.path}?{parts.query}")
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            if match.view_name in names:
                kwargs = match.kwargs
                lookup = (
                    {"slug": kwargs["slug"]}
                    if "slug" in kwargs
                    else {"pk": kwargs.get("pk") or kwargs["object_id"]}
                )
                found.add(model._default_manager.get(**lookup).pk)
    return found


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_what_one_may_edit_is_on_ones_lists(client, world, variety, role):
    """Every object the edit rule allows a role appears on a list of that role's."""
    user = world.users[role]
    client.force_login(user)
    for name, ((model, lists), names) in MANAGED.items():
        editable = {obj.pk for obj in model._default_manager.all() if allowed(name, user, obj)}
        listed = set()
        for list_name in lists:
            listed |= _listed(client, reverse(list_name), names, model)
        assert editable <= listed, f"{role}: {name} allows {sorted(editable - listed)} unlisted"

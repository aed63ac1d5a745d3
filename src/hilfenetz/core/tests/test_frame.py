"""The page's frame (header, menu, footer) is kept for everyone who sees the same one."""

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.template import engines
from django.template.loader import get_template
from django.test import Client
from django.urls import resolve, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.core.frame import FRAME_RULES
from hilfenetz.core.predicates import allowed
from hilfenetz.exchange import services
from hilfenetz.exchange import views as exchange_views
from hilfenetz.exchange.models import Kind, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

KEPT_FRAME = re.compile(r'{% keep "frame_\w+".*?%}(.*?){% endkeep %}', re.DOTALL)


@pytest.fixture
def kept(settings):
    settings.PAGE_CACHE_SECONDS = 300  # on, as on the platform
    page_cache.forget()


def _frame_source() -> str:
    """The kept parts of the layout with every template they include, as text."""
    sources, names = [], ["base.html"]
    while names:
        source = get_template(names.pop()).template.source
        if not sources:  # the layout: only its kept parts
            source = "".join(KEPT_FRAME.findall(source))
        sources.append(source)
        names += re.findall(r'{% include "([^"]+)"', source)
    return "".join(sources)


def test_the_frame_asks_only_the_rules_its_viewer_key_holds():
    source = _frame_source()
    asked = set(re.findall(r'{% allowed "([\w.]+)"', source))
    if "{% moderation_waiting" in source:
        asked.add("core.moderation_queue")  # the count asks it (core/templatetags/hilfenetz.py)
    assert asked == set(FRAME_RULES)
    # nothing else of the person: the frame of one is the frame of all with the same answers
    assert set(re.findall(r"\buser\.(\w+)", source)) == {"is_authenticated"}


def _parts(text: str) -> tuple[str, str]:
    header = text.split('<header class="site-header">')[1].split("</header>")[0]
    return header, text.split('<footer class="site-footer">')[1].split("</footer>")[0]


@pytest.mark.django_db(transaction=True)  # changes commit, as on the platform
def test_each_viewer_gets_the_menu_of_their_rights_from_the_kept_frame(kept):
    municipality = MunicipalityFactory()
    listing = ListingFactory(municipality=municipality, status=Status.PENDING)
    coordinator = coordinator_of(municipality=municipality)
    people = {
        "visitor": None,
        "volunteer": UserFactory(),
        "coordinator": coordinator,
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    moderation = reverse("exchange:moderation")
    for _ in range(3):  # learned, kept, and served kept to each of them in turn
        for who, person in people.items():
            client = Client()
            if person is not None:
                client.force_login(person)
            header, footer = _parts(client.get(reverse("exchange:list")).text)
            may = {rule: allowed(rule, person or AnonymousUser()) for rule in FRAME_RULES}
            assert (f'href="{moderation}"' in header) == may["core.moderation_queue"], who
            assert (reverse("figures:index") in header) == may["figures.view"], who
            assert (reverse("admin:index") in footer) == may["admin.enter"], who
            assert (reverse("account_logout") in header) == (person is not None), who
            assert (reverse("account_login") in header) == (person is None), who
    assert not any(allowed(rule, people["volunteer"]) for rule in FRAME_RULES)
    assert all(allowed(rule, people["administrator"]) for rule in FRAME_RULES)

    client = Client()
    client.force_login(coordinator)
    assert "(1)" in _parts(client.get(reverse("exchange:list")).text)[0]
    services.approve(listing, coordinator)  # the count in their kept menu follows at once
    assert "(0)" in _parts(client.get(reverse("exchange:list")).text)[0]


def test_the_current_item_is_marked_on_each_page_of_the_kept_menu(client, kept):
    client.force_login(coordinator_of(municipality=MunicipalityFactory()))
    moderation = reverse("exchange:moderation")
    for _ in range(2):
        home = _parts(client.get("/").text)[0]
        exchange = _parts(client.get(reverse("exchange:list")).text)[0]
        queue = _parts(client.get(moderation).text)[0]  # the same app as the list
    assert 'href="/" aria-current="page"' in home
    assert 'href="/" aria-current="page"' not in exchange
    assert f'href="{reverse("exchange:list")}" aria-current="page"' in exchange
    assert f'href="{moderation}" aria-current="page"' in queue
    assert f'href="{moderation}" aria-current="page"' not in exchange


def test_the_language_menu_returns_each_request_to_its_own_page(client, kept):
    client.force_login(UserFactory())
    seen = set()
    for query in ({"q": "Kinderwagen"}, {"q": '"<b>&', "kind": "need"}, {"q": "Kinderwagen"}):
        response = client.get(reverse("exchange:list"), query)
        here = escape(response.wsgi_request.get_full_path())
        assert f'name="next" value="{here}"' in response.text
        assert page_cache.HERE_MARK not in response.text
        seen.add(here)
    assert len(seen) == 2


def test_a_page_in_the_minimal_layout_is_not_served_the_full_layouts_kept_header(
    client, kept, monkeypatch
):
    """The 500 page leaves the language and account menus out (core/minimal_base.html fills
    their blocks with nothing): a header kept for the same page in the full layout, for the
    same viewer, must not stand in for its own."""
    for _ in range(2):
        assert 'name="next"' in client.get(reverse("exchange:list"), {"q": "x"}).text

    def fail(*args, **kwargs):
        raise RuntimeError("the list breaks")

    monkeypatch.setattr(exchange_views, "render_around", fail)
    failing = Client(raise_request_exception=False)
    response = failing.get(reverse("exchange:list"), {"q": "y"})
    assert response.status_code == 500
    header = _parts(response.text)[0]
    assert 'name="next"' not in header
    assert reverse("account_login") not in header


# --- the page around a list's results (page_cache.render_around) ----------------------------


def test_the_page_around_the_list_shows_of_its_viewer_only_what_its_key_holds():
    source = get_template("exchange/list.html").template.source
    assert set(re.findall(r'{% allowed "([\w.]+)"', source)) <= set(FRAME_RULES)
    assert set(re.findall(r"\buser\.(\w+)", source)) == {"is_authenticated"}
    # of the request: the district chosen, a part of the key (exchange.views.listing_list)
    assert set(re.findall(r"\brequest\.([\w.]+)", source)) == {"GET.district"}
    layout = KEPT_FRAME.sub("", get_template("base.html").template.source)
    # outside its kept parts the layout shows the messages (never kept) and the standards
    # notice (which engagement adds to core.frame.page_viewer), and asks the frame's viewer key
    assert set(re.findall(r"{% (\w+)", layout)) - {"load", "block", "endblock", "if", "endif"} == {
        "translate",
        "for",
        "endfor",
        "standards_notice",
        "frame_viewer",
    }
    assert not re.findall(r"\brequest\.", layout)


def _own_values_out(text: str) -> str:
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def _nonce(response) -> str:
    return re.search(r'nonce="([^"]+)"', response.text).group(1)


def test_the_page_around_the_list_is_kept_for_everyone_who_sees_the_same_layout(kept):
    ListingFactory(title="Kinderwagen", kind=Kind.OFFER)
    municipality = MunicipalityFactory()
    people = {
        "volunteer": UserFactory(),
        "other volunteer": UserFactory(),
        "coordinator": coordinator_of(municipality=municipality),
    }
    clients = {}
    for who, person in people.items():
        clients[who] = Client(enforce_csrf_checks=True)
        clients[who].force_login(person)
    url = reverse("exchange:list")
    rendered = []
    for _ in range(3):  # learned what it reads, kept, served kept
        pages = {who: client.get(url, {"kind": "offer"}) for who, client in clients.items()}
        rendered.append(
            {who for who, page in pages.items() if "exchange/list.html" in _templates(page)}
        )
    # the other volunteer's first page is kept (the first taught what it reads) and serves the
    # first volunteer's second; the coordinator's menu reads more, learned on their first
    assert rendered[:2] == [set(clients), {"coordinator"}]
    assert rendered[2] == set()
    for who, page in pages.items():
        assert "Kinderwagen" in page.text, who
        assert f"'nonce-{_nonce(page)}'" in page.headers["Content-Security-Policy"], who
    same, other = pages["volunteer"].text, pages["other volunteer"].text
    assert _own_values_out(same) == _own_values_out(other)
    assert _nonce(pages["volunteer"]) != _nonce(pages["other volunteer"])
    statistics, mine = reverse("exchange:statistics"), reverse("exchange:mine")
    assert statistics in pages["coordinator"].text and statistics not in same
    assert mine in same and mine in pages["coordinator"].text
    visitor = Client().get(url, {"kind": "offer"})
    assert mine not in visitor.text and "Kinderwagen" in visitor.text
    # each person's page carries a CSRF token of their own that their next form is taken with
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other).group(1)
    logout = clients["other volunteer"].post(
        reverse("account_logout"), {"csrfmiddlewaretoken": token}
    )
    assert logout.status_code == 302
    assert "_auth_user_id" not in clients["other volunteer"].session


def test_a_message_waiting_is_shown_once_on_the_kept_page_around_the_list(client, kept):
    client.force_login(UserFactory())
    url = reverse("exchange:list")
    for _ in range(2):
        assert 'class="messages"' not in client.get(url).text
    saved = client.post(
        reverse("exchange:saved_searches"), {"query": "Fahrrad", "frequency": "daily"}
    )
    assert saved.status_code == 302  # its message waits for the next page
    assert 'class="messages"' in client.get(url).text
    assert 'class="messages"' not in client.get(url).text


@pytest.mark.parametrize("shown", ["", "{{ content }}", "{{ content }}{{ content }}"])
def test_the_kept_page_takes_its_content_only_where_it_shows_it_once(rf, kept, shown):
    """Nothing of the content is lost or shown twice: otherwise the page is rendered as it is."""
    request = rf.get(reverse("exchange:list"))
    request.resolver_match = resolve(request.path)
    request.user, request.session = AnonymousUser(), SessionStore()
    template = engines["django"].from_string(f"<p>{shown}</p><p>{{{{ csrf_token }}}}</p>")
    context = {"content": mark_safe("<b>Inhalt</b>")}  # noqa: S308 (a test's own markup)
    rendered = mock.patch.object(
        page_cache.shortcuts, "render", side_effect=lambda *args: HttpResponse("rendered")
    )
    with mock.patch.object(page_cache, "get_template", return_value=template), rendered:
        for _ in range(3):  # learned, kept, served kept
            text = page_cache.render_around(request, "any.html", context, "content").text
            if shown == "{{ content }}":
                # the request's own token (masked anew on each reading) in place of the stand-in
                assert re.fullmatch(r"<p><b>Inhalt</b></p><p>[A-Za-z0-9]{64}</p>", text)
            else:
                assert text == "rendered"

"""Every form control on every page of the access matrix has an id of its own and a name a
screen reader can say, as each kind of person sees the page.

A page that repeats one form per row (a reason to block each waiting listing, to report each
message) used to repeat its ids too, so only the first field had a label."""

from html.parser import HTMLParser

import pytest

from hilfenetz.core.tests.access import ROLES, all_cases
from hilfenetz.exchange import services as exchange
from hilfenetz.exchange.models import Message, Report, Status
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.network.models import Reply

# The world is the access matrix's (core/tests/conftest.py), built once per module.
# Visitor, help-seeker (author of the world's listing), volunteer, municipal and district
# coordinator, administrator.
CRAWLED_ROLES = (
    "anonymous",
    "person",
    "org_member",
    "coordinator_here",
    "district_coordinator",
    "administrator",
)
assert set(CRAWLED_ROLES) <= set(ROLES)
NOT_PAGES = ("admin:", "api-v1:", "core:healthz")
NOT_CONTROLS = {"hidden", "submit", "image", "reset", "button"}


class Controls(HTMLParser):
    """Collects the form controls, the ids, the labels and the text of every element with an
    id (for ``aria-labelledby``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls = []  # (tag, attrs)
        self.ids = []
        self.label_text = {}  # for= -> text
        self.id_text = {}
        self._open = []  # [tag, attrs, text parts]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if (
            tag in ("select", "textarea")
            or (tag == "input" and attrs.get("type", "text") not in NOT_CONTROLS)
            or (tag == "button" and attrs.get("type") == "button")
        ):
            self.controls.append((tag, attrs))
        if tag not in ("input", "img", "br", "hr", "meta", "link", "source", "track", "wbr"):
            self._open.append([tag, attrs, []])

    def handle_endtag(self, tag):
        while self._open:
            open_tag, attrs, text = self._open.pop()
            joined = " ".join("".join(text).split())
            if "id" in attrs:
                self.id_text[attrs["id"]] = joined
            if open_tag == "label" and attrs.get("for"):
                self.label_text[attrs["for"]] = joined
            if self._open:
                self._open[-1][2].append("".join(text))
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)

    def problems(self):
        found = []
        duplicates = {i for i in self.ids if self.ids.count(i) > 1}
        for tag, attrs in self.controls:
            what = f"<{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}>"
            control_id = attrs.get("id")
            if not control_id:
                found.append(f"{what} has no id")
            elif control_id in duplicates:
                found.append(f"{what}: the id is used {self.ids.count(control_id)} times")
            named = (
                (attrs.get("aria-label") or "").strip()
                or (attrs.get("title") or "").strip()
                or (control_id and self.label_text.get(control_id))
                # a button is named by its own text
                or (tag == "button" and control_id and self.id_text.get(control_id))
                or any(
                    self.id_text.get(ref) for ref in (attrs.get("aria-labelledby") or "").split()
                )
            )
            if not named:
                found.append(f"{what} has no accessible name")
        return found


@pytest.fixture
def repeated_forms(world):
    """Rows that each bring a form: two listings waiting, two reports, a reply on the board,
    messages from both sides of the conversation."""
    for title in ("Kinderwagen gesucht", "Fahrrad gesucht"):
        ListingFactory(municipality=world.here, status=Status.PENDING, title=title)
    Report.objects.create(listing=world.listing, reporter=world.users["org_member"], reason="?")
    Message.objects.create(
        conversation=world.conversation, sender=world.users["person"], body="Danke!"
    )
    Message.objects.create(
        conversation=world.conversation, sender=world.users["org_member"], body="Gern."
    )
    Reply.objects.create(thread=world.thread, author=world.users["person"], body="Gute Frage")
    exchange.answer(world.other_listing, world.users["org_member"], "Ich kann helfen.")
    return world


def pages_for(role):
    seen = set()
    for case in all_cases():
        if case.method != "GET" or case.url_name.startswith(NOT_PAGES):
            continue
        if case.expect[role] != 200 or case.id in seen:
            continue
        seen.add(case.id)
        yield case


@pytest.mark.parametrize("role", CRAWLED_ROLES)
def test_every_form_control_has_its_own_id_and_a_name(client, repeated_forms, role):
    world = repeated_forms
    if world.users[role] is not None:
        client.force_login(world.users[role])
    problems, pages = {}, 0
    for case in pages_for(role):
        response = client.get(case.path(world), case.data(world) if case.data else {})
        if not response["Content-Type"].startswith("text/html") or response.get(
            "Content-Disposition", ""
        ).startswith("attachment"):
            continue
        assert response.status_code == 200, case.id
        parser = Controls()
        parser.feed(response.content.decode())
        if found := parser.problems():
            problems[case.id] = found
        pages += 1
    assert pages > 10
    assert not problems, problems

"""Query guards on the account pages: the number of queries stays the same with 5 and with 50
members, requests, invitations, organisations and coordinator roles, so an N+1 cannot slip in.
Each page must show the newest data, so the guard counts the queries of a page that lists it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.models import Membership, MembershipRole, MembershipStatus
from hilfenetz.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hilfenetz.exchange.models import Conversation, Message, Pledge, SavedSearch
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.models import Invitation, InvitationReason, Reply, Thread
from hilfenetz.network.tests.factories import MeetingFactory, platform
from hilfenetz.regions.models import CoordinatorRole
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


class Data:
    """An organisation and its admin, to which :meth:`add` adds ``n`` of everything."""

    def __init__(self):
        self.organisation = OrganisationFactory(name="Helferkreis Hierdorf")
        self.admin = MembershipFactory(
            organisation=self.organisation, role=MembershipRole.ADMIN
        ).user
        self.newest = {}

    def add(self, n):
        for _ in range(n):
            member = MembershipFactory(organisation=self.organisation).user
            requester = MembershipFactory(
                organisation=self.organisation, status=MembershipStatus.REQUESTED
            ).user
            invited = Membership.objects.create(
                organisation=self.organisation,
                invited_email=f"eingeladen-{member.pk}@example.org",
                status=MembershipStatus.INVITED,
            )
            elsewhere = MembershipFactory(user=self.admin).organisation
            invited_by = MembershipFactory(user=self.admin, status=MembershipStatus.INVITED)
            role = CoordinatorRole.objects.create(
                user=self.admin, municipality=MunicipalityFactory()
            )
        self.newest = {
            "member": member.display_name,
            "requester": requester.display_name,
            "invited": invited.invited_email,
            "organisation": elsewhere.name,
            "invitation": invited_by.organisation.name,
            "role": role.municipality.name,
        }


def url(name, with_slug=False):
    return lambda d: reverse(f"accounts:{name}", args=[d.organisation.slug] if with_slug else [])


#: page, and which of the newest data it shows
PAGES = [
    ("profile", url("profile"), ("organisation", "invitation", "role")),
    ("export", url("export"), ("organisation", "invitation", "role")),
    ("delete", url("delete"), ()),
    ("organisation_create", url("organisation_create"), ("role",)),
    ("organisation", url("organisation", with_slug=True), ()),
    ("organisation_edit", url("organisation_edit", with_slug=True), ("role",)),
    (
        "organisation_members",
        url("organisation_members", with_slug=True),
        ("member", "requester", "invited"),
    ),
]


@pytest.mark.parametrize(("name", "make_url", "shows"), PAGES)
def test_account_page_query_count_does_not_grow(client, name, make_url, shows):
    data = Data()
    client.force_login(data.admin)
    counts = []
    for n in (5, 45):  # 5 of everything, then 50
        data.add(n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(make_url(data))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        text = response.content.decode()
        for key in shows:
            assert data.newest[key] in text, f"{name} does not show the newest {key}"
    assert counts[0] == counts[1], counts


def test_the_export_reads_each_table_once_however_much_a_person_wrote(client):
    """A person's export reads every table holding their data: one query per table, the same
    with 3 and with 30 rows in each (the account, its memberships and roles are above)."""
    person = UserFactory(home_municipality=MunicipalityFactory())
    municipality = person.home_municipality
    client.force_login(person)
    counts, total = [], 0
    for n in (3, 27):
        total += n
        for _ in range(n):
            listing = ListingFactory(municipality=municipality, author=person)
            answered = ListingFactory(municipality=municipality)
            Pledge.objects.create(listing=answered, helper=person)
            conversation = Conversation.objects.create(listing=answered, helper=person)
            Message.objects.create(conversation=conversation, sender=person, body="Hallo")
            SavedSearch.objects.create(user=person, query="Fahrrad")
            MediaItemFactory(district=municipality.district, created_by=person)
            target = platform(municipality.district)
            thread = Thread.objects.create(
                platform=target, author=person, kind="question", title="Frage", body="?"
            )
            Reply.objects.create(thread=thread, author=person, body="Antwort")
            Invitation.objects.create(
                meeting=MeetingFactory(municipality=municipality),
                user=person,
                email=person.email,
                reason=InvitationReason.GROUP,
            )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("accounts:export"))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
        data = response.json()
        assert listing.pk in [row["id"] for row in data["exchange"]["listings"]]
        assert len(data["network"]["replies"]) == len(data["media"]) == total
    assert counts[0] == counts[1], counts
    # session, user, roles | home municipality, memberships, roles, then per table: listings,
    # pledges, messages, saved searches, media items, follows, invitations, threads, replies,
    # the welcome's answers, acknowledged standards, certificates of conduct seen, offers of
    # accommodation, the crisis alert, slips
    assert counts[0] <= 21, counts

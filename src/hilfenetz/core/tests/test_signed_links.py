"""Mail security scanners and link previews open every link of a mail (GET and HEAD): the
one-click links of the invitation and reminder mails only show what they will do; the button
on that page (a POST) acts, once."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import serializers
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.models import AuditEntry, OutboundMail
from hilfenetz.exchange import tasks
from hilfenetz.exchange.models import Listing, ListingEvent, Pledge, Status
from hilfenetz.exchange.services import pledge
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.network import services
from hilfenetz.network.models import Invitation, Meeting
from hilfenetz.network.tests.test_services import proposal
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

WATCHED = (AuditEntry, Invitation, Meeting, Listing, ListingEvent, Pledge, OutboundMail)


def snapshot():
    return {model: serializers.serialize("json", model.objects.all()) for model in WATCHED}


def mail_links(key):
    body = OutboundMail.objects.get(key__startswith=key).body
    links = re.findall(rf"{re.escape(settings.SITE_URL)}(/\S*)", body)
    assert links
    return links


def invitation_mail_links():
    municipality = MunicipalityFactory()
    organiser = coordinator_of(municipality=municipality)
    meeting = proposal(organiser, municipality)
    services.agree(meeting, coordinator_of(district=municipality.district), "Gern!")
    guest = UserFactory(home_municipality=municipality)
    services.follow(meeting.platform, guest)
    assert services.send_invitations(meeting, organiser) == 1
    invitation = Invitation.objects.get(email=guest.email)
    return invitation, mail_links(f"network-invitation:{meeting.pk}:{invitation.pk}")


def reminder_mail_links():
    listing = ListingFactory(valid_until=timezone.localdate() + timedelta(days=2), quantity=3)
    pledge(listing, UserFactory(), 1)
    assert tasks.send_reminders() == 1
    return listing, mail_links(f"exchange-reminder:{listing.pk}:")


@pytest.mark.parametrize("mail", [invitation_mail_links, reminder_mail_links])
def test_opening_every_link_of_the_mail_changes_nothing(client, mail):
    _subject, links = mail()
    before = snapshot()
    for link in links:
        for method in (client.get, client.head):
            assert method(link).status_code in (200, 302)
    assert snapshot() == before


def test_each_answer_of_the_invitation_mail_acts_on_its_button_once(client):
    invitation, links = invitation_mail_links()
    answers = [link for link in links if "/antwort/" in link]
    assert len(answers) == 3
    for link, answer in zip(answers, ("yes", "maybe", "no"), strict=True):
        page = client.get(link)
        assert page.context["confirm"] and '<form method="post">' in page.text
        response = client.post(link)
        assert response.context["done"]
        invitation.refresh_from_db()
        assert invitation.answer == answer
        answered_at = invitation.answered_at
        before = snapshot()
        again = client.post(link)
        assert again.context["already"] and "undo_token" not in again.context
        assert snapshot() == before
        invitation.refresh_from_db()
        assert invitation.answered_at == answered_at
        assert client.get(link).context["already"]


@pytest.mark.parametrize(
    ("action", "status"),
    [("extend", Status.PUBLISHED), ("fulfilled", Status.FULFILLED), ("withdraw", "withdrawn")],
)
def test_each_link_of_the_reminder_mail_acts_on_its_button_once(client, action, status):
    listing, links = reminder_mail_links()
    link = next(link for link in links if link == tasks.reminder_url(listing, action))
    events = listing.events.count()
    assert client.get(link).context["confirm"]
    assert client.post(link).context["done"]
    listing.refresh_from_db()
    assert listing.status == status
    assert listing.events.count() == events + 1
    before = snapshot()
    assert client.post(link).context["already"]
    assert snapshot() == before
    assert client.get(link).context["already"]

"""The district's promise, tried with the demo: a meeting for ten municipalities invites every
working group and every coordination office there (also those without a speaker or that follow
nothing), each address once, and the organiser sees each of them named before sending."""

from html import escape

import pytest
from django.core.management import call_command
from django.urls import reverse

from hilfenetz.accounts.models import Organisation, OrganisationKind
from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.directory.models import Office
from hilfenetz.network import services
from hilfenetz.network.models import InvitationReason, MeetingStatus, Platform
from hilfenetz.network.services.invitations import _office_contacts, _organisation_contacts
from hilfenetz.network.tests.factories import MeetingFactory
from hilfenetz.regions.models import District, Municipality


@pytest.mark.django_db
def test_a_demo_meeting_for_ten_municipalities_reaches_every_group_and_office(client):
    call_command("demo", verbosity=0)
    district = District.objects.get()
    places = list(Municipality.objects.filter(district=district).order_by("name")[:10])
    organiser = coordinator_of(municipality=places[0])
    meeting = MeetingFactory(
        platform=Platform.objects.filter(district=district).first(),
        municipality=places[0],
        status=MeetingStatus.AGREED,
        organisers=[organiser],
    )
    meeting.municipalities.set(places)
    groups = list(
        Organisation.objects.active().filter(
            kind=OrganisationKind.WORKING_GROUP, municipality__in=places
        )
    )
    offices = list(Office.objects.active().filter(municipalities__in=places).distinct())
    assert len(groups) > 3 and offices  # the demo has them
    assert any(not g.has_speaker for g in groups) and any(g.has_speaker for g in groups)

    client.force_login(organiser)
    page = client.get(reverse("network:meeting_invite", args=[meeting.pk])).text
    for name in [g.name for g in groups] + [o.name for o in offices]:
        assert escape(name) in page, name

    sent = services.send_invitations(meeting, organiser)
    invited = {i.email.lower(): i for i in meeting.invitations.all()}
    assert sent == len(invited)  # each address once
    for group in groups:
        for email, _language, _user in _organisation_contacts(group):
            assert email.lower() in invited, group.name
    for office in offices:
        addresses = [email for email, _language, _user in _office_contacts(office)]
        assert addresses and all(a.lower() in invited for a in addresses), office.name
    reasons = {i.reason for i in invited.values()}
    assert {InvitationReason.GROUP, InvitationReason.OFFICE} <= reasons

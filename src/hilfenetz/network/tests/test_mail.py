"""Invitation and minutes mails go through a real SMTP conversation (aiosmtpd)."""

from email import message_from_bytes, policy

import pytest
from django.utils import timezone, translation

from hilfenetz.accounts.tests.factories import OrganisationFactory, UserFactory
from hilfenetz.core.tests.test_mail import smtp  # noqa: F401 - the fixture
from hilfenetz.network import services
from hilfenetz.network.models import Follow, MeetingStatus
from hilfenetz.network.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def received(inbox):
    return {
        envelope.rcpt_tos[0]: message_from_bytes(envelope.content, policy=policy.default)
        for envelope in inbox.messages
    }


def test_invitations_and_minutes_arrive_in_each_recipients_language(
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    smtp.controller.start()
    meeting = MeetingFactory(status=MeetingStatus.AGREED)
    organiser = meeting.organisers.get()
    follower = UserFactory(home_municipality=meeting.municipality, preferred_language="uk")
    Follow.objects.create(platform=meeting.platform, user=follower)
    others = [
        UserFactory(home_municipality=meeting.municipality, preferred_language=code)
        for code in ("ti", "prs")
    ]
    for person in others:
        Follow.objects.create(platform=meeting.platform, user=person)
    OrganisationFactory(
        municipality=meeting.municipality, has_speaker=False, public_email="gruppe@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_invitations(meeting, organiser)
    mails = received(smtp)
    assert set(mails) == {follower.email, "gruppe@example.org", *(p.email for p in others)}
    ukrainian = mails[follower.email].get_body(("plain",)).get_content()
    assert "Запрошення" in mails[follower.email]["Subject"]
    for person in others:  # Tigrinya and Dari, added later, go the same way
        with translation.override(person.preferred_language):
            assert translation.gettext("Invitation") in mails[person.email]["Subject"]
    invitation = meeting.invitations.get(user=follower)
    assert f"/vernetzung/antwort/{invitation.pk}/" in ukrainian

    smtp.messages.clear()
    meeting.refresh_from_db()
    meeting.starts_at = timezone.now() - timezone.timedelta(hours=3)
    meeting.ends_at = timezone.now() - timezone.timedelta(hours=1)
    meeting.save()
    services.mark_held(meeting, organiser)
    services.save_minutes(meeting, organiser, body="Wir haben viel besprochen.")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_minutes(meeting, organiser)
    mails = received(smtp)
    assert set(mails) == {follower.email, "gruppe@example.org", *(p.email for p in others)}
    group_text = mails["gruppe@example.org"].get_body(("plain",)).get_content()
    assert "Wir haben viel besprochen." in group_text
    assert "/vernetzung/protokoll/" in group_text

import dataclasses
from datetime import timedelta

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.services import delete_account
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.periodic import registered_jobs
from hilfenetz.exchange import alerts, services, tasks, views
from hilfenetz.exchange.models import (
    ConsentRecord,
    Frequency,
    Listing,
    Message,
    Pledge,
    SavedSearch,
    Status,
)
from hilfenetz.exchange.privacy import export
from hilfenetz.exchange.tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def test_jobs_are_registered():
    assert "hilfenetz.exchange.tasks.hourly" in registered_jobs()


def test_reminder_is_sent_once_and_expiry_is_idempotent():
    soon = ListingFactory(valid_until=timezone.localdate() + timedelta(days=2))
    later = ListingFactory(valid_until=timezone.localdate() + timedelta(days=20))
    overdue = ListingFactory(valid_until=timezone.localdate() - timedelta(days=1))
    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0
    mail = OutboundMail.objects.get(to=soon.author.email)
    assert "/hilfeboerse/erinnerung/" in mail.body
    assert not OutboundMail.objects.filter(to=later.author.email).exists()
    assert tasks.expire_overdue() == 1
    assert tasks.expire_overdue() == 0
    overdue.refresh_from_db()
    assert overdue.status == Status.EXPIRED


@pytest.mark.parametrize(
    ("action", "status"),
    [("extend", Status.PUBLISHED), ("fulfilled", Status.FULFILLED), ("withdraw", "withdrawn")],
)
def test_one_click_link_acts_on_post_for_that_listing_only_and_can_be_undone(
    client, action, status
):
    listing = ListingFactory(valid_until=timezone.localdate() + timedelta(days=2), quantity=3)
    helper = UserFactory()
    services.pledge(listing, helper, 1)
    other = ListingFactory(valid_until=timezone.localdate() + timedelta(days=2))
    url = tasks.reminder_url(listing, action)
    response = client.post(url)  # the button of the page, no login
    assert response.status_code == 200
    assert 'name="undo"' in response.text
    listing.refresh_from_db()
    other.refresh_from_db()
    assert listing.status == status
    assert other.status == Status.PUBLISHED
    assert other.valid_until == timezone.localdate() + timedelta(days=2)
    if action == "extend":
        assert listing.valid_until > timezone.localdate() + timedelta(days=2)
    assert listing.events.last().to_status == status  # recorded
    undo = response.context["undo_token"]
    response = client.post(url, {"undo": undo})
    assert response.status_code == 200
    assert response.context["undone"]
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    assert listing.valid_until == timezone.localdate() + timedelta(days=2)
    assert listing.pledges.get().status == "active"


def test_one_click_link_refuses_tampered_tokens_and_other_listings(client):
    listing = ListingFactory()
    other = ListingFactory()
    token = tasks.reminder_token(listing, "withdraw")
    tampered = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    forged_payload = signing.dumps({"l": other.pk, "a": "withdraw"}, salt="wrong salt")
    for url in (
        reverse("exchange:reminder", args=[listing.pk, tampered]),
        reverse("exchange:reminder", args=[other.pk, token]),  # another listing's id
        reverse("exchange:reminder", args=[other.pk, forged_payload]),
    ):
        assert client.get(url).status_code == 404
    listing.refresh_from_db()
    other.refresh_from_db()
    assert listing.status == other.status == Status.PUBLISHED
    # the undo of one listing cannot be replayed against another
    state = {"status": "published", "valid_until": str(other.valid_until), "pledges": []}
    undo = tasks.undo_token(listing, "withdraw", state)
    services.withdraw(other, None)
    other_url = tasks.reminder_url(other, "withdraw")
    assert client.post(other_url, {"undo": undo}).status_code == 400
    other.refresh_from_db()
    assert other.status == Status.WITHDRAWN


def test_one_click_link_expires_and_head_does_not_act(client, monkeypatch):
    listing = ListingFactory()
    url = tasks.reminder_url(listing, "withdraw")
    assert client.head(url).status_code == 200
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    expired = dataclasses.replace(tasks.REMINDER_LINKS, max_age=timedelta(seconds=-1))
    monkeypatch.setattr(views.ReminderView, "links", expired)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED


def test_reminder_mail_has_three_one_click_links():
    listing = ListingFactory(valid_until=timezone.localdate() + timedelta(days=1))
    tasks.send_reminders()
    body = OutboundMail.objects.get(to=listing.author.email).body
    for action in tasks.REMINDER_ACTIONS:
        assert tasks.reminder_url(listing, action) in body


def test_immediate_alert_and_daily_digest():
    listing = ListingFactory(title="Fahrrad abzugeben", kind="offer")
    immediate = SavedSearch.objects.create(
        user=UserFactory(), query="Fahrrad", frequency=Frequency.IMMEDIATELY
    )
    SavedSearch.objects.create(user=UserFactory(), query="Sofa", frequency=Frequency.IMMEDIATELY)
    assert alerts.notify_immediately.call(listing.pk) == 1
    assert OutboundMail.objects.get(to=immediate.user.email)
    daily = SavedSearch.objects.create(user=UserFactory(), kind="offer")
    SavedSearch.objects.filter(pk=daily.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert alerts.send_daily_digests.call() == 1
    assert alerts.send_daily_digests.call() == 0  # not again the same day


def test_export_and_erase():
    user = UserFactory()
    own = ListingFactory(author=user, title="Mein Angebot")
    other = ListingFactory(quantity=3, remaining=3)
    services.pledge(other, user, 1)
    services.answer(other, user, "Hallo")
    SavedSearch.objects.create(user=user, query="x")
    data = export(user)
    assert data["listings"][0]["title"] == "Mein Angebot"
    assert len(data["messages"]) == 1
    delete_account(user)
    own.refresh_from_db()
    assert own.status == Status.WITHDRAWN
    assert own.title == "—"
    assert not Message.objects.filter(sender=user).exists()
    assert not Pledge.objects.filter(helper=user).exists()
    other.refresh_from_db()
    assert other.remaining == 3
    assert not SavedSearch.objects.filter(user=user).exists()


def test_hourly_task_runs_reminders_and_expiry():
    ListingFactory(valid_until=timezone.localdate() - timedelta(days=3))
    ListingFactory(valid_until=timezone.localdate() + timedelta(days=1))
    assert tasks.hourly.call() == {"reminded": 1, "expired": 1}
    assert tasks.hourly.call() == {"reminded": 0, "expired": 0}


def on_behalf_listing(status, closed_days_ago, agreement="Frau Muster, 0711 123456"):
    listing = ListingFactory(status=status)
    listing.consent = ConsentRecord.objects.create(recorded_by=listing.author, agreement=agreement)
    listing.save(update_fields=["consent"])
    Listing.objects.filter(pk=listing.pk).update(
        updated_at=timezone.now() - timedelta(days=closed_days_ago)
    )
    return listing.consent


def test_consent_records_are_erased_after_the_retention_period(settings):
    settings.CONSENT_RETENTION_DAYS = 30
    expired = on_behalf_listing(Status.FULFILLED, closed_days_ago=31)
    withdrawn = on_behalf_listing(Status.WITHDRAWN, closed_days_ago=40)
    recent = on_behalf_listing(Status.EXPIRED, closed_days_ago=29)
    still_open = on_behalf_listing(Status.PUBLISHED, closed_days_ago=100)
    assert "hilfenetz.exchange.tasks.erase_expired_consents" in registered_jobs()
    assert tasks.erase_expired_consents.call() == 2
    for record in (expired, withdrawn, recent, still_open):
        record.refresh_from_db()
    assert expired.agreement == withdrawn.agreement == ""
    assert expired.erased_at and withdrawn.erased_at
    assert recent.agreement and recent.erased_at is None
    assert still_open.agreement and still_open.erased_at is None
    assert Listing.objects.get(consent=expired).on_behalf  # no coordinator name appears instead
    assert tasks.erase_expired_consents.call() == 0


def test_consent_records_are_erased_with_the_listings_personal_data():
    record = on_behalf_listing(Status.PUBLISHED, closed_days_ago=0)
    delete_account(record.recorded_by)
    record.refresh_from_db()
    assert record.agreement == ""
    assert record.erased_at is not None

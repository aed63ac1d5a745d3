from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from hilfenetz.accounts.services import delete_account
from hilfenetz.accounts.tests.factories import UserFactory
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.periodic import registered_jobs
from hilfenetz.exchange import alerts, services, tasks
from hilfenetz.exchange.models import (
    Frequency,
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
def test_one_click_links_work_without_login_for_that_listing_only(client, action, status):
    listing = ListingFactory(valid_until=timezone.localdate() + timedelta(days=2))
    other = ListingFactory()
    url = reverse("exchange:reminder", args=[tasks.reminder_token(listing)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": action}).status_code == 200
    listing.refresh_from_db()
    other.refresh_from_db()
    assert listing.status == status
    assert other.status == Status.PUBLISHED
    if action == "extend":
        assert listing.valid_until > timezone.localdate() + timedelta(days=2)
    tampered = tasks.reminder_token(listing)[:-2] + "xx"
    assert client.get(reverse("exchange:reminder", args=[tampered])).status_code == 404


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

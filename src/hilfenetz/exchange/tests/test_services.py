from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core.models import OutboundMail
from hilfenetz.core.tests.concurrency import run_in_threads
from hilfenetz.exchange import services
from hilfenetz.exchange.models import (
    Conversation,
    ListingEvent,
    Pledge,
    PledgeStatus,
    Report,
    Status,
)
from hilfenetz.exchange.ratelimit import RateLimited
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def old_user(**kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


def new_listing(author, municipality=None, **fields):
    fields.setdefault("kind", "need")
    fields.setdefault("title", "Fahrrad für den Schulweg")
    fields.setdefault("description", "Ein Fahrrad für ein zwölfjähriges Kind.")
    municipality = municipality or MunicipalityFactory()
    return services.create_listing(
        author,
        category=category(district=municipality.district),
        municipality=municipality,
        language="de",
        **fields,
    )


def test_old_account_publishes_at_once_with_default_validity():
    municipality = MunicipalityFactory()
    listing = new_listing(old_user(), municipality)
    assert listing.status == Status.PUBLISHED
    assert listing.published_at is not None
    days = municipality.district.listing_validity_days
    assert listing.valid_until == timezone.localdate() + timedelta(days=days)
    assert [(e.from_status, e.to_status) for e in listing.events.all()] == [
        ("", "draft"),
        ("draft", "published"),
    ]


def test_new_account_waits_for_moderation_and_coordinator_approves():
    municipality = MunicipalityFactory()
    listing = new_listing(UserFactory(), municipality)
    assert listing.status == Status.PENDING
    with pytest.raises(PermissionDenied):
        services.approve(listing, coordinator_of(municipality=MunicipalityFactory()))
    coordinator = coordinator_of(municipality=municipality)
    listing = services.approve(listing, coordinator)
    assert listing.status == Status.PUBLISHED
    assert listing.events.last().actor == coordinator


def test_no_moderation_when_district_does_not_ask_for_it():
    municipality = MunicipalityFactory()
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    assert new_listing(UserFactory(), municipality).status == Status.PUBLISHED


def test_on_behalf_listing_records_consent_and_shows_no_name():
    municipality = MunicipalityFactory()
    coordinator = coordinator_of(municipality=municipality)
    listing = new_listing(coordinator, municipality, consent_agreement="Mündlich zugestimmt, 3.11.")
    assert listing.on_behalf
    assert listing.consent.recorded_by == coordinator
    assert listing.public_name() == ""
    with pytest.raises(PermissionDenied):
        new_listing(old_user(), municipality, consent_agreement="ja")


def test_withdraw_and_fulfil_are_recorded_and_final():
    author = old_user()
    listing = new_listing(author)
    with pytest.raises(PermissionDenied):
        services.withdraw(listing, old_user())
    services.withdraw(listing, author)
    listing.refresh_from_db()
    assert listing.status == Status.WITHDRAWN
    with pytest.raises((ValidationError, PermissionDenied)):
        services.mark_fulfilled(listing, author)
    other = new_listing(author, title="Winterjacke")
    services.mark_fulfilled(other, author)
    assert ListingEvent.objects.filter(listing=other, to_status=Status.FULFILLED).exists()


def test_block_needs_a_reason_and_mails_the_author():
    municipality = MunicipalityFactory()
    author = old_user()
    listing = new_listing(author, municipality)
    Report.objects.create(listing=listing, reporter=old_user(), reason="Werbung")
    coordinator = coordinator_of(district=municipality.district)
    with pytest.raises(ValidationError):
        services.block(listing, coordinator, " ")
    services.block(listing, coordinator, "Bitte keine Werbung.")
    listing.refresh_from_db()
    assert listing.status == Status.BLOCKED
    assert listing.blocked_reason == "Bitte keine Werbung."
    assert not Report.objects.open().exists()
    mail = OutboundMail.objects.get(to=author.email)
    assert "Bitte keine Werbung." in mail.body


def test_pledges_reduce_remaining_and_cannot_exceed_it():
    author = old_user()
    listing = new_listing(author, quantity=5, unit="Stück")
    assert listing.remaining == 5
    helper, second = old_user(), old_user()
    services.pledge(listing, helper, 3)
    listing.refresh_from_db()
    assert listing.remaining == 2
    with pytest.raises(ValidationError):
        services.pledge(listing, helper, 1)  # twice
    with pytest.raises(ValidationError):
        services.pledge(listing, second, 3)  # more than remains
    with pytest.raises(PermissionDenied):
        services.pledge(listing, author, 1)  # own listing
    p = services.pledge(listing, second, 2)
    listing.refresh_from_db()
    assert listing.remaining == 0
    assert OutboundMail.objects.filter(to=author.email).count() == 2
    first = Pledge.objects.get(helper=helper)
    services.mark_fulfilled(listing, author, pledge=first)
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    services.mark_fulfilled(listing, author, pledge=p)
    listing.refresh_from_db()
    assert listing.status == Status.FULFILLED
    assert set(listing.pledges.values_list("status", flat=True)) == {PledgeStatus.FULFILLED}


def test_answer_opens_private_conversation_and_mails_the_other_side():
    author = old_user(preferred_language="en")
    listing = new_listing(author)
    helper = old_user()
    conversation = services.answer(listing, helper, "Ich habe ein Fahrrad.")
    assert services.answer(listing, helper, "Noch eine Frage") == conversation
    assert Conversation.objects.count() == 1
    mail = OutboundMail.objects.filter(to=author.email).first()
    assert mail.language == "en"
    services.send_message(conversation, author, "Danke!")
    assert OutboundMail.objects.filter(to=helper.email).exists()
    with pytest.raises(PermissionDenied):
        services.send_message(conversation, old_user(), "Ich lese mit")


def test_rate_limit_on_posting():
    author = old_user()
    municipality = MunicipalityFactory()
    for n in range(10):
        new_listing(author, municipality, title=f"Angebot {n}")
    with pytest.raises(RateLimited):
        new_listing(author, municipality)


def test_expire_and_extend():
    listing = ListingFactory(valid_until=timezone.localdate() - timedelta(days=1))
    assert services.expire(listing)
    assert not services.expire(listing)  # idempotent
    listing.refresh_from_db()
    assert listing.status == Status.EXPIRED
    services.extend(listing)
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    assert listing.valid_until > timezone.localdate()


def test_scoping_of_listings_and_reports():
    here, other = MunicipalityFactory(), MunicipalityFactory()
    mine = ListingFactory(municipality=here, status=Status.PENDING)
    ListingFactory(municipality=other, status=Status.PENDING)
    Report.objects.create(listing=mine, reason="x")
    coordinator = coordinator_of(municipality=here)
    from hilfenetz.exchange.models import Listing

    assert list(Listing.objects.coordinated_by(coordinator)) == [mine]
    assert Report.objects.coordinated_by(coordinator).count() == 1
    district_coordinator = coordinator_of(district=here.district)
    assert Listing.objects.coordinated_by(district_coordinator).count() == 1
    assert Listing.objects.coordinated_by(UserFactory()).count() == 0
    assert Listing.objects.visible_to(None).count() == 0


def test_matches_prefer_same_category_and_nearby():
    listing = ListingFactory(kind="need", title="Fahrrad gesucht")
    same_place = ListingFactory(
        kind="offer", municipality=listing.municipality, title="Fahrrad abzugeben"
    )
    same_area = ListingFactory(
        kind="offer",
        municipality=MunicipalityFactory(area=listing.municipality.area),
        title="Fahrräder zu verschenken",
    )
    other_category = ListingFactory(
        kind="offer", municipality=listing.municipality, category_slug="sprache"
    )
    found = list(services.matches(listing))
    assert found[:2] == [same_place, same_area]
    assert other_category not in found


@pytest.mark.django_db(transaction=True)
def test_concurrent_pledges_never_overbook():
    listing = ListingFactory(quantity=5, remaining=5)
    helpers = [UserFactory() for _ in range(6)]
    results, errors = run_in_threads(services.pledge, [(listing, helper, 2) for helper in helpers])
    listing.refresh_from_db()
    assert len(results) == 2
    assert len(errors) == 4
    assert listing.remaining == 1
    assert sum(Pledge.objects.filter(listing=listing).values_list("quantity", flat=True)) == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_pledges_by_one_person_count_once():
    listing = ListingFactory(quantity=10, remaining=10)
    helper = UserFactory()
    results, errors = run_in_threads(services.pledge, [(listing, helper, 1)] * 4)
    listing.refresh_from_db()
    assert len(results) == 1
    assert Pledge.objects.filter(listing=listing, helper=helper).count() == 1
    assert listing.remaining == 9


def test_organisation_members_see_and_manage_their_organisations_pending_listings():
    from hilfenetz.accounts.tests.factories import MembershipFactory
    from hilfenetz.core.predicates import allowed
    from hilfenetz.exchange.models import Listing

    membership = MembershipFactory()
    colleague = MembershipFactory(organisation=membership.organisation).user
    listing = ListingFactory(
        author=membership.user, organisation=membership.organisation, status=Status.PENDING
    )
    assert list(Listing.objects.visible_to(colleague)) == [listing]
    assert allowed("exchange.edit_listing", colleague, listing)
    assert not Listing.objects.visible_to(UserFactory()).exists()

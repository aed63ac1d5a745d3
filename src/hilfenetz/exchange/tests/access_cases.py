from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hilfenetz.core.tests.access import LOGIN, ROLES, Case, Effect, expect, unchanged
from hilfenetz.exchange import services, tasks
from hilfenetz.exchange.models import (
    Conversation,
    Listing,
    ListingPhoto,
    Message,
    Pledge,
    PledgeStatus,
    Report,
    Ride,
    SavedSearch,
    Status,
)
from hilfenetz.exchange.services.rides import RIDES_CATEGORY
from hilfenetz.exchange.tests.factories import ListingFactory, category, image_upload

LOGGED_IN_200 = expect(200, anonymous=LOGIN)
IN_SCOPE = ("coordinator_here", "district_coordinator", "administrator")


def extend_world(world):
    cache.clear()  # the world starts with fresh rate limits
    listing = ListingFactory(
        municipality=world.here, author=world.users["person"], quantity=5, remaining=5, unit="Stück"
    )
    conversation = Conversation.objects.create(listing=listing, helper=world.users["org_member"])
    message = Message.objects.create(
        conversation=conversation, sender=world.users["org_member"], body="Ich kann helfen."
    )
    # Fulfilled after org_member answered: the answer's link keeps working for them.
    fulfilled = ListingFactory(
        municipality=world.here, author=world.users["person"], status=Status.FULFILLED
    )
    Conversation.objects.create(listing=fulfilled, helper=world.users["org_member"])
    world.extra.update(
        listing=listing,
        fulfilled=fulfilled,
        conversation=conversation,
        message=message,
        report=Report.objects.create(
            listing=listing, reporter=world.users["org_admin"], reason="Spam?"
        ),
        saved_search=SavedSearch.objects.create(user=world.users["person"], query="Fahrrad"),
        token=tasks.reminder_token(listing, "extend"),
        due_listing=(
            due := ListingFactory(
                municipality=world.here, valid_until=timezone.localdate() + timedelta(days=2)
            )
        ),
        due_token=tasks.reminder_token(due, "extend"),
        other_listing=ListingFactory(municipality=world.here),
        category=category("sprache", district=world.district),
        foreign_category=category("sprache", district=world.foreign.district),
        photo=services.add_photo(listing, listing.author, image_upload(), "Ein Kinderwagen"),
    )
    # A need with transport needed: a promise waiting for a driver, and one org_admin drives.
    users = world.users
    transport = ListingFactory(
        municipality=world.here, author=users["person"], transport_needed=True, quantity=3
    )
    ridden = ListingFactory(
        municipality=world.here, author=users["person"], transport_needed=True, quantity=3
    )
    ListingFactory(municipality=world.here, kind="offer", category_slug=RIDES_CATEGORY)
    ride = Ride.objects.create(
        pledge=Pledge.objects.create(listing=ridden, helper=users["org_member"]),
        driver=users["org_admin"],
    )
    world.extra.update(
        transport=transport,
        open_pledge=Pledge.objects.create(listing=transport, helper=users["org_member"]),
        ride=ride,
    )


def url(name, attr=None):
    if attr is None:
        return lambda w: reverse(f"exchange:{name}")
    return lambda w: reverse(f"exchange:{name}", args=[getattr(w, attr).pk])


def listing_url(name):
    return url(name, "listing")


def only(default, roles, value, **more):
    return expect(default, anonymous=LOGIN, **{r: value for r in roles}, **more)


def api(name, *args):
    return lambda w: reverse(f"api-v1:{name}", args=[getattr(w, a).pk for a in args])


def promise_url(name, listing, promise):
    return lambda w: reverse(
        f"exchange:{name}", args=[getattr(w, listing).pk, getattr(w, promise).pk]
    )


def status_of(model, attr):
    return lambda w: model.objects.values_list("status", flat=True).get(pk=getattr(w, attr).pk)


def listing_field(name):
    return lambda w: Listing.objects.values_list(name, flat=True).get(pk=w.listing.pk)


def due_valid_until(w):
    return Listing.objects.values_list("valid_until", flat=True).get(pk=w.due_listing.pk)


def listings(w):
    return Listing.objects.count()


def messages(w):
    return Message.objects.filter(conversation__listing=w.listing).count()


def pledges(w):
    return Pledge.objects.filter(listing=w.listing).count()


def reports(w):
    return Report.objects.filter(listing=w.listing).count()


def one_more(n):
    return n + 1


def one_less(n):
    return n - 1


CASES = [
    Case("exchange:list", url("list"), expect(200)),
    Case(
        "exchange:list",
        url("list"),
        expect(200),
        data=lambda w: {"q": "Kinderwagen", "kind": "need", "sort": "relevance"},
        label="search",
    ),
    Case("exchange:create", url("create"), LOGGED_IN_200),
    Case(
        "exchange:create",
        url("create"),
        LOGGED_IN_200,
        method="POST",
        data=lambda w: {"title": ""},
        label="invalid form",
        effect=unchanged(listings),
    ),
    Case("exchange:mine", url("mine"), LOGGED_IN_200),
    Case("exchange:detail", listing_url("detail"), expect(200)),
    Case(
        "exchange:detail",
        url("detail", "fulfilled"),
        expect(404, **{r: 200 for r in ("person", "org_member", *IN_SCOPE)}),
        label="fulfilled",
    ),
    Case("exchange:edit", listing_url("edit"), only(403, ("person", *IN_SCOPE), 200)),
    Case(
        "exchange:edit",
        listing_url("edit"),
        only(403, ("person", *IN_SCOPE), 200),
        method="POST",
        data=lambda w: {"title": ""},
        label="invalid form",
        effect=unchanged(listing_field("title")),
    ),
    Case(
        "exchange:answer",
        listing_url("answer"),
        expect(200, anonymous=LOGIN, person=403, org_member=302),
    ),
    Case(
        "exchange:answer",
        listing_url("answer"),
        expect(302, anonymous=LOGIN, person=403),
        method="POST",
        data=lambda w: {"body": "Ich kann das bringen."},
        effect=Effect(messages, after=one_more),
    ),
    Case(
        "exchange:pledge",
        listing_url("pledge"),
        expect(302, anonymous=LOGIN, person=403),
        method="POST",
        data=lambda w: {"quantity": 1},
        effect=Effect(pledges, after=one_more),
    ),
    Case("exchange:detail", url("detail", "transport"), expect(200), label="transport needed"),
    Case(
        "exchange:ride_pledge",
        promise_url("ride_pledge", "transport", "open_pledge"),
        # neither the need's author nor the giver drives it
        expect(302, anonymous=LOGIN, person=403, org_member=403),
        method="POST",
        effect=Effect(lambda w: w.open_pledge.rides.count(), after=one_more),
    ),
    Case(
        "exchange:pledge_withdraw",
        promise_url("pledge_withdraw", "transport", "open_pledge"),
        only(403, ("org_member",), 302),
        method="POST",
        effect=Effect(status_of(Pledge, "open_pledge"), after=PledgeStatus.CANCELLED),
    ),
    Case(
        "exchange:ride_withdraw",
        lambda w: reverse("exchange:ride_withdraw", args=[w.ride.pledge.listing_id, w.ride.pk]),
        only(403, ("org_admin",), 302),
        method="POST",
        effect=Effect(status_of(Ride, "ride"), after=PledgeStatus.CANCELLED),
    ),
    Case("exchange:answers", listing_url("answers"), only(403, ("person", *IN_SCOPE), 200)),
    Case(
        "exchange:fulfil",
        listing_url("fulfil"),
        only(403, ("person", *IN_SCOPE), 302),
        method="POST",
        effect=Effect(listing_field("status"), after=Status.FULFILLED),
    ),
    Case(
        "exchange:withdraw",
        listing_url("withdraw"),
        only(403, ("person", *IN_SCOPE), 302),
        method="POST",
        effect=Effect(listing_field("status"), after=Status.WITHDRAWN),
    ),
    # The author (person) does not report their own listing.
    Case("exchange:report", listing_url("report"), expect(200, anonymous=LOGIN, person=403)),
    Case(
        "exchange:report",
        listing_url("report"),
        expect(302, anonymous=LOGIN, person=403),
        method="POST",
        data=lambda w: {"reason": "Das ist Werbung."},
        effect=Effect(reports, after=one_more),
    ),
    Case(
        "exchange:moderate",
        listing_url("moderate"),
        only(404, IN_SCOPE, 302),
        method="POST",
        data=lambda w: {"action": "block", "reason": "Werbung"},
        effect=Effect(listing_field("status"), after=Status.BLOCKED),
    ),
    Case(
        "exchange:conversation",
        url("conversation", "conversation"),
        only(403, ("person", "org_member"), 200),
    ),
    Case(
        "exchange:conversation",
        url("conversation", "conversation"),
        only(403, ("person", "org_member"), 302),
        method="POST",
        data=lambda w: {"body": "Danke!"},
        effect=Effect(messages, after=one_more),
    ),
    Case(
        "exchange:message_report",
        url("message_report", "message"),
        only(403, ("person",), 302),  # org_member sent it and does not report it
        method="POST",
        data=lambda w: {"reason": "unfreundlich"},
        effect=Effect(lambda w: Report.objects.filter(message=w.message).count(), after=one_more),
    ),
    Case(
        "exchange:moderation", url("moderation"), only(403, ("coordinator_other", *IN_SCOPE), 200)
    ),
    Case(
        "exchange:report_dismiss",
        url("report_dismiss", "report"),
        only(404, IN_SCOPE, 302),
        method="POST",
        effect=Effect(
            lambda w: Report.objects.filter(pk=w.report.pk, resolved_at__isnull=False).exists(),
            after=True,
        ),
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.due_listing.pk, w.due_token]),
        expect(200),
        label="the page of the link only shows the button",
        effect=unchanged(due_valid_until),
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.due_listing.pk, w.due_token]),
        expect(200),
        method="POST",
        label="keep open with its button",
        effect=Effect(
            due_valid_until,
            after=lambda d: d + timedelta(days=19),
            roles=ROLES,
        ),
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.listing.pk, w.token]),
        expect(200),
        method="POST",
        data=lambda w: {
            "undo": tasks.undo_token(
                w.listing,
                "extend",
                {
                    "status": "published",
                    # as if "extend" had moved the date a week on
                    "valid_until": str(w.listing.valid_until - timedelta(days=7)),
                    "pledges": [],
                },
            )
        },
        label="undo",
        effect=Effect(
            listing_field("valid_until"), after=lambda d: d - timedelta(days=7), roles=ROLES
        ),
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.listing.pk, w.token]),
        expect(400),
        method="POST",
        data=lambda w: {"undo": "forged"},
        label="forged undo",
        effect=unchanged(listing_field("valid_until")),
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.listing.pk, "forged"]),
        expect(404),
        label="forged token",
    ),
    Case(
        "exchange:reminder",
        lambda w: reverse("exchange:reminder", args=[w.other_listing.pk, w.token]),
        expect(404),
        label="another listing's id",
    ),
    Case(
        "exchange:photo",
        lambda w: reverse("exchange:photo", args=[w.listing.pk, w.photo.pk]),
        expect(200),  # the listing is published: its photo is anyone's
    ),
    Case(
        "exchange:photo",
        lambda w: reverse("exchange:photo", args=[w.other_listing.pk, w.photo.pk]),
        expect(404),
        label="another listing's photo",
    ),
    Case(
        "exchange:photo_delete",
        lambda w: reverse("exchange:photo_delete", args=[w.listing.pk, w.photo.pk]),
        only(403, ("person", *IN_SCOPE), 302),
        method="POST",
        effect=Effect(lambda w: ListingPhoto.objects.filter(pk=w.photo.pk).exists(), after=False),
    ),
    Case(
        "exchange:conversation_contact",
        url("conversation_contact", "conversation"),
        only(403, ("person", "org_member"), 302),
        method="POST",
        data=lambda w: {"share": "1"},
        # the author and the helper each share their own contact
        effect=Effect(
            lambda w: Conversation.objects.filter(
                Q(author_shares_contact_at__isnull=False)
                | Q(helper_shares_contact_at__isnull=False),
                pk=w.conversation.pk,
            ).exists(),
            after=True,
        ),
    ),
    Case("exchange:saved_searches", url("saved_searches"), LOGGED_IN_200),
    Case(
        "exchange:saved_searches",
        url("saved_searches"),
        expect(302, anonymous=LOGIN),
        method="POST",
        data=lambda w: {"query": "Fahrrad", "frequency": "daily"},
        effect=Effect(lambda w: SavedSearch.objects.count(), after=one_more),
    ),
    Case(
        "exchange:saved_search_delete",
        url("saved_search_delete", "saved_search"),
        only(404, ("person",), 302),
        method="POST",
        effect=Effect(
            lambda w: SavedSearch.objects.filter(pk=w.saved_search.pk).exists(), after=False
        ),
    ),
    Case(
        "exchange:statistics", url("statistics"), only(403, ("coordinator_other", *IN_SCOPE), 200)
    ),
    Case(
        "exchange:statistics_csv",
        url("statistics_csv"),
        only(403, ("coordinator_other", *IN_SCOPE), 200),
    ),
    Case("api-v1:list_listings", api("list_listings"), expect(200)),
    Case(
        "api-v1:create_listing",
        api("create_listing"),
        expect(400, anonymous=401),
        method="POST",
        label="no body",
        effect=unchanged(listings),
    ),
    Case(
        "api-v1:answer_listing",
        api("answer_listing", "listing"),
        expect(400, anonymous=401),
        method="POST",
        label="no body",
        effect=unchanged(messages),
    ),
    Case(
        "api-v1:pledge_listing",
        api("pledge_listing", "listing"),
        expect(400, anonymous=401),
        method="POST",
        label="no body",
        effect=unchanged(pledges),
    ),
    Case(
        "admin:exchange_listing_changelist",
        lambda w: reverse("admin:exchange_listing_changelist"),
        expect(
            302,
            coordinator_here=200,
            coordinator_other=200,
            district_coordinator=200,
            administrator=200,
        ),
    ),
    Case(
        "admin:exchange_listing_change",
        lambda w: reverse("admin:exchange_listing_change", args=[w.listing.pk]),
        expect(
            302,
            coordinator_here=200,
            coordinator_other=302,
            district_coordinator=200,
            administrator=200,
        ),
        label="listing in scope",
    ),
    Case(
        "admin:exchange_category_changelist",
        lambda w: reverse("admin:exchange_category_changelist"),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=200,
            administrator=200,
        ),
    ),
    Case(
        "admin:exchange_category_add",
        lambda w: reverse("admin:exchange_category_add"),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=200,
            administrator=200,
        ),
    ),
    Case(
        "admin:exchange_category_change",
        lambda w: reverse("admin:exchange_category_change", args=[w.category.pk]),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=200,
            administrator=200,
        ),
        label="category of the district",
    ),
    Case(
        "admin:exchange_category_change",
        lambda w: reverse("admin:exchange_category_change", args=[w.foreign_category.pk]),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=302,
            administrator=200,
        ),
        label="category of another district",
    ),
    Case(
        "admin:exchange_category_delete",
        lambda w: reverse("admin:exchange_category_delete", args=[w.foreign_category.pk]),
        expect(
            302,
            coordinator_here=403,
            coordinator_other=403,
            district_coordinator=302,
            administrator=200,
        ),
        label="category of another district",
    ),
]

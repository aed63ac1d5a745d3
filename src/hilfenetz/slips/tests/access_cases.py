"""Slips in the access matrix. The coordinator's pages: the coordinators of the listing's
municipality and district and administrators; another municipality's coordinator sees no
such slip (404). The person's pages need no login: they ask for the slip's session, which
no account has (302 to the code entry)."""

from django.urls import reverse

from hilfenetz.core.tests.access import LOGIN, Case, Effect, expect, unchanged
from hilfenetz.exchange.models import Conversation, Message
from hilfenetz.slips import services
from hilfenetz.slips.models import Slip
from hilfenetz.slips.tests.factories import on_behalf_listing

IN_SCOPE = ("coordinator_here", "district_coordinator", "administrator")
COORDINATORS = (*IN_SCOPE, "coordinator_other")


def extend_world(world):
    coordinator = world.users["coordinator_here"]
    listing = on_behalf_listing(world.here, coordinator=coordinator, title="Winterjacke")
    slip = services.create_slip(coordinator, listing, pseudonym="Amira", language="ar")
    world.extra.update(
        slip_listing=listing,
        slip=slip,
        slip_code=services.code_of(slip),
        second_listing=on_behalf_listing(world.here, coordinator=coordinator, title="Schuhe"),
        slip_conversation=Conversation.objects.create(
            listing=listing, helper=world.users["org_member"]
        ),
    )


def slip_url(name):
    return lambda w: reverse(f"slips:{name}", args=[w.slip.pk])


def slips(w):
    return Slip.objects.count()


def revoked(w):
    return Slip.objects.filter(pk=w.slip.pk, revoked_at__isnull=False).exists()


def slip_listings(w):
    return Slip.objects.get(pk=w.slip.pk).listings.count()


def slip_messages(w):
    return Message.objects.filter(conversation=w.slip_conversation).count()


COORDINATOR_PAGE = expect(403, anonymous=LOGIN, **{r: 200 for r in COORDINATORS})
SLIP_PAGE = expect(404, anonymous=LOGIN, **{r: 200 for r in IN_SCOPE})

CASES = [
    Case("slips:list", lambda w: reverse("slips:list"), COORDINATOR_PAGE),
    Case("slips:create", lambda w: reverse("slips:create"), COORDINATOR_PAGE),
    Case(
        "slips:create",
        lambda w: reverse("slips:create"),
        expect(403, anonymous=LOGIN, coordinator_other=200, **{r: 302 for r in IN_SCOPE}),
        method="POST",
        data=lambda w: {"listing": w.slip_listing.pk, "pseudonym": "Samir", "language": "fa"},
        effect=Effect(slips, after=lambda n: n + 1),
    ),
    Case(
        "slips:create",
        lambda w: reverse("slips:create"),
        COORDINATOR_PAGE,
        method="POST",
        data=lambda w: {"listing": w.slip_listing.pk, "pseudonym": "", "language": "fa"},
        label="invalid form",
        effect=unchanged(slips),
    ),
    Case("slips:detail", slip_url("detail"), SLIP_PAGE),
    Case("slips:print", slip_url("print"), SLIP_PAGE),
    Case("slips:pdf", slip_url("pdf"), SLIP_PAGE),
    Case(
        "slips:add_listing",
        slip_url("add_listing"),
        expect(404, anonymous=LOGIN, **{r: 302 for r in IN_SCOPE}),
        method="POST",
        data=lambda w: {"listing": w.second_listing.pk},
        effect=Effect(slip_listings, after=2),
    ),
    Case("slips:add_listing", slip_url("add_listing"), expect(405, anonymous=LOGIN), label="GET"),
    Case(
        "slips:revoke",
        slip_url("revoke"),
        expect(404, anonymous=LOGIN, **{r: 302 for r in IN_SCOPE}),
        method="POST",
        effect=Effect(revoked, after=True),
    ),
    Case("slips:revoke", slip_url("revoke"), expect(405, anonymous=LOGIN), label="GET"),
    Case("slips:enter", lambda w: reverse("slips:enter"), expect(200)),
    Case(
        "slips:enter",
        lambda w: reverse("slips:enter"),
        expect(200),
        method="POST",
        data=lambda w: {"code": "AAAA-AAAA"},
        label="wrong code",
    ),
    Case(
        "slips:enter",
        lambda w: reverse("slips:enter"),
        expect(302),
        method="POST",
        data=lambda w: {"code": w.slip_code},
    ),
    Case("slips:open", lambda w: reverse("slips:open", args=[w.slip_code]), expect(200)),
    Case(
        "slips:open",
        lambda w: reverse("slips:open", args=[w.slip_code]),
        expect(302),
        method="POST",
    ),
    # without the slip's session (no account has one): to the code entry, nothing changes
    Case("slips:home", lambda w: reverse("slips:home"), expect(302)),
    Case(
        "slips:reply",
        lambda w: reverse("slips:reply", args=[w.slip_conversation.pk]),
        expect(302),
        method="POST",
        data=lambda w: {"body": "Danke!"},
        effect=unchanged(slip_messages),
    ),
    Case("slips:leave", lambda w: reverse("slips:leave"), expect(302), method="POST"),
]

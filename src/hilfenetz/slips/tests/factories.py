from hilfenetz.accounts.tests.factories import coordinator_of
from hilfenetz.exchange.models import ConsentRecord
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.slips import services


def on_behalf_listing(municipality, coordinator=None, **fields):
    """A published need a coordinator of ``municipality`` posted for someone without account."""
    coordinator = coordinator or coordinator_of(municipality=municipality)
    consent = ConsentRecord.objects.create(recorded_by=coordinator, agreement="mündlich")
    return ListingFactory(municipality=municipality, author=coordinator, consent=consent, **fields)


def slip_for(listing, *, language="de", pseudonym="Amira", **fields):
    """A slip printed by the listing's author (a coordinator) and its code."""
    slip = services.create_slip(
        listing.author, listing, pseudonym=pseudonym, language=language, **fields
    )
    return slip, services.code_of(slip)

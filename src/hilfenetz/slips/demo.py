"""Demo: a help-seeker without e-mail (fictional) whose need the Esslingen coordination posted,
with a slip in Arabic, a volunteer's answer, and the code printed for trying it on a phone."""

from django.urls import reverse

from hilfenetz.core.demo import DemoContext, step
from hilfenetz.exchange.models import Conversation, Listing, Message
from hilfenetz.slips import services


@step(55, "Slips: a help-seeker without e-mail follows their need with a code")
def slips(ctx: DemoContext):
    coordinator = ctx.users["municipal_coordinators"][0]  # Koordination Esslingen am Neckar
    listing = Listing.objects.published().filter(author=coordinator, consent__isnull=False).first()
    slip = services.create_slip(coordinator, listing, pseudonym="Samira (Demo)", language="ar")
    volunteer = ctx.users["volunteers"][0]
    # the exchange's demo history may already have let this volunteer answer the need
    conversation, _ = Conversation.objects.get_or_create(listing=listing, helper=volunteer)
    Message.objects.create(
        conversation=conversation,
        sender=volunteer,
        body="Ich habe Bettwäsche und zwei Handtücher übrig und kann sie am Samstag bringen.",
        language="de",
    )
    ctx.progress(
        f"slip of {slip.pseudonym} for {listing.title!r} ({coordinator.email}): code "
        f"{services.code_of(slip)} at {reverse('slips:enter')}; the coordinator sees it at "
        f"{reverse('slips:detail', args=[slip.pk])}"
    )

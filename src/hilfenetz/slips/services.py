"""The slip's workflow: printed for a listing posted on someone's behalf, entered with its
code, answered from, revoked, and tidied when it ends."""

import re
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hilfenetz.core import audit, lifecycle, texts
from hilfenetz.core.predicates import permitted, require
from hilfenetz.exchange import ratelimit
from hilfenetz.exchange.models import MAX_VALIDITY, OPEN_STATUSES, Conversation, Listing, Message
from hilfenetz.exchange.services.answers import add_message
from hilfenetz.slips import codes
from hilfenetz.slips.models import ERASED, Slip

audit.define_actions(
    slip_created=gettext_lazy("slip printed"),
    slip_listing_added=gettext_lazy("listing added to the slip"),
    slip_revoked=gettext_lazy("slip revoked"),
)

# Wrong codes one address may type in ENTRY_PERIOD seconds (21**8 codes: guessing one takes
# centuries), and answers a slip may send an hour.
ENTRY_LIMIT, ENTRY_PERIOD = 20, 15 * 60
REPLY_LIMIT = 30
PHONE = re.compile(r"\+?[0-9]{6,16}")


def sms_configured() -> bool:
    return bool(settings.SMS_GATEWAY_URL and settings.SMS_GATEWAY_KEY)


def slips_for(user):
    """The slips ``user`` may see and manage (those of their municipalities)."""
    return permitted("slips.manage_slip", user, Slip.objects.all())


def listings_for_slip(user):
    """Open listings posted on someone's behalf in ``user``'s scope: those a slip is for."""
    return permitted("slips.create_slip", user, Listing.objects.all())


def default_valid_until(listing: Listing) -> date:
    return listing.valid_until + timedelta(days=settings.SLIP_DAYS_AFTER_CLOSING)


def _clean_phone(phone: str, agreed: bool) -> str:
    phone = re.sub(r"[\s()/-]", "", phone or "")
    if not phone:
        return ""
    if not sms_configured():
        raise ValidationError(_("Text messages are not set up; please leave the number empty."))
    if not agreed:
        raise ValidationError(
            _("Please store a mobile number only if the person agrees to text messages.")
        )
    if not PHONE.fullmatch(phone):
        raise ValidationError(
            _("Please enter a mobile number with digits only, e.g. +4915112345678.")
        )
    return phone


@transaction.atomic
def create_slip(
    actor,
    listing: Listing,
    *,
    pseudonym: str,
    language: str,
    valid_until: date | None = None,
    phone: str = "",
    sms_consent: bool = False,
) -> Slip:
    """A slip for a listing posted on someone's behalf, by a coordinator of its municipality."""
    require("slips.create_slip", actor, listing)
    pseudonym = texts.required(pseudonym, _("Please enter a first name or a pseudonym."))[:40]
    today = timezone.localdate()
    valid_until = valid_until or default_valid_until(listing)
    if not today <= valid_until <= today + MAX_VALIDITY + timedelta(days=31):
        raise ValidationError(_("Please choose a date from today on, at most about a year ahead."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Please choose a language."))
    phone = _clean_phone(phone, sms_consent)
    slip = Slip(
        municipality_id=listing.municipality_id,
        created_by=actor,
        pseudonym=pseudonym,
        language=language,
        valid_until=valid_until,
        phone=phone,
        sms_consent_at=timezone.now() if phone else None,
    )
    # A new secret in the (most unlikely) case its code is taken already.
    for _attempt in range(5):
        slip.secret = codes.new_secret()
        slip.code_digest = codes.digest(codes.code_for(slip.secret))
        try:
            with transaction.atomic():
                slip.save()
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError(_("Please try again."))
    slip.listings.add(listing)
    audit.record(slip, "slip_created", actor=actor, changes={"listing": listing.pk})
    return slip


@transaction.atomic
def add_listing(slip: Slip, listing: Listing, actor) -> Slip:
    """A further listing for the same person, on the same slip (of the same municipality);
    the slip then lasts at least as long as that listing does."""
    require("slips.manage_slip", actor, slip)
    require("slips.create_slip", actor, listing)
    slip = lifecycle.locked(slip)
    if not slip.is_active():
        raise ValidationError(_("This slip is no longer valid."))
    if listing.municipality_id != slip.municipality_id:
        raise ValidationError(_("Please choose a listing of the slip's municipality."))
    slip.listings.add(listing)
    slip.valid_until = max(slip.valid_until, default_valid_until(listing))
    slip.save(update_fields=["valid_until"])
    audit.record(slip, "slip_listing_added", actor=actor, changes={"listing": listing.pk})
    return slip


def code_of(slip: Slip) -> str:
    """The code printed on the slip, in groups (for the coordinator's reprint)."""
    return codes.grouped(codes.code_for(slip.secret))


def find_slip(typed: str, client_address: str) -> Slip | None:
    """The active slip whose code was typed or scanned, or None. Wrong codes count against
    the address (many people may share one, in a shelter): after ``ENTRY_LIMIT`` of them in
    ``ENTRY_PERIOD`` seconds it raises ``RateLimited``, for the right code too."""
    key = f"slips-entry:{client_address}"
    ratelimit.refuse_over(key, ENTRY_LIMIT, ENTRY_PERIOD)
    code = codes.normalise(typed)
    slip = Slip.objects.active().filter(code_digest=codes.digest(code)).first() if code else None
    if slip is None:
        ratelimit.hit(key, ENTRY_LIMIT, ENTRY_PERIOD)
    return slip


@transaction.atomic
def reply(slip: Slip, conversation: Conversation, body: str) -> Message:
    """The person answers in a conversation about one of their listings. It is written in the
    name of the listing's author, who posted it for them."""
    slip = lifecycle.locked(slip)
    if not slip.is_active() or not slip.listings.filter(pk=conversation.listing_id).exists():
        raise ValidationError(_("This slip is no longer valid."))
    ratelimit.hit(f"slips-reply:{slip.pk}", REPLY_LIMIT, 3600)
    listing = conversation.listing
    return add_message(conversation, listing.author, body, language=slip.language)


@transaction.atomic
def revoke(slip: Slip, actor) -> Slip:
    """The code stops working at once (open sessions too); the phone number is erased."""
    require("slips.manage_slip", actor, slip)
    slip = lifecycle.locked(slip)
    if slip.revoked_at is None:
        slip.revoked_at = timezone.now()
        slip.phone = ""
        slip.sms_consent_at = None
        slip.save(update_fields=["revoked_at", "phone", "sms_consent_at"])
        audit.record(slip, "slip_revoked", actor=actor)
    return slip


def tidy(today: date | None = None) -> dict:
    """The daily job: a slip whose listings all closed ends ``SLIP_DAYS_AFTER_CLOSING`` days
    later; a phone number is erased as soon as no listing of its slip is open or the slip
    ended, the name ``CONSENT_RETENTION_DAYS`` after it ended. Running it twice changes
    nothing more."""
    today = today or timezone.localdate()
    end = today + timedelta(days=settings.SLIP_DAYS_AFTER_CLOSING)
    all_closed = Q(pk__in=Slip.objects.exclude(listings__status__in=OPEN_STATUSES).values("pk"))
    shortened = Slip.objects.filter(all_closed, valid_until__gt=end).update(valid_until=end)
    ended = Q(revoked_at__isnull=False) | Q(valid_until__lt=today)
    erased = (
        Slip.objects.filter(ended | all_closed)
        .exclude(phone="", sms_consent_at__isnull=True)
        .update(phone="", sms_consent_at=None)
    )
    # the name too, as long after the end as a consent record is kept (exchange/privacy.py)
    kept_until = today - timedelta(days=settings.CONSENT_RETENTION_DAYS)
    names = (
        Slip.objects.filter(Q(valid_until__lt=kept_until) | Q(revoked_at__date__lt=kept_until))
        .exclude(pseudonym=ERASED)
        .update(pseudonym=ERASED)
    )
    return {"shortened": shortened, "phones_erased": erased, "names_erased": names}


def short_address(path: str) -> str:
    """The address to type, without "https://" (the site's host and ``path``)."""
    return f"{urlsplit(settings.SITE_URL).netloc}{path}"


def slip_url(slip: Slip) -> str:
    """The address in the QR code: the code's own page, which asks before it opens anything."""
    return f"{settings.SITE_URL}{reverse('slips:open', args=[codes.code_for(slip.secret)])}"

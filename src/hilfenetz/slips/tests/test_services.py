from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import periodic
from hilfenetz.core.models import AuditEntry
from hilfenetz.exchange.models import Conversation, Message, Status
from hilfenetz.exchange.ratelimit import RateLimited
from hilfenetz.exchange.tests.factories import ListingFactory
from hilfenetz.regions.tests.factories import MunicipalityFactory
from hilfenetz.slips import codes, services, tasks
from hilfenetz.slips.models import Slip
from hilfenetz.slips.tests.factories import on_behalf_listing, slip_for

pytestmark = pytest.mark.django_db


def test_a_code_has_eight_unambiguous_characters_in_two_groups(listing):
    slip, code = slip_for(listing)
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert not set("0O1lIS5B8Z2") & set(codes.ALPHABET)
    # the database holds neither the code nor an unkeyed hash of it
    assert code.replace("-", "") not in (slip.secret, slip.code_digest)


def test_the_code_is_found_however_it_is_typed(listing):
    slip, code = slip_for(listing)
    for typed in (code, code.lower(), code.replace("-", " "), f"  {code.replace('-', '')} "):
        assert services.find_slip(typed, "192.0.2.1") == slip
    assert services.find_slip("AAAA-AAAA", "192.0.2.1") is None
    assert services.find_slip("not a code", "192.0.2.1") is None


def test_only_a_coordinator_of_the_listing_prints_a_slip(listing, municipality):
    other = coordinator_of(municipality=MunicipalityFactory(district=municipality.district))
    for user in (UserFactory(), other):
        with pytest.raises(PermissionDenied):
            services.create_slip(user, listing, pseudonym="Amira", language="ar")
    own = ListingFactory(municipality=municipality, author=listing.author)  # not on behalf
    with pytest.raises(PermissionDenied):
        services.create_slip(listing.author, own, pseudonym="Amira", language="ar")
    assert not Slip.objects.exists()


def test_a_slip_needs_a_name_and_a_sensible_date(listing):
    with pytest.raises(ValidationError):
        services.create_slip(listing.author, listing, pseudonym="  ", language="ar")
    with pytest.raises(ValidationError):
        services.create_slip(
            listing.author,
            listing,
            pseudonym="Amira",
            language="ar",
            valid_until=timezone.localdate() - timedelta(days=1),
        )
    assert not Slip.objects.exists()


def test_a_slip_is_valid_until_two_weeks_after_the_listing_by_default(listing):
    slip, _code = slip_for(listing)
    assert slip.valid_until == listing.valid_until + timedelta(days=14)
    assert AuditEntry.objects.filter(action="slip_created").count() == 1


def test_no_phone_number_without_a_gateway_or_without_consent(listing, settings):
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ValidationError):
        slip_for(listing, phone="+4915112345678", sms_consent=True)
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http://127.0.0.1:9/api/sms", "key"
    with pytest.raises(ValidationError):
        slip_for(listing, phone="+4915112345678", sms_consent=False)
    with pytest.raises(ValidationError):
        slip_for(listing, phone="call me", sms_consent=True)
    slip, _code = slip_for(listing, phone="+49 151 1234-5678", sms_consent=True)
    assert slip.phone == "+4915112345678" and slip.texts_answers


def test_a_revoked_or_expired_slip_opens_nothing(listing):
    slip, code = slip_for(listing)
    Slip.objects.filter(pk=slip.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    assert services.find_slip(code, "192.0.2.1") is None
    Slip.objects.filter(pk=slip.pk).update(valid_until=timezone.localdate())
    assert services.find_slip(code, "192.0.2.1") == slip
    services.revoke(slip, listing.author)
    assert services.find_slip(code, "192.0.2.1") is None
    assert AuditEntry.objects.filter(action="slip_revoked").count() == 1


def test_someone_else_cannot_revoke(listing):
    slip, _code = slip_for(listing)
    with pytest.raises(PermissionDenied):
        services.revoke(slip, UserFactory())
    slip.refresh_from_db()
    assert slip.revoked_at is None


def test_guessing_codes_is_stopped_per_address(listing):
    slip, code = slip_for(listing)
    for _ in range(services.ENTRY_LIMIT + 5):  # the right code, many times: a shelter's wifi
        assert services.find_slip(code, "198.51.100.7") == slip
    for _ in range(services.ENTRY_LIMIT):
        assert services.find_slip("AAAA-AAAA", "198.51.100.7") is None
    with pytest.raises(RateLimited):
        services.find_slip(code, "198.51.100.7")  # even the right code, from that address
    assert services.find_slip(code, "198.51.100.8") == slip


def test_the_person_answers_in_the_name_of_the_listing(listing):
    slip, _code = slip_for(listing, language="ar")
    helper = UserFactory(display_name="Jonas")
    conversation = Conversation.objects.create(listing=listing, helper=helper)
    message = services.reply(slip, conversation, "شكرا، غدا مناسب")
    assert message.sender == listing.author and message.language == "ar"
    other = Conversation.objects.create(listing=ListingFactory(), helper=helper)
    with pytest.raises(ValidationError):
        services.reply(slip, other, "Hallo")
    services.revoke(slip, listing.author)
    with pytest.raises(ValidationError):
        services.reply(slip, conversation, "noch da?")
    assert Message.objects.count() == 1


def test_tidying_ends_slips_of_closed_listings_and_erases_phone_numbers(listing, settings):
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http://127.0.0.1:9/api/sms", "key"
    slip, _code = slip_for(listing, phone="+4915112345678", sms_consent=True)
    second = on_behalf_listing(listing.municipality, coordinator=listing.author)
    kept, _code = slip_for(second, phone="+4915187654321", sms_consent=True)
    today = timezone.localdate()
    nothing = {"shortened": 0, "phones_erased": 0, "names_erased": 0}
    assert services.tidy(today) == nothing

    listing.status = Status.FULFILLED
    listing.save()
    assert services.tidy(today) == {"shortened": 1, "phones_erased": 1, "names_erased": 0}
    slip.refresh_from_db()
    kept.refresh_from_db()
    assert slip.valid_until == today + timedelta(days=14) and slip.phone == ""
    assert kept.phone and kept.valid_until == second.valid_until + timedelta(days=14)
    assert services.tidy(today) == nothing  # idempotent

    Slip.objects.filter(pk=kept.pk).update(valid_until=today - timedelta(days=1))
    assert services.tidy(today)["phones_erased"] == 1
    # the name as long after the end as a consent record is kept
    later = kept.valid_until + timedelta(days=settings.CONSENT_RETENTION_DAYS + 1)
    assert services.tidy(later)["names_erased"] == 2
    kept.refresh_from_db()
    assert kept.pseudonym == "—" and services.tidy(later) == nothing
    # the daily job runs it
    assert periodic.registered_jobs()[tasks.tidy_slips.module_path][1] == timedelta(days=1)


def test_export_and_erase_of_the_coordinator(listing):
    from hilfenetz.core import privacy

    slip, code = slip_for(listing)
    exported = privacy.export_sections(listing.author)["slips"]["slips"]
    assert exported[0]["pseudonym"] == "Amira" and exported[0]["listings"] == [listing.pk]
    privacy.erase_everywhere(listing.author)
    slip.refresh_from_db()
    assert slip.pseudonym == "—" and slip.revoked_at is not None
    assert services.find_slip(code, "192.0.2.1") is None


def test_a_further_listing_goes_on_the_same_slip(listing, municipality):
    slip, code = slip_for(listing)
    later = on_behalf_listing(
        municipality,
        coordinator=listing.author,
        valid_until=listing.valid_until + timedelta(days=30),
    )
    slip = services.add_listing(slip, later, listing.author)
    assert set(slip.listings.all()) == {listing, later}
    assert slip.valid_until == later.valid_until + timedelta(days=14)
    assert services.find_slip(code, "192.0.2.1") == slip  # the same code
    elsewhere = on_behalf_listing(MunicipalityFactory(district=municipality.district))
    with pytest.raises(PermissionDenied):  # not in the coordinator's municipality
        services.add_listing(slip, elsewhere, listing.author)
    with pytest.raises(PermissionDenied):
        services.add_listing(slip, ListingFactory(municipality=municipality), listing.author)
    district = coordinator_of(district=municipality.district)
    with pytest.raises(ValidationError):  # another municipality than the slip's
        services.add_listing(slip, elsewhere, district)
    assert slip.listings.count() == 2

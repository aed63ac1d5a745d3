"""Categories belong to a district: seeded per district, offered and validated per district,
edited only by the district's coordinators."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hilfenetz.accounts.tests.factories import UserFactory, coordinator_of
from hilfenetz.core import page_cache
from hilfenetz.core.models import translation_languages
from hilfenetz.exchange import services
from hilfenetz.exchange.categories import START_CATEGORIES, ensure_start_categories
from hilfenetz.exchange.forms import FilterForm
from hilfenetz.exchange.models import Category, Listing, SavedSearch
from hilfenetz.exchange.tests.factories import ListingFactory, category
from hilfenetz.regions.models import District
from hilfenetz.regions.tests.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

START_SLUGS = {slug for slug, _name, _translations in START_CATEGORIES}
TRANSLATED = [code for code, _name in translation_languages()]  # every language but German


def slugs(qs):
    return set(qs.values_list("slug", flat=True))


@pytest.fixture
def here():
    municipality = MunicipalityFactory(name="Hierdorf")
    municipality.district.moderate_new_accounts = False
    municipality.district.save()
    return municipality


@pytest.fixture
def foreign():
    return MunicipalityFactory(name="Fernheim")


def options(response, name="category"):
    """The values offered by the select ``name`` of a rendered form."""
    field = response.context["form"][name].field
    return {str(value) for value, _label in field.choices if value != ""}


# --- seeding ------------------------------------------------------------------------------


def test_every_new_district_gets_its_own_start_categories():
    first, second = DistrictFactory(), DistrictFactory()
    assert slugs(first.categories) == slugs(second.categories) == START_SLUGS
    assert not set(first.categories.values_list("pk", flat=True)) & set(
        second.categories.values_list("pk", flat=True)
    )
    language = first.categories.get(slug="sprache")
    assert language.label("uk") == "Мова" and language.position == 60
    assert language.missing_languages() == []


def test_ensure_start_categories_puts_back_only_what_is_missing():
    district = DistrictFactory()
    district.categories.filter(slug="wohnen").delete()
    renamed = district.categories.get(slug="sprache")
    renamed.name = "Deutsch lernen"
    renamed.save()
    created = ensure_start_categories(district)
    assert [c.slug for c in created] == ["wohnen"]
    assert slugs(district.categories) == START_SLUGS
    assert district.categories.get(slug="sprache").name == "Deutsch lernen"
    assert ensure_start_categories(district) == []


def test_load_district_produces_a_seeded_district():
    call_command("load_district", verbosity=0)
    district = District.objects.get()
    assert slugs(district.categories) == START_SLUGS


def test_editing_a_category_changes_only_its_district(here, foreign):
    mine = category("sprache", district=here.district)
    mine.is_active = False
    mine.translations = {"en": {"name": "German lessons"}}
    mine.save()
    theirs = category("sprache", district=foreign.district)
    assert theirs.is_active and theirs.label("en") == "Language"


def test_slug_is_unique_within_a_district_only(here, foreign):
    clash = Category(district=here.district, slug="sprache", name="Sprache 2")
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "slug" in exc.value.message_dict
    Category(district=here.district, slug="nachbarschaft", name="Nachbarschaft").full_clean()


# --- listings -----------------------------------------------------------------------------


def test_listing_form_offers_the_categories_of_the_district(client, here, foreign):
    user = UserFactory(home_municipality=here)
    client.force_login(user)
    response = client.get(reverse("exchange:create"))
    assert options(response) == {
        str(pk) for pk in here.district.categories.values_list("pk", flat=True)
    }
    listing = ListingFactory(municipality=foreign, author=user)
    response = client.get(reverse("exchange:edit", args=[listing.pk]))
    assert options(response) == {
        str(pk) for pk in foreign.district.categories.values_list("pk", flat=True)
    }


def test_listing_form_refuses_a_category_of_another_district(client, here, foreign):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    response = client.post(
        reverse("exchange:create"),
        {
            "kind": "offer",
            "category": category(district=foreign.district).pk,
            "municipality": here.pk,
            "language": "de",
            "title": "Winterjacken",
            "description": "Drei warme Jacken.",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["category"]
    assert errors == [
        "This category belongs to another district. Please choose a category of the "
        "district of Hierdorf."
    ]
    assert not Listing.objects.exists()
    # shown again: the categories of the municipality's district
    assert options(response) == {
        str(pk) for pk in here.district.categories.values_list("pk", flat=True)
    }


def test_services_refuse_a_category_of_another_district(here, foreign):
    with pytest.raises(ValidationError):
        services.create_listing(
            UserFactory(),
            kind="need",
            category=category(district=foreign.district),
            municipality=here,
            title="Fahrrad",
            description="Für den Schulweg.",
        )
    assert not Listing.objects.exists()
    listing = ListingFactory(municipality=here)
    with pytest.raises(ValidationError):
        services.update_listing(listing, listing.author, municipality=foreign)
    listing.refresh_from_db()
    assert listing.municipality == here


def test_list_filter_offers_the_categories_of_the_district_browsed(client, here, foreign):
    ListingFactory(municipality=here, category_slug="sprache", title="Hier")
    ListingFactory(municipality=foreign, category_slug="sprache", title="Fern")
    url = reverse("exchange:list")
    response = client.get(url, {"district": here.district.pk})
    mine = {str(pk) for pk in here.district.categories.values_list("pk", flat=True)}
    assert options(response) == mine
    language = category("sprache", district=here.district)
    response = client.get(url, {"district": here.district.pk, "category": language.pk})
    assert [x.title for x in response.context["result"].object_list] == ["Hier"]
    # across districts every category names its district
    response = client.get(url)
    labels = [label for value, label in response.context["form"]["category"].field.choices]
    assert f"Sprache ({here.district.name})" in labels
    assert f"Sprache ({foreign.district.name})" in labels


def test_the_district_browsed_narrows_the_list_and_its_searches(client, here, foreign):
    ListingFactory(municipality=here, title="Kinderwagen hier")
    ListingFactory(municipality=foreign, title="Kinderwagen fern")
    for district, title in (
        (here.district, "Kinderwagen hier"),
        (foreign.district, "Kinderwagen fern"),
    ):
        for query in ({}, {"q": "Kinderwagen"}):
            response = client.get(reverse("exchange:list"), {"district": district.pk, **query})
            assert [x.title for x in response.context["result"].object_list] == [title]


def test_the_only_district_of_an_installation_is_no_filter_for_the_database(client, here):
    ListingFactory(municipality=here, title="Kinderwagen hier")
    for query in ({}, {"q": "Kinderwagen"}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("exchange:list"), query)
        assert [x.title for x in response.context["result"].object_list] == ["Kinderwagen hier"]
        listings = [q["sql"] for q in queries if 'FROM "exchange_listing"' in q["sql"]]
        assert listings
        assert not [sql for sql in listings if "regions_municipality" in sql]


@pytest.mark.parametrize("kept", [0, 300])
def test_the_saved_searches_link_keeps_the_district_browsed(client, settings, here, foreign, kept):
    settings.PAGE_CACHE_SECONDS = kept  # also when the results below it were kept
    client.force_login(UserFactory())
    url, saved = reverse("exchange:list"), reverse("exchange:saved_searches")
    for _ in range(3):
        chosen = client.get(url, {"district": foreign.district.pk}).content.decode()
        assert f'href="{saved}?district={foreign.district.pk}"' in chosen
        assert f'href="{saved}"' in client.get(url).content.decode()


def test_saved_search_form_offers_the_categories_of_the_district(client, here, foreign):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    url = reverse("exchange:saved_searches")
    response = client.get(url, {"district": foreign.district.pk})
    assert options(response) == {
        str(pk) for pk in foreign.district.categories.values_list("pk", flat=True)
    }
    response = client.post(
        f"{url}?district={foreign.district.pk}",
        {"category": category(district=here.district).pk, "frequency": "daily"},
    )
    assert response.status_code == 200 and "category" in response.context["form"].errors
    response = client.post(
        url,  # no district: every category may be chosen, but not one of another place
        {
            "category": category(district=here.district).pk,
            "municipality": foreign.pk,
            "frequency": "daily",
        },
    )
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not SavedSearch.objects.exists()


def test_matching_uses_the_category_row_of_the_district(here):
    need = ListingFactory(municipality=here, kind="need", title="Fahrrad gesucht")
    offer = ListingFactory(municipality=here, kind="offer", title="Fahrrad abzugeben")
    assert need.category == offer.category
    assert services.matches(need) == [offer]


# --- API ----------------------------------------------------------------------------------


def test_api_category_filter_matches_within_the_district(client, here, foreign):
    ListingFactory(municipality=here, category_slug="sprache")
    ListingFactory(municipality=foreign, category_slug="sprache")
    url = reverse("api-v1:list_listings")
    assert client.get(url, {"category": "sprache"}).json()["count"] == 2
    found = client.get(url, {"category": "sprache", "district": here.district.slug}).json()
    assert found["count"] == 1
    assert client.get(url, {"district": "gibt-es-nicht"}).json()["count"] == 0


def test_api_create_takes_the_category_of_the_municipality_district(client, here, foreign):
    category("nur-fern", district=foreign.district)
    client.force_login(UserFactory())
    url = reverse("api-v1:create_listing")
    payload = {"kind": "need", "municipality": here.pk, "title": "T", "description": "D"}
    response = client.post(
        url, {**payload, "category": "nur-fern"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nur-fern" in response.json()["detail"]
    assert not Listing.objects.exists()
    response = client.post(url, {**payload, "category": "sprache"}, content_type="application/json")
    assert response.status_code == 201
    created = Listing.objects.get()
    assert created.category == category("sprache", district=here.district)


# --- admin --------------------------------------------------------------------------------


def test_admin_shows_a_district_coordinator_only_their_categories(client, here, foreign):
    coordinator = coordinator_of(district=here.district)
    client.force_login(coordinator)
    response = client.get(reverse("admin:exchange_category_changelist"))
    assert response.status_code == 200
    shown = {c.pk for c in response.context["cl"].result_list}
    assert shown == set(here.district.categories.values_list("pk", flat=True))
    response = client.get(reverse("admin:exchange_category_add"))
    districts = response.context["adminform"].form.fields["district"].queryset
    assert list(districts) == [here.district]
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:exchange_category_changelist"))
    assert response.context["cl"].result_count == Category.objects.count() == 20


def test_district_coordinator_adds_categories_only_for_their_district(client, here, foreign):
    client.force_login(coordinator_of(district=here.district))
    url = reverse("admin:exchange_category_add")
    data = {"name": "Nachbarschaft", "slug": "nachbarschaft"}
    response = client.post(url, {**data, "district": foreign.district.pk, "position": 5})
    assert response.status_code == 200  # not a valid choice
    assert not Category.objects.filter(slug="nachbarschaft").exists()
    response = client.post(url, {**data, "district": here.district.pk, "position": 5})
    assert response.status_code == 302
    assert Category.objects.get(slug="nachbarschaft").district == here.district


def test_district_coordinator_cannot_change_or_delete_another_districts_category(
    client, here, foreign
):
    theirs = category("sprache", district=foreign.district)
    before = (theirs.name, theirs.is_active, theirs.translations)
    for user in (coordinator_of(district=here.district), coordinator_of(municipality=foreign)):
        client.force_login(user)
        change = reverse("admin:exchange_category_change", args=[theirs.pk])
        response = client.post(
            change,
            {"name": "Gekapert", "name_en": "Hijacked", "slug": "sprache", "position": 1},
        )
        assert response.status_code in (302, 403)
        response = client.post(
            reverse("admin:exchange_category_delete", args=[theirs.pk]), {"post": "yes"}
        )
        assert response.status_code in (302, 403)
        theirs.refresh_from_db()
        assert (theirs.name, theirs.is_active, theirs.translations) == before
    # and their own district's coordinator can
    client.force_login(coordinator_of(district=foreign.district))
    response = client.post(
        reverse("admin:exchange_category_change", args=[theirs.pk]),
        {
            "name": "Deutsch",
            "name_en": "German",
            "name_ar": " ",
            "slug": "sprache",
            "position": 1,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "Deutsch" and theirs.district == foreign.district
    # the names in other languages are fields of the form; one left empty is not kept
    assert theirs.translations == {"en": {"name": "German"}}
    assert theirs.label("ar") == "Deutsch" and theirs.missing_languages() == [
        code for code in TRANSLATED if code != "en"
    ]


# --- migrations ---------------------------------------------------------------------------

PROJECT = Path(__file__).resolve().parents[4]
BEFORE = "0004_photos_embedding_contact_consent"

# Data of an installation-wide category era (historical models of exchange 0004): two
# districts, a listing in each with the same category, a saved search per district.
OLD_DATA = f"""
from django.db import connection
from django.db.migrations.loader import MigrationLoader
apps = MigrationLoader(connection).project_state(("exchange", "{BEFORE}")).apps
get = apps.get_model
Category, Listing = get("exchange", "Category"), get("exchange", "Listing")
language = Category.objects.get(slug="sprache")
for n in (1, 2):
    district = get("regions", "District").objects.create(name=f"Kreis {{n}}", slug=f"kreis-{{n}}")
    area = get("regions", "Area").objects.create(district=district, name="A", slug="a")
    place = get("regions", "Municipality").objects.create(
        district=district, area=area, name=f"Ort {{n}}", slug=f"ort-{{n}}"
    )
    user = get("accounts", "User").objects.create(
        email=f"u{{n}}@example.org", display_name=f"U{{n}}", home_municipality=place
    )
    Listing.objects.create(
        kind="need", category=language, municipality=place, title=f"L{{n}}", description="-",
        valid_until="2999-01-01", author=user,
    )
    get("exchange", "SavedSearch").objects.create(user=user, category=language)
"""

STATE = """
import json
from hilfenetz.exchange.models import Category, Listing, SavedSearch
print(json.dumps({
    "categories": sorted(
        [c.slug, c.district.slug if c.district_id else None] for c in Category.objects.all()
    ),
    "listings": sorted(
        [x.title, x.category.slug, x.category.district_id == x.municipality.district_id]
        for x in Listing.objects.all()
    ),
    "searches": sorted(
        [s.category.slug, s.category.district_id == s.user.home_municipality.district_id]
        for s in SavedSearch.objects.all()
    ),
}))
"""


def _state(env):
    return json.loads(_manage(env, "shell", "--no-imports", "-c", STATE).strip().splitlines()[-1])


def _manage(env, *args):
    result = subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=180,
    )
    assert result.returncode == 0, f"{args}: {result.stderr[-2000:]}"
    return result.stdout


def test_category_migrations_copy_per_district_and_can_be_reversed(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HILFENETZ_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/m.sqlite3",
    }
    _manage(env, "migrate", "exchange", BEFORE, "-v", "0")
    _manage(env, "shell", "-c", OLD_DATA)
    _manage(env, "migrate", "-v", "0")
    state = _state(env)
    assert len(state["categories"]) == 2 * len(START_SLUGS)
    assert ["sprache", "kreis-1"] in state["categories"]
    assert ["sprache", "kreis-2"] in state["categories"]
    assert state["listings"] == [["L1", "sprache", True], ["L2", "sprache", True]]
    assert state["searches"] == [["sprache", True], ["sprache", True]]

    _manage(env, "migrate", "exchange", BEFORE, "-v", "0")
    _manage(env, "migrate", "-v", "0")
    again = _state(env)
    assert again == state


def test_the_filter_form_offers_and_checks_places_and_categories_from_kept_rows(committed):
    municipality = MunicipalityFactory()
    district = municipality.district
    data = {
        "area": municipality.area_id,
        "municipality": municipality.pk,
        "category": category(district=district).pk,
    }
    page_cache.versions(connection.introspection.table_names())  # as on a running platform

    def filled(values):
        form = FilterForm(values)
        valid = form.is_valid()
        return (
            form,
            valid,
            "".join(str(form[name]) for name in ("area", "municipality", "category")),
        )

    filled(data), filled(data)  # learned, then kept
    with CaptureQueriesContext(connection) as queries:
        form, valid, html = filled(data)
    assert valid, form.errors
    assert form.cleaned_data["municipality"] == municipality
    assert municipality.name in html
    read = [query["sql"] for query in queries if "hilfenetz_cache" not in query["sql"]]
    assert read == []  # only the data versions, from the cache

    # A category committed since is offered and accepted at once; one that is not is refused.
    new = committed(
        lambda: Category.objects.create(district=district, slug="fahrraeder", name="Fahrräder")
    )
    form, valid, html = filled({**data, "category": new.pk})
    assert valid, form.errors
    assert form.cleaned_data["category"] == new
    assert "Fahrräder" in html
    form, valid, _ = filled({**data, "category": new.pk + 1000})
    assert not valid and "category" in form.errors

"""Translated texts are stored one way (``core.models.Translated``) for topics, categories,
platforms, media items and crisis mode's templates and banner: the same shape, the same check
of what is still to translate, the same form fields, and a refusal of anything else."""

import pytest
from django.core.exceptions import ValidationError

from hilfenetz.core.forms import translation_field_names, translation_form
from hilfenetz.core.models import Topic, Translated
from hilfenetz.crisis.models import CrisisMode, CrisisTemplate, TemplateCategory
from hilfenetz.exchange.models import Category
from hilfenetz.media.models import MediaItem
from hilfenetz.media.tests.factories import MediaItemFactory
from hilfenetz.network.models import Platform
from hilfenetz.network.tests.factories import platform
from hilfenetz.regions.tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_every_model_with_texts_in_several_languages_stores_them_one_way():
    from django.apps import apps

    translated = {m for m in apps.get_models() if issubclass(m, Translated)}
    assert translated == {
        Topic,
        Category,
        Platform,
        MediaItem,
        CrisisTemplate,
        TemplateCategory,
        CrisisMode,
    }
    # no other table of texts per language, no other field of that name
    others = [
        m
        for m in apps.get_models()
        if m not in translated
        and (
            m.__name__.endswith("Translation")
            or any(f.name == "translations" for f in m._meta.fields)
        )
    ]
    assert others == [], others


def _objects():
    district = DistrictFactory()
    topic = Topic.objects.create(
        name="Wohnen", slug="wohnen", translations={"en": {"name": "Housing"}}
    )
    category = Category.objects.get(district=district, slug="sprache")
    category.translations = {"en": {"name": "Language"}}
    own = platform(district)
    own.translations = {"en": {"name": "Housing", "description": "Finding flats"}}
    item = MediaItemFactory(district=district, title={"fa": "خوش آمدید"})
    return topic, category, own, item


def test_texts_fall_back_to_german_and_the_check_names_what_is_missing():
    topic, category, own, item = _objects()
    assert (topic.label("en"), topic.label("ar")) == ("Housing", "Wohnen")
    later = ["prs", "ps", "ru", "kmr", "ti", "so", "fr"]  # the languages added last
    assert topic.missing_languages() == ["ar", "fa", "uk", "tr", *later]
    assert category.missing_languages() == ["ar", "fa", "uk", "tr", *later]
    own.description = "Wohnungen finden"
    assert own.text("description", "ar") == "Wohnungen finden"
    assert own.missing_languages() == ["ar", "fa", "uk", "tr", *later]
    own.translations["en"].pop("description")
    assert "en" in own.missing_languages()  # a name alone is not enough
    # an item written first in Persian: every language is in ``translations``, German too
    assert item.texts("de").language == "fa" and item.texts().title == "خوش آمدید"
    assert item.missing_languages() == ["de", "en", "ar", "uk", "tr", *later]
    item.translations["de"] = {"title": "Willkommen"}
    assert item.texts("en").language == "de"  # German before any other
    assert str(item) == "Willkommen"


@pytest.mark.parametrize(
    "bad",
    [
        {"xx": {"name": "?"}},  # not a language of the platform
        {"en": "Housing"},  # the old shape of names
        {"en": {"colour": "blue"}},  # not a translated field
        {"en": {"name": 5}},
        ["en"],
    ],
)
def test_anything_but_texts_per_language_is_refused(bad):
    for obj in _objects()[:3]:
        obj.translations = bad
        with pytest.raises(ValidationError):
            obj.full_clean()


def test_german_first_names_keep_german_out_of_translations_and_items_limit_their_texts():
    topic, _category, _own, item = _objects()
    topic.translations = {"de": {"name": "Wohnen"}}
    with pytest.raises(ValidationError):
        topic.full_clean()
    item.translations = {"de": {"title": "x" * 201}}
    with pytest.raises(ValidationError):
        item.full_clean()


@pytest.mark.parametrize("model", [Topic, Category, Platform, MediaItem])
def test_one_form_edits_the_texts_of_every_model(model):
    obj = {type(o): o for o in _objects()}[model]
    meta = type("Meta", (), {"model": model, "fields": []})  # only the translations
    form_class = type("Form", (translation_form(model),), {"Meta": meta})
    names = translation_field_names(model)
    field = model.translated_fields[0]
    assert names[0] == f"{field}_{'de' if model is MediaItem else 'en'}"
    data = {name: "" for name in names} | {f"{field}_ar": " نص "}
    form = form_class(data, instance=obj)
    form.is_valid()
    assert obj.translations == {"ar": {field: "نص"}}  # trimmed, empty languages left out
    assert form.fields[f"{field}_ar"].widget.attrs["lang"] == "ar"

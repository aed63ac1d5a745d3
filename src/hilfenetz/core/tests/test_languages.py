"""The interface languages: what Django is told of the ones it lacks, their dates and plurals,
the language menu, and fonts that have a glyph for every character a catalogue uses."""

import datetime
import re
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import get_language_info, to_locale
from fontTools.ttLib import TTFont

from hilfenetz.core import i18n, locales
from hilfenetz.core.pdf import FONT, FONT_DIR, shaped_pdf
from hilfenetz.core.tests.test_translations import PLACEHOLDER

SRC = Path(__file__).resolve().parents[2]
CODES = [code for code, _name in settings.LANGUAGES]
# Django has neither month names nor formats for these: their dates are numbers, day first.
NUMERIC_DATES = ["prs", "ps", "kmr", "ti", "so"]


def catalogue_entries(language):
    for path in SRC.glob(f"*/locale/{to_locale(language)}/LC_MESSAGES/django.po"):
        yield from polib.pofile(str(path))


def catalogue_texts(language):
    for entry in catalogue_entries(language):
        yield from [entry.msgstr, *entry.msgstr_plural.values()]


@pytest.mark.parametrize("code", CODES)
def test_django_knows_every_language_by_its_own_name_and_direction(code):
    info = get_language_info(code)
    if code in locales.MISSING:  # Django's own names may differ in their vowel marks
        assert info["name_local"] == dict(settings.LANGUAGES)[code]
    with translation.override(code):
        assert translation.get_language_bidi() is (code in ("ar", "fa", "prs", "ps"))


@pytest.mark.parametrize("code", NUMERIC_DATES)
def test_languages_without_month_names_show_dates_as_numbers(code):
    with translation.override(code):
        shown = formats.date_format(datetime.date(2026, 12, 5), "DATE_FORMAT")
        typed = formats.get_format("DATE_INPUT_FORMATS")[0]
    assert re.sub(r"[\u200f./]", "", shown) == "05122026"  # day, month, year
    assert datetime.datetime.strptime(shown.replace("\u200f", ""), typed).date().day == 5


@pytest.mark.parametrize(
    ("code", "forms"),
    [("ru", {1: 0, 2: 1, 5: 2, 21: 0}), ("fr", {0: 0, 1: 0, 2: 1}), ("ps", {0: 1, 1: 0, 2: 1})],
)
def test_plurals_follow_each_languages_rules(code, forms):
    path = SRC / "exchange" / "locale" / code / "LC_MESSAGES" / "django.po"
    entry = next(e for e in polib.pofile(str(path)) if e.msgid_plural)
    with translation.override(code):
        for n, form in forms.items():
            assert (
                translation.ngettext(entry.msgid, entry.msgid_plural, n)
                == (entry.msgstr_plural[form])
            )


def test_the_language_menu_groups_every_language_once_by_script():
    grouped = [code for _script, languages in i18n.language_groups() for code, _n in languages]
    assert sorted(grouped) == sorted(CODES)


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_its_own_script(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ti"
    page = client.get(reverse("core:home")).content.decode()
    assert '<html lang="ti" dir="ltr">' in page
    for code, name in settings.LANGUAGES:
        assert f'lang="{code}"' in page and name in page
    assert page.count("<legend>") == 4 and "<legend>ፊደል ግእዝ</legend>" in page


def _covered_by_web_fonts() -> list[tuple[int, int]]:
    css = (SRC / "core" / "static" / "core" / "css" / "fonts.css").read_text()
    ranges = []
    for spec in re.findall(r"unicode-range: ([^;]+);", css):
        for part in spec.split(","):
            low, _, high = part.strip().removeprefix("U+").partition("-")
            ranges.append((int(low, 16), int(high or low, 16)))
    return ranges


def _needs_a_glyph(character: str) -> bool:
    # marks of direction, isolates and joiners have no glyph; spaces and controls neither
    return unicodedata.category(character) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


@pytest.mark.parametrize("code", CODES)
def test_the_web_fonts_have_a_glyph_for_every_character_of_a_catalogue(code):
    ranges = _covered_by_web_fonts()
    missing = {
        f"U+{ord(c):04X} {c}"
        for text in catalogue_texts(code)
        for c in text
        if _needs_a_glyph(c) and not any(low <= ord(c) <= high for low, high in ranges)
    }
    assert not missing, f"{code}: no self-hosted font covers {sorted(missing)}"


@pytest.mark.parametrize("code", CODES)
def test_the_pdf_fonts_have_a_glyph_for_every_character_of_a_catalogue(code):
    maps = [
        TTFont(FONT_DIR / name).getBestCmap()
        for name in ("DejaVuSans.ttf", "NotoSansArabic-Regular.ttf", "NotoSansEthiopic-Regular.ttf")
    ]
    missing = {
        f"U+{ord(c):04X} {c}"
        for text in catalogue_texts(code)
        for c in text
        if _needs_a_glyph(c) and not any(ord(c) in cmap for cmap in maps)
    }
    assert not missing, f"{code}: no PDF font covers {sorted(missing)}"


@pytest.mark.parametrize(
    ("code", "text", "font"),
    [("ti", "ልውውጥ ሓገዝ።", "NotoSansEthiopic"), ("ps", "ښۍ", "NotoSansArabic")],
)
def test_a_pdf_has_the_letters_of_its_script(code, text, font):
    pdf, _align = shaped_pdf(language=code)
    pdf.add_page()
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(0, 8, text)
    assert f"+{font}".encode() in bytes(pdf.output())


@pytest.mark.parametrize("code", CODES)
def test_translations_keep_the_platforms_name_and_use_only_the_msgids_values(code):
    wrong = []
    for entry in catalogue_entries(code):
        source = entry.msgid + entry.msgid_plural
        names = set(PLACEHOLDER.findall(source))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not text:
                continue
            if "Hilfenetz" in source and "Hilfenetz" not in text:
                wrong.append(f"{entry.msgid!r}: the name Hilfenetz is missing")
            if not set(PLACEHOLDER.findall(text)) <= names:
                wrong.append(f"{entry.msgid!r}: a value the msgid does not give")
    assert not wrong, f"{code}: {wrong}"


def test_texts_in_three_letter_languages_and_leichte_sprache_find_their_translation():
    from hilfenetz.core.models import text_of

    names = {"prs": {"name": "کمک‌های جنسی"}, "kmr": {"name": "Bexşînên tiştan"}}
    assert text_of("Sachspenden", names, "name", "prs") == "کمک‌های جنسی"
    assert text_of("Sachspenden", names, "name", "kmr") == "Bexşînên tiştan"
    assert text_of("Sachspenden", names, "name", "de-x-ls") == "Sachspenden"  # its base

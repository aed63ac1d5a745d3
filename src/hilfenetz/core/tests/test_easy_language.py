"""Leichte Sprache (easy German, ``de-x-ls``) on the public pages: every text of those pages has
an easy version that keeps the rules of the Netzwerk Leichte Sprache a program can check
(short sentences, long words split, no abbreviations), and the pages switch to it like to
any other language. Texts of other pages come from the German catalogues."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

from hilfenetz.core.tests.test_translations import PLACEHOLDER

EASY = "de-x-ls"
SRC = Path(__file__).resolve().parents[2]
# The public pages: the frame, home, the help exchange's list and form, the directory, the media
# centre and the privacy notice, with the forms and labels they show.
PUBLIC = [
    "core/templates/base.html",
    "core/templates/core/home.html",
    "core/templates/core/legal.html",
    "core/templates/core/includes/*.html",
    "crisis/templates/crisis/banner.html",
    "crisis/templates/crisis/footer_link.html",
    "exchange/templates/exchange/list.html",
    "exchange/templates/exchange/_results.html",
    "exchange/templates/exchange/_pagination.html",
    "exchange/templates/exchange/form.html",
    "exchange/forms.py",
    "exchange/models.py",
    "directory/templates/directory/index.html",
    "directory/templates/directory/includes/*.html",
    "directory/templates/directory/office_detail.html",
    "directory/templates/directory/organisations.html",
    "directory/forms.py",
    "media/templates/media/index.html",
    "media/templates/media/detail.html",
    "media/templates/media/includes/*.html",
    "media/forms.py",
]
CALL = re.compile(r"\b(n?p?gettext(?:_lazy)?|_)\(")
MAX_WORDS = 12
MAX_LETTERS = 14  # a longer word is split: "Koordinations-Stelle"
ABBREVIATIONS = re.compile(r"\b(z\. ?B\.|bzw\.|usw\.|ggf\.|d\. ?h\.|u\. ?a\.|ca\.|evtl\.|Nr\.)")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
TAG = re.compile(r"<[^>]+>")


def _arguments(code: str, start: int) -> list:
    """The literal arguments of the call whose "(" is at ``start``."""
    depth, i = 0, start
    while i < len(code):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                break
        elif code[i] in "'\"":
            quote, i = code[i], i + 1
            while code[i] != quote:
                i += 2 if code[i] == "\\" else 1
        i += 1
    try:
        return [a for a in ast.literal_eval(f"({code[start + 1 : i]},)") if isinstance(a, str)]
    except (ValueError, SyntaxError):
        return []  # a call with a variable: nothing to translate here


def public_msgids() -> set[tuple[str, str, str]]:
    """(app, msgctxt, msgid) of every text the public pages' sources translate, read the way
    makemessages reads them (templates through Django's templatize)."""
    found = set()
    for pattern in PUBLIC:
        for path in SRC.glob(pattern):
            app = path.relative_to(SRC).parts[0]
            text = path.read_text(encoding="utf-8")
            code = templatize(text, origin=str(path)) if path.suffix == ".html" else text
            for call in CALL.finditer(code):
                args = _arguments(code, call.end() - 1)
                with_context = call.group(1).lstrip("n").startswith("p")
                if len(args) > with_context:
                    found.add((app, args[0] if with_context else "", args[int(with_context)]))
    return found


def easy_catalogue(app):
    path = SRC / app / "locale" / to_locale(EASY) / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path)) if path.exists() else None


def easy_texts():
    for app in sorted({app for app, _c, _m in public_msgids()}):
        for entry in easy_catalogue(app) or []:
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                yield entry.msgid, text


def test_the_scan_finds_the_public_pages_texts():
    found = {msgid for _app, _context, msgid in public_msgids()}
    assert {"Help exchange", "Search", "Imprint and privacy", "Skip to content"} <= found
    assert len(found) > 200


def test_every_text_of_the_public_pages_has_an_easy_version():
    missing = []
    for app, context, msgid in sorted(public_msgids()):
        catalogue = easy_catalogue(app)
        entry = catalogue and catalogue.find(msgid, msgctxt=context or False)
        if not entry or not (entry.msgstr or all(entry.msgstr_plural.values())):
            missing.append(f"{app}: {msgid!r}")
    assert not missing, f"{len(missing)} texts without Leichte Sprache: {missing[:20]}"


def test_sentences_are_short():
    long = []
    for _msgid, text in easy_texts():
        for sentence in SENTENCE_END.split(TAG.sub(" ", text)):
            if len(PLACEHOLDER.sub("X", sentence).split()) > MAX_WORDS:
                long.append(sentence)
    assert not long, f"sentences of more than {MAX_WORDS} words: {long[:10]}"


def test_long_words_are_split_and_nothing_is_abbreviated():
    wrong = []
    for _msgid, text in easy_texts():
        plain = PLACEHOLDER.sub(" ", TAG.sub(" ", text))
        for word in re.findall(r"[\wÄÖÜäöüß·-]+", plain):
            if any(len(part) > MAX_LETTERS for part in re.split(r"[-·]", word)):
                wrong.append(word)
        wrong += ABBREVIATIONS.findall(plain)
    assert not wrong, f"unsplit long words or abbreviations: {sorted(set(wrong))[:20]}"


def test_easy_texts_keep_the_values_and_the_platforms_name():
    wrong = []
    for app in ("core", "crisis", "directory", "exchange", "media"):
        for entry in easy_catalogue(app) or []:
            source = entry.msgid + entry.msgid_plural
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                    wrong.append(entry.msgid)
                if "Hilfenetz" in source and "Hilfenetz" not in text:
                    wrong.append(entry.msgid)
    assert not wrong, wrong[:10]


def test_leichte_sprache_is_a_variant_of_german():
    assert EASY in dict(settings.LANGUAGES)
    with translation.override(EASY):
        easy = translation.gettext("Help exchange")
        # a coordinator's text has no easy version: it comes from the German catalogue
        fallback = translation.gettext("Moderation")
    with translation.override("de"):
        assert fallback == translation.gettext("Moderation")
        assert easy != translation.gettext("Help exchange")


@pytest.mark.django_db
def test_the_public_pages_switch_to_leichte_sprache(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = EASY
    for name in ["core:home", "exchange:list", "directory:index", "media:index", "core:legal"]:
        page = client.get(reverse(name)).content.decode()
        assert f'<html lang="{EASY}" dir="ltr">' in page, name
    with translation.override(EASY):
        assert translation.gettext("Help exchange") in page

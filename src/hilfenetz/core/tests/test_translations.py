"""Every UI string is translated into every language, and the catalogues are current."""

import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import polib
import pytest
from django.conf import settings

from hilfenetz.core.i18n import VARIANTS

SRC = Path(__file__).resolve().parents[2]  # src/hilfenetz
PROJECT = SRC.parent.parent
# Leichte Sprache translates the public pages only: core/tests/test_easy_language.py checks it
LANGUAGES = [code for code, _ in settings.LANGUAGES if code not in VARIANTS]
APPS = sorted(p.parent.name for p in SRC.glob("*/apps.py"))
assert len(APPS) >= 3, APPS


def catalogue(app, language):
    return SRC / app / "locale" / language / "LC_MESSAGES" / "django.po"


def test_every_app_has_a_catalogue_per_language():
    missing = [
        str(catalogue(a, lang))
        for a in APPS
        for lang in LANGUAGES
        if not catalogue(a, lang).exists()
    ]
    assert not missing, missing


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("app", APPS)
def test_no_empty_or_fuzzy_entries(app, language):
    path = catalogue(app, language)
    if not path.exists():
        pytest.fail(f"{path} is missing")
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{path}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{path}: fuzzy {fuzzy[:10]}"


@pytest.mark.parametrize("app", APPS)
def test_catalogues_contain_every_string_of_the_code(app, tmp_path):
    """Extract the strings again with xgettext and compare with the committed catalogue."""
    assert shutil.which("xgettext"), (
        "GNU gettext is needed: scripts/ensure-system-packages installs it"
    )
    copy = tmp_path / app
    shutil.copytree(SRC / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, str(PROJECT / "manage.py"), "makemessages", "-l", "de", "--no-location"]
        + ["-i", "tests/*", "-i", "migrations/*"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    extracted_path = copy / "locale" / "de" / "LC_MESSAGES" / "django.po"
    extracted = (
        {e.msgid for e in polib.pofile(str(extracted_path))} if extracted_path.exists() else set()
    )
    committed = (
        {e.msgid for e in polib.pofile(str(catalogue(app, "de")))}
        if catalogue(app, "de").exists()
        else set()
    )
    missing = extracted - committed
    assert not missing, f"{app}: run `make messages` and translate: {sorted(missing)[:10]}"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_djangos_blank_choice_is_translated(language):
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    with translation.override(language):
        assert str(BLANK_CHOICE_LABEL) != "- Select an option -"


def _entries(language):
    """(app, entry) of every current entry of every app's catalogue of ``language``."""
    for app in APPS:
        path = catalogue(app, language)
        if path.exists():
            yield from ((app, e) for e in polib.pofile(str(path)) if not e.obsolete)


def _translation(entry):
    if entry.msgid_plural:
        return tuple(sorted(entry.msgstr_plural.items()))
    return entry.msgstr


@pytest.mark.parametrize("language", LANGUAGES)
def test_one_translation_per_msgid_across_apps(language):
    """Django merges the catalogues of all apps: of two translations of one msgid only one is
    shown, whichever app comes first, so they must agree."""
    seen = {}
    conflicts = []
    for app, entry in _entries(language):
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        translation = _translation(entry)
        if key in seen and seen[key][1] != translation:
            conflicts.append(f"{entry.msgid!r}: {seen[key]} / {(app, translation)}")
        seen.setdefault(key, (app, translation))
    assert not conflicts, f"{language}: translated differently in two apps: {conflicts}"


def _glossary() -> dict:
    """{term: {language: word, "avoid_" + language: [words]}} from one file per language."""
    glossary = {}
    for path in sorted((SRC / "core" / "glossary").glob("*.toml")):
        for key, entry in tomllib.loads(path.read_text(encoding="utf-8")).items():
            glossary.setdefault(key, {})[path.stem] = entry["term"]
            if "avoid" in entry:
                glossary[key][f"avoid_{path.stem}"] = entry["avoid"]
    return glossary


GLOSSARY = _glossary()
ARABIC_ARTICLE = re.compile(r"(?<!\w)ال(?=\w)")


def _forms(value):
    return [value] if isinstance(value, str) else value


def _fold(text, language):
    """Compare terms, not spelling: case (with Turkish dotted and dotless i), Arabic vowel
    marks and the Arabic article (a heading says "the offers", a label "offer")."""
    if language == "tr":
        text = text.replace("İ", "i").replace("I", "ı")
    text = unicodedata.normalize("NFC", text).lower()
    if language == "ar":
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        text = ARABIC_ARTICLE.sub("", text)
    return text


def test_glossary_has_every_term_in_every_language():
    incomplete = [
        f"{key}: {language}"
        for key, term in GLOSSARY.items()
        for language in LANGUAGES
        if len(_forms(term.get(language, []))) != len(_forms(term["en"]))
    ]
    assert not incomplete, f"core/glossary/ lacks terms (or their plural): {incomplete}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_use_the_glossary(language):
    """A msgid that is exactly a glossary term is translated with the glossary's word."""
    wanted = {
        _fold(en, "en"): form
        for term in GLOSSARY.values()
        for en, form in zip(_forms(term["en"]), _forms(term[language]), strict=True)
    }
    wrong = []
    for app, entry in _entries(language):
        form = wanted.get(_fold(entry.msgid, "en"))
        if form is not None and _fold(entry.msgstr, language) != _fold(form, language):
            wrong.append(f"{app}: {entry.msgid!r} is {entry.msgstr!r}, not {form!r}")
    assert not wrong, f"{language}: not the glossary's term: {wrong}"


def _msgstrs(entry):
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


def _templates():
    return [p for p in SRC.glob("*/templates/**/*") if p.suffix in {".html", ".txt"}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_words_the_glossary_rules_out_appear_nowhere(language):
    """One word per term, in sentences too, whatever its case: not "Sichern" next to
    "Speichern", "Medien-Zentrum" next to "Mediathek", "Kommune" next to "Gemeinde"."""
    avoided = {
        word: key for key, term in GLOSSARY.items() for word in term.get(f"avoid_{language}", [])
    }
    found = [
        f"{app}: {entry.msgid!r} says {word!r} (glossary: {key})"
        for app, entry in _entries(language)
        for text in _msgstrs(entry)
        for word, key in avoided.items()
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)
    ]
    if language == "de":  # German text written straight into templates (Leichte Sprache)
        found += [
            f"{path.relative_to(SRC)} says {word!r} (glossary: {key})"
            for path in _templates()
            for word, key in avoided.items()
            if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", path.read_text(encoding="utf-8"), re.I)
        ]
    assert not found, found


# Terms whose word stands in every sentence that names them. German inflects and compounds by
# adding to the word ("Gemeinden", "Gemeindekoordination"): the word itself must be there. The
# other languages change its ending ("громада", "громаді"; "медіатека", "медіатеці") and
# Arabic writes the article onto it ("المكتب"): there its stem must be, for each of its words.
SENTENCE_TERMS = (
    "municipality",
    "area",
    "working_group",
    "coordination_office",
    "district",
    "competence_team",
    "networking_platform",
    "media_centre",
    "directory",
    "organisation",
)
NAMES_SOMETHING_ELSE = (
    "Welfare organisation",  # a kind of organisation: "Wohlfahrtsverband"
    "Offices: id (empty for a new office), name, municipalities",  # the CSV's column names
    "area of work",  # a team's subject, not a part of the district
    "Listings of the last twelve months in your area of responsibility.",  # one's scope
    "These entries in your area have not been confirmed",  # one's scope
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _normalised(text: str, language: str) -> str:
    if language == "tr":  # the dotted and dotless i
        text = text.replace("İ", "i").replace("I", "ı")
    text = text.lower()
    if language == "ar":  # the article, after "and", "with", "for"
        text = re.sub(r"(?<!\w)(و?ب?ل?)ال", r"\1", text)
    return text


def _stem(word: str, language: str) -> str:
    if language == "de":
        return word
    return word[:-2] if len(word) >= 7 else word[:-1] if len(word) >= 5 else word


def _names(text: str, term: str, language: str) -> bool:
    """Whether ``text`` names the glossary's ``term`` (a form of it, in ``language``)."""
    text = _normalised(text, language)
    return all(_stem(w, language) in text for w in _normalised(term, language).split())


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_sentences_name_each_term_with_the_glossarys_word(language):
    wrong = []
    for app, entry in _entries(language):
        if entry.msgid.startswith(NAMES_SOMETHING_ELSE):
            continue
        source = PLACEHOLDER.sub("", f"{entry.msgid} {entry.msgid_plural}")
        for key in SENTENCE_TERMS:
            term = GLOSSARY[key]
            named = any(
                re.search(rf"(?<!\w){re.escape(en)}(?!\w)", source, re.IGNORECASE)
                for en in _forms(term["en"])
            )
            words = _forms(term[language])[:1] if language == "de" else _forms(term[language])
            if named and any(
                not any(_names(text, word, language) for word in words) for text in _msgstrs(entry)
            ):
                wrong.append(f"{app}: {entry.msgid!r} lacks {words[0]!r}")
    assert not wrong, wrong


# How each language addresses people, and which quotation marks it uses.
GERMAN_DU = re.compile(
    r"(?<!\w)(du|dich|dir|dein|deine[mnrs]?)(?!\w)"
    r"|(?<!\w)Bitte (?!eine\b)[a-zäöüß]+e(?!\w)(?! Sie)",  # "Bitte wähle", not "Bitte wählen Sie"
    re.IGNORECASE,
)
MARKUP = re.compile(r"<[^>]*>")  # tags and attributes (dir="auto") are not words
UKRAINIAN_LOWER_YOU = re.compile(r"(?<!\w)(ви|вас|вам|вами|ваш\w*)(?!\w)")
FOREIGN_QUOTES = re.compile("[„“”‚‘’]")
# "بستریی": the indefinite ی follows a consonant once (only after a vowel is it written یی).
PERSIAN_DOUBLE_YEH = re.compile(r"(?<=[^\sاآوی\W])یی(?!\w)")
TURKISH_SEN = re.compile(r"(?<!\w)(sen|sana|seni|senin|sende|senden)(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize(
    ("language", "pattern", "rule"),
    [
        ("de", GERMAN_DU, 'German addresses people with "Sie", never "du"'),
        ("uk", UKRAINIAN_LOWER_YOU, 'Ukrainian uses the polite capitalised "Ви" forms'),
        ("tr", TURKISH_SEN, 'Turkish addresses people with "siz"'),
        ("fa", PERSIAN_DOUBLE_YEH, "Persian writes the indefinite ی once after a consonant"),
        ("ar", FOREIGN_QUOTES, "Arabic quotes with «…»"),
        ("fa", FOREIGN_QUOTES, "Persian quotes with «…»"),
    ],
)
def test_catalogues_keep_the_house_style(language, pattern, rule):
    wrong = [
        f"{app}: {entry.msgid!r} is {text!r}"
        for app, entry in _entries(language)
        for text in _msgstrs(entry)
        if pattern.search(MARKUP.sub(" ", text))
    ]
    assert not wrong, f"{rule}: {wrong}"


@pytest.mark.parametrize(
    ("msgid", "german"),
    [("Save", "Speichern"), ("Sign In", "Anmelden"), ("Cancel", "Abbrechen")],
)
def test_our_catalogues_win_over_djangos_and_allauths(msgid, german):
    """The admin says "Sichern" and allauth "Anmeldung" for the same msgids; ours are shown."""
    from django.utils import translation

    with translation.override("de"):
        assert translation.gettext(msgid) == german


def test_allauths_texts_say_sie_in_german():
    from django.utils import translation

    from hilfenetz.core.allauth_strings import ALLAUTH_STRINGS

    with translation.override("de"):
        wrong = [t for t in map(translation.gettext, ALLAUTH_STRINGS) if GERMAN_DU.search(t)]
    assert not wrong, wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_allauths_sentences_isolate_the_values_they_embed(language):
    """allauth's templates put the person's own e-mail address into a sentence unisolated, so
    our translations carry the isolates: LRI…PDI around an address or phone number, FSI…PDI
    around a name (a mailto: link is left alone)."""
    from hilfenetz.core.allauth_strings import ALLAUTH_STRINGS

    entries = {e.msgid: e.msgstr for _app, e in _entries(language) if e.msgid in ALLAUTH_STRINGS}
    assert set(entries) == set(ALLAUTH_STRINGS)
    bare = re.compile(r"(?<!mailto:)(?<!\u2066)%\((email|phone)\)s|(?<!\u2068)%\(user_display\)s")
    wrong = [msgid for msgid, text in entries.items() if bare.search(text)]
    assert not wrong, wrong


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "sentence"),
    [
        ("account_login", "Sie haben noch kein Konto"),
        ("account_signup", "Sie haben schon ein Konto"),
        ("account_reset_password", "Geben Sie unten Ihre E-Mail-Adresse ein"),
    ],
)
def test_sign_up_and_login_pages_speak_with_sie(client, page, sentence):
    from django.urls import reverse

    client.cookies["hilfenetz_language"] = "de"
    html = client.get(reverse(page)).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert sentence in text
    assert "Anmelden" in text and "Anmeldung " not in text
    assert not GERMAN_DU.search(text), GERMAN_DU.search(text)

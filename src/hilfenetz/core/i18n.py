"""Language helpers shared by every app: names of languages and isolation of embedded values.

Strings of Django itself that its catalogues do not translate into all our languages yet:
Django 6.1's blank choice of every select ("- Select an option -") has no German, Arabic,
Farsi or Ukrainian translation; naming it here puts it into our catalogue, which Django
consults as well.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy, gettext_noop

DJANGO_STRINGS = [gettext_noop("- Select an option -")]

# Unicode isolates (UAX #9): a value between FSI and PDI takes the direction of its own first
# strong character and is never reordered with the sentence around it; LRI forces left to right.
FSI, LRI, PDI = "\u2068", "\u2066", "\u2069"

_NAMES = dict(settings.LANGUAGES)


def language_name(code: str) -> str:
    """A language's name in that language and script ("Deutsch", "العربية"): people look
    for their own language's name, whatever the language of the page."""
    return _NAMES.get(code, code)


# A variant translates only some texts (Leichte Sprache: the public pages); every other text comes
# from the catalogues of the language it varies (gettext falls back from de_X-ls to de).
VARIANTS = {"de-x-ls": "de"}

# The language menu groups its names by script: fourteen names stay easy to scan on a phone, and
# a reader finds theirs among the names written the way they read.
SCRIPTS = (
    (gettext_lazy("Latin script"), ("de", "de-x-ls", "en", "fr", "kmr", "so", "tr")),
    (gettext_lazy("Arabic script"), ("ar", "fa", "prs", "ps")),
    (gettext_lazy("Cyrillic script"), ("ru", "uk")),
    (gettext_lazy("Ethiopic script"), ("ti",)),
)


def language_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """(script, [(code, own name)]) of every interface language, for the language menu."""
    return [
        (label, [(code, _NAMES[code]) for code in codes if code in _NAMES])
        for label, codes in SCRIPTS
        if any(code in _NAMES for code in codes)
    ]


def isolate(value) -> str:
    """``value`` isolated for plain text (mails, messages, PDFs): a name, title or date keeps
    its own direction inside a sentence of the other direction."""
    return f"{FSI}{value}{PDI}"


def isolate_ltr(value) -> str:
    """``value`` isolated as left to right for plain text: phone numbers, e-mail addresses,
    sizes and durations, which an Arabic or Persian line would otherwise reorder."""
    return f"{LRI}{value}{PDI}"

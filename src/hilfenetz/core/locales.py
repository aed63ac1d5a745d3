"""What Django does not know of the district's languages: the name and script direction of Dari,
Pashto, Kurmanji, Tigrinya, Somali and Leichte Sprache (``django.conf.locale`` has no entry for
them, so ``get_language_info`` and the language menu would fail), registered when the core app
is ready. Their date formats are in ``core/formats`` (Leichte Sprache takes German's); their
plural rules come with our catalogues (``Plural-Forms``)."""

from django.conf.locale import LANG_INFO

MISSING = {
    "de-x-ls": {
        "bidi": False,
        "code": "de-x-ls",
        "name": "Easy German",
        "name_local": "Leichte Sprache",
    },
    "prs": {"bidi": True, "code": "prs", "name": "Dari", "name_local": "دری"},
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "kmr": {"bidi": False, "code": "kmr", "name": "Kurmanji Kurdish", "name_local": "Kurmancî"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}


def register() -> None:
    for code, info in MISSING.items():
        LANG_INFO.setdefault(code, info)

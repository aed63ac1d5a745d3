"""Every UI string is translated into all six languages, and the catalogues are current."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

SRC = Path(__file__).resolve().parents[2]  # src/hilfenetz
PROJECT = SRC.parent.parent
LANGUAGES = [code for code, _ in settings.LANGUAGES]
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

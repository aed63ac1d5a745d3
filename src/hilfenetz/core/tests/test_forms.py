import pytest
from django import forms
from django.utils import translation

from hilfenetz.core.forms import PerRowForm

pytestmark = pytest.mark.django_db  # the markup is kept like any fragment (data versions)


class TwoFieldForm(PerRowForm):
    reason = forms.CharField(label="Grund {0}", max_length=2000, widget=forms.Textarea)
    note = forms.CharField(label="Notiz", required=False, help_text="Nur für {Sie}")


ROWS = [
    ("block-1", "Kinderwagen gesucht", "de"),
    ("block-2", 'Tisch <script>alert("x")</script> & {row} aboutQzXv', "de"),
    ("report-3-4", "ملابس شتوية للأطفال " * 5, "ar"),  # cut to 60 characters
    ("message-5", "ohne Sprache", ""),
    ("thread", "", ""),
    ("block-6", "  Zeilen\n umbrüche  ", "uk"),
]


def test_blank_rows_are_the_forms_rendered_one_by_one():
    for language in ("de", "ar", "de", "ar"):  # what is kept for one language is not another's
        with translation.override(language):
            rendered = TwoFieldForm.blank_rows(ROWS)
            one_by_one = [
                TwoFieldForm(row=row, about=about, language=lang).as_div()
                for row, about, lang in ROWS
            ]
        assert rendered == one_by_one, language
    assert 'id="id_block-2_reason"' in rendered[1]
    assert "&lt;script&gt;" in rendered[1] and "<script>" not in rendered[1]
    assert '<bdi lang="ar" dir="auto">' in rendered[2]


def test_blank_rows_render_the_form_once_a_page_and_keep_it(monkeypatch):
    renderings = []
    as_div = TwoFieldForm.as_div
    monkeypatch.setattr(TwoFieldForm, "as_div", lambda form: renderings.append(1) or as_div(form))
    rows = [(f"block-{i}", f"Titel {i}", "de") for i in range(30)]
    TwoFieldForm.blank_rows(rows)
    assert len(renderings) == 1
    for _ in range(3):
        TwoFieldForm.blank_rows(rows)
    assert len(renderings) < 4  # kept (once its first rendering taught what it reads)

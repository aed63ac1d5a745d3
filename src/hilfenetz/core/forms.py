"""Form building blocks shared by the apps."""

from django import forms
from django.utils.html import format_html
from django.utils.text import Truncator


class PerRowForm(forms.Form):
    """A form a page repeats once per row (the reason to block each waiting listing, to report
    each message). ``row`` makes its ids unique on the page; ``about`` (the row's own text, a
    title or the start of a message, in ``language``) goes into every label, so a screen reader
    tells the fields apart instead of finding many fields of one name, or none."""

    ABOUT_LENGTH = 60

    def __init__(self, *args, row=None, about="", language="", **kwargs):
        if row is not None:
            kwargs.setdefault("auto_id", f"id_{row}_%s")
        super().__init__(*args, **kwargs)
        if about:
            about = Truncator(" ".join(about.split())).chars(self.ABOUT_LENGTH)
            for field in self.fields.values():
                if language:
                    field.label = format_html(
                        '{} (<bdi lang="{}" dir="auto">{}</bdi>)', field.label, language, about
                    )
                else:
                    field.label = format_html('{} (<bdi dir="auto">{}</bdi>)', field.label, about)

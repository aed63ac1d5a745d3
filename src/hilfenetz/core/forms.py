"""Form building blocks shared by the apps."""

from django import forms
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.utils.html import format_html
from django.utils.text import Truncator

from hilfenetz.core import page_cache
from hilfenetz.core.i18n import isolate
from hilfenetz.core.models import translation_languages


def _languages(model) -> list[tuple[str, str]]:
    """The languages a form asks the texts of ``model`` in (German too where it is not the
    model's own fields)."""
    return translation_languages() if model.german_in_fields else list(settings.LANGUAGES)


def translation_field_names(model) -> list[str]:
    """``name_en``, ``name_ar``, …: the form fields of a Translated model's translations."""
    return [
        f"{field}_{code}"
        for code, _language in _languages(model)
        for field in model.translated_fields
    ]


class TranslationFields(forms.ModelForm):
    """The base of a ModelForm of a :class:`~hilfenetz.core.models.Translated` model (made by
    :func:`translation_form`): a field for each translated text in each other language, filled
    from ``translations`` and put back there, empty texts left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for code, language in _languages(model):
            texts = self.instance.translations.get(code) or {}
            for field in model.translated_fields:
                name = f"{field}_{code}"
                self.initial.setdefault(name, texts.get(field, ""))
                # in the language of the request, not of the server's start
                self.fields[name].label = model.translation_labels[field] % {
                    "language": isolate(language)
                }

    def clean(self):
        data = super().clean()
        model = self._meta.model
        entered = {
            code: {
                field: text
                for field in model.translated_fields
                if (text := data.get(f"{field}_{code}", "").strip())
            }
            for code, _language in _languages(model)
        }
        self.instance.translations = {code: texts for code, texts in entered.items() if texts}
        return data


def translation_form(model) -> type[TranslationFields]:
    """A form base with the translation fields of ``model`` declared (so that the admin's
    ``fields`` may name them)."""
    declared = {}
    for code, _language in _languages(model):
        for field in model.translated_fields:
            if model.german_in_fields:
                source = model._meta.get_field(field)
                limit, long = source.max_length, isinstance(source, models.TextField)
            else:
                limit = model.text_limits[field]
                long = limit > 300
            widget = forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput()
            widget.attrs.update(lang=code, dir="auto")
            declared[f"{field}_{code}"] = forms.CharField(
                max_length=limit, required=False, widget=widget
            )
    return type(f"{model.__name__}TranslationFields", (TranslationFields,), declared)


class KeptChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.scope is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.kept_rows():
            yield self.choice(row)

    def __len__(self):
        if self.field.scope is None:
            return super().__len__()
        return len(self.field.kept_rows()) + (self.field.empty_label is not None)


# Per process: the tables the query of each kind and scope of kept rows reads.
_reads: dict[tuple, frozenset] = {}


class KeptChoices:
    """Choices among a few rows that seldom change (areas, municipalities, categories): offered
    from a list read once per process and data version (``page_cache.kept``), not queried on
    every request. ``keep(queryset, scope)`` names what the rows depend on; a queryset set
    otherwise is read as usual."""

    iterator = KeptChoiceIterator
    scope = None
    reads = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the rows' table and those of the rows they refer to (what a choice's label may join):
        # fetched with a request's first version read, also before the rows' first reading
        model = self.queryset.model
        related = [f.related_model._meta.label for f in model._meta.fields if f.is_relation]
        page_cache.declare(self._kind(), page_cache.model_tables(model._meta.label, *related))

    def _kind(self) -> str:
        return f"choice-rows:{self.queryset.model._meta.label}"

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.scope = None  # another queryset: nothing tells which kept rows it would be

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        # a copy of the field offers the same kept rows (copying sets a copy of the queryset)
        result = super().__deepcopy__(memo)
        result.scope, result.reads = self.scope, self.reads
        return result

    def keep(self, queryset, scope) -> None:
        self.queryset = queryset
        self.scope = scope
        # every table its query reads (joined ones too), declared: the rows are kept from their
        # first reading, not only once a first reading has taught them. Compiling the query costs
        # more than the rest of a form; the kind and scope name the query, as they name the rows.
        key = (self._kind(), repr(scope))  # a scope may hold a list
        if key not in _reads:
            try:
                _reads[key] = frozenset(page_cache.READ.findall(str(queryset.query)))
            except EmptyResultSet:  # a query that selects nothing reads nothing
                _reads[key] = frozenset()
        self.reads = _reads[key]

    def kept_rows(self) -> list:
        return page_cache.kept(
            self._kind(),
            self.scope,
            # a fresh queryset: one already evaluated would read nothing, and what is kept
            # would follow no table
            lambda: list(self.queryset.all()),
            reads=self.reads,
        )


class KeptModelMultipleChoiceField(KeptChoices, forms.ModelMultipleChoiceField):
    """Several of a few rows that seldom change, offered from the kept rows (what is sent is
    checked against the database, as usual)."""


class KeptModelChoiceField(KeptChoices, forms.ModelChoiceField):
    """One of a few rows that seldom change, offered and checked from the kept rows."""

    def to_python(self, value):
        if self.scope is None or value in self.empty_values:
            return super().to_python(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for row in self.kept_rows():
            if str(getattr(row, key)) == str(value):
                return row
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


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
            about = self._shorten(about)
            for field in self.fields.values():
                if language:
                    field.label = format_html(
                        '{} (<bdi lang="{}" dir="auto">{}</bdi>)', field.label, language, about
                    )
                else:
                    field.label = format_html('{} (<bdi dir="auto">{}</bdi>)', field.label, about)

    @classmethod
    def _shorten(cls, about):
        return Truncator(" ".join(about.split())).chars(cls.ABOUT_LENGTH)

    # Stand-ins for a row's values: letters only, so that escaping leaves them as they are.
    _MARKERS = {"row": "rowQzXv", "about": "aboutQzXv", "language": "languageQzXv"}

    @classmethod
    def blank_rows(cls, rows):
        """The markup of the unbound form (``as_div``) for each ``(row, about, language)`` of
        ``rows``, the same as ``cls(row=row, about=about, language=language).as_div()``.

        The form is rendered once per call (once per kind of label: with or without ``about``
        and ``language``) with stand-ins, which become the places where ``format_html`` puts
        each row's escaped values. Rendered through the form templates, each row's form cost
        about 2,000 Python calls: most of a page of 30 rows."""
        formats = {}
        markup = []
        for row, about, language in rows:
            kind = (bool(about), bool(language))
            if kind not in formats:
                # kept per language (and the data a field's choices read), like any fragment
                formats[kind] = page_cache.kept(
                    f"row-form:{cls.__module__}.{cls.__qualname__}",
                    kind,
                    lambda kind=kind: cls._format(*kind),
                )
            markup.append(
                format_html(formats[kind], row=row, about=cls._shorten(about), language=language)
            )
        return markup

    @classmethod
    def _format(cls, about, language):
        rendered = cls(
            row=cls._MARKERS["row"],
            about=cls._MARKERS["about"] if about else "",
            language=cls._MARKERS["language"] if language else "",
        ).as_div()
        return as_format(rendered, cls._MARKERS)


def as_format(markup: str, markers: dict[str, str]) -> str:
    """``markup``, rendered with stand-ins (name -> letters only, which escaping leaves as they
    are), as a format string for ``format_html``: each stand-in becomes the place of its name,
    every other brace is doubled."""
    markup = markup.replace("{", "{{").replace("}", "}}")
    for name, marker in markers.items():
        markup = markup.replace(marker, f"{{{name}}}")
    return markup

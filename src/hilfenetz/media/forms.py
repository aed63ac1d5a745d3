from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.forms import KeptModelChoiceField
from hilfenetz.core.models import Topic
from hilfenetz.core.predicates import allowed, permitted
from hilfenetz.media import files, services
from hilfenetz.media.models import Audience, Kind, MediaItem, PlatformDocument
from hilfenetz.regions.models import District, Municipality

ANY = [("", _("all"))]
LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    language = forms.ChoiceField(
        label=_("Language"), choices=ANY + LANGUAGE_CHOICES, required=False
    )
    audience = forms.ChoiceField(label=_("For"), choices=ANY + Audience.choices, required=False)
    topic = KeptModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("all"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ANY + Kind.choices, required=False)
    easy = forms.BooleanField(label=_("Leichte Sprache only"), required=False)
    sign = forms.BooleanField(label=_("German Sign Language only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the same few topics for everyone: offered and checked without a query
        self.fields["topic"].keep(Topic.objects.all(), ())

    def filters(self) -> services.Filters:
        if not self.is_bound or not self.is_valid():
            return services.Filters()
        data = self.cleaned_data
        return services.Filters(
            q=data["q"].strip(),
            language=data["language"],
            audience=data["audience"],
            topic=data["topic"],
            kind=data["kind"],
            easy_language=data["easy"],
            sign_language=data["sign"],
        )


class LimitedFileInput(forms.ClearableFileInput):
    """Tells the browser (and a script that warns before uploading) the size limit."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "class": "media-upload",
                "data-max-document-bytes": files.max_bytes(files.PDF),
                "data-max-av-bytes": files.max_bytes(files.VIDEO),
                **(attrs or {}),
            }
        )


def _file_field():
    return forms.FileField(
        label=_("File"),
        required=False,
        widget=LimitedFileInput,
        help_text=lazy(files.limits_text, str)(),
    )


class LanguageFields(forms.Form):
    """The text and the file (or address) of one language, with a caption track."""

    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=4000, required=False, widget=forms.Textarea
    )
    transcript = forms.CharField(
        label=_("Transcript"),
        max_length=20000,
        required=False,
        widget=forms.Textarea,
        help_text=_("For videos and audio: what is said, for people who cannot hear it."),
    )
    file = _file_field()
    url = forms.URLField(
        label=_("Or an address on the web"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    captions = forms.FileField(
        label=_("Captions (WebVTT)"),
        required=False,
        help_text=_("A .vtt file, for videos and audio."),
    )
    captions_language = forms.ChoiceField(
        label=_("Language of the captions"),
        choices=[("", _("the language of the file"))] + LANGUAGE_CHOICES,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("Please give either a file or an address, not both."))
        return data

    def upload(self) -> services.Upload:
        data = self.cleaned_data
        captions = None
        if data.get("captions"):
            captions = {data.get("captions_language") or data["language"]: data["captions"]}
        return services.Upload(
            language=data["language"],
            file=data.get("file"),
            url=data.get("url", ""),
            captions=captions,
        )


def publisher_choices(user):
    """``kind:id`` of every district, municipality and organisation the user publishes for
    (the rows of the rule ``media.publish_for``)."""
    publishers = (
        ("district", District.objects.order_by("name")),
        ("municipality", Municipality.objects.order_by("name")),
        ("organisation", Organisation.objects.active().order_by("name")),
    )
    return [
        (f"{kind}:{publisher.pk}", publisher.name)
        for kind, rows in publishers
        for publisher in permitted("media.publish_for", user, rows)
    ]


class ItemFields(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    audiences = forms.MultipleChoiceField(
        label=_("For whom"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    easy_language = forms.BooleanField(label=_("In Leichte Sprache (easy German)"), required=False)
    sign_language = forms.BooleanField(label=_("In German Sign Language"), required=False)
    platform_document = forms.ChoiceField(
        label=_("Platform document"),
        choices=[("", _("no"))] + PlatformDocument.choices[1:],
        required=False,
        help_text=_("The district's current version, under an address that stays the same."),
    )
    licence = forms.CharField(label=_("Licence and rights"), max_length=300, required=False)
    published_on = forms.DateField(
        label=_("Publication date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review_by = forms.DateField(
        label=_("Review by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_review_by(self):
        value = self.cleaned_data.get("review_by")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The review date must not be in the past."))
        return value

    def item_data(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in services.ITEM_FIELDS if name in data}
        if not values.get("review_by"):
            values.pop("review_by", None)
        return {
            **values,
            "audiences": data["audiences"],
            "topics": list(data["topics"]),
        }


class ItemCreateForm(ItemFields, LanguageFields):
    publisher = forms.ChoiceField(label=_("Published by"))
    publish = forms.BooleanField(
        label=_("Publish now"),
        required=False,
        initial=True,
        help_text=_("Otherwise kept as a draft."),
    )
    field_order = ["publisher", "kind", "language", "title", "description", "file", "url"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].choices = publisher_choices(user)
        if not allowed("media.keep_platform_document", user):
            del self.fields["platform_document"]

    def publisher_fields(self) -> dict:
        kind, _sep, pk = self.cleaned_data["publisher"].partition(":")
        if kind == "organisation":
            organisation = Organisation.objects.get(pk=pk)
            return {
                "district": organisation.district,
                "municipality": organisation.municipality,
                "organisation": organisation,
            }
        if kind == "municipality":
            municipality = Municipality.objects.select_related("district").get(pk=pk)
            return {"district": municipality.district, "municipality": municipality}
        return {"district": District.objects.get(pk=pk)}


class ItemEditForm(ItemFields):
    def __init__(self, *args, item: MediaItem, user, **kwargs):
        initial = {
            **{name: getattr(item, name) for name in services.ITEM_FIELDS},
            "audiences": item.audience_list,
            "topics": list(item.topics.all()),
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not allowed("media.keep_platform_document", user, item):
            del self.fields["platform_document"]


class LanguageForm(LanguageFields):
    pass


class CaptionForm(forms.Form):
    media_file = forms.ModelChoiceField(label=_("For the file in"), queryset=None, empty_label=None)
    language = forms.ChoiceField(label=_("Language of the captions"), choices=LANGUAGE_CHOICES)
    captions = forms.FileField(label=_("Captions (WebVTT)"))

    def __init__(self, *args, item: MediaItem, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["media_file"]
        field.queryset = item.files.filter(content_type__regex=r"^(video|audio)/")
        # read once: the page asks whether there are any and then lists them
        self.offered = list(field.queryset)
        field.choices = [(f.pk, f.get_language_display()) for f in self.offered]


class StatisticsForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        choices=[(30, _("last 30 days")), (365, _("last 12 months")), (3650, _("all"))],
        required=False,
        empty_value=30,
    )

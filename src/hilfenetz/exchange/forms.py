import copy

from django import forms
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import Organisation
from hilfenetz.core import images, page_cache
from hilfenetz.core.forms import KeptModelChoiceField, PerRowForm, as_format
from hilfenetz.core.widgets import Select
from hilfenetz.exchange.models import (
    MAX_PHOTOS,
    MAX_QUANTITY,
    Category,
    Frequency,
    Kind,
    Listing,
    SavedSearch,
)
from hilfenetz.exchange.services import EDITABLE_FIELDS, ON_BEHALF_REFUSED
from hilfenetz.regions.browsing import browsed_district, first_districts
from hilfenetz.regions.models import Area, District, Municipality


class CategoryChoiceField(KeptModelChoiceField):
    """Categories of one district; where the choices span several districts (nothing tells
    which one is meant), each shows its district."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Category.objects.none())
        super().__init__(*args, **kwargs)
        self.with_district = False

    def offer(self, district) -> None:
        """Offer the active categories of ``district``, or of every district for None."""
        categories = Category.objects.active()
        if district is not None:
            self.keep(categories.for_district(district), district.pk)
            self.with_district = False
        else:
            self.keep(
                categories.select_related("district").order_by(
                    "district__name", "position", "name"
                ),
                "every district",
            )
            self.with_district = True

    def label_from_instance(self, obj):
        return f"{obj.label()} ({obj.district.name})" if self.with_district else obj.label()


class _SharedFields(dict):
    """The fields of one scope, which every filter form of that scope uses as they are: nothing
    changes a filter field once ``FilterForm._offering`` has built it, and the deep copy each
    form makes of its declared fields cost as much as its validation (a search's words each
    build a form)."""

    def __deepcopy__(self, memo):
        return dict(self)


# What the filter form's fields offer: kept fields follow changes to these (rendering the 60-odd
# options costs more than the rest of a list page).
FILTER_FIELD_READS = (
    "exchange.Category",
    "regions.Area",
    "regions.Municipality",
    "regions.District",
)


class FilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), required=False, queryset=District.objects.all(), widget=Select
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Needs and offers")), *Kind.choices],
        widget=Select,
    )
    category = CategoryChoiceField(label=_("Category"), required=False, widget=Select)
    area = KeptModelChoiceField(
        label=_("Area"), required=False, queryset=Area.objects.all(), widget=Select
    )
    municipality = KeptModelChoiceField(
        label=_("Municipality"), required=False, queryset=Municipality.objects.all(), widget=Select
    )
    since = forms.DateField(
        label=_("New since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("date", _("Newest first")), ("relevance", _("Relevance"))],
        widget=Select,
    )

    # Per process: the fields of the form for each district browsed (None: every district), with
    # that district's choices, shared by its forms (``_SharedFields``; building the three
    # querysets anew cost as much as the rest of the form).
    _fields_by_scope: dict = {}

    def __init__(self, data=None, *args, **kwargs):
        """Categories, areas and municipalities to choose from are those of the district being
        browsed: the one chosen, or the only one of the installation."""
        districts = first_districts()
        self.only_district = only = len(districts) == 1
        self.district = districts[0] if only else None
        chosen = data.get("district") if data is not None and not only else None
        if chosen and str(chosen).isdigit():
            self.district = District.objects.filter(pk=chosen).first()
        scope = (self.district.pk if self.district is not None else None, only)
        if scope not in self._fields_by_scope:
            self._fields_by_scope[scope] = self._offering(self.district, only)
        self.base_fields = self._fields_by_scope[scope]
        super().__init__(data, *args, **kwargs)

    @classmethod
    def _offering(cls, district, only: bool) -> dict:
        """The declared fields, offering the choices of ``district`` (None: of every district);
        without the district's field when the installation has only one."""
        fields = _SharedFields(copy.deepcopy(cls.base_fields))
        if only:
            del fields["district"]
        scope = district.pk if district is not None else "every district"
        places = {"district": district} if district is not None else {}
        fields["area"].keep(Area.objects.filter(**places), scope)
        fields["municipality"].keep(Municipality.objects.filter(**places), scope)
        fields["category"].offer(district)
        return fields

    @property
    def chosen_district(self):
        """The district chosen among several, for links that narrow to it (a template's
        ``form.district`` is the form's field)."""
        return self.district if "district" in self.fields else None

    # The typed words' stand-in while the fields are rendered (letters only: escaping leaves it
    # as it is).
    _WORDS = "wordsQzXv"

    def rendered_fields(self):
        """Each field with its label and errors, kept as one fragment per district and choices
        submitted (their errors follow from these). The typed words go into the kept fragment
        afterwards, escaped as the field shows them: each search's words would otherwise make a
        fragment of their own."""
        words = (self.data.get("q") or "") if self.is_bound else ""
        if words and self.has_error("q"):  # too long: shown with its error, not kept
            return self._fields(self)
        district = self.district.pk if self.district is not None else None
        chosen = tuple(
            (name, self.data.get(name) if self.is_bound else None)
            for name in self.fields
            if name != "q"
        )
        markup = page_cache.kept(
            "filter-fields",
            (district, self.is_bound, bool(words), chosen),
            lambda: as_format(
                self._fields(self._with_words() if words else self), {"words": self._WORDS}
            ),
            reads=page_cache.model_tables(*FILTER_FIELD_READS),
        )
        return format_html(markup, words=words)

    def _with_words(self):
        """This form with the words' stand-in typed in."""
        data = self.data.copy()
        data["q"] = self._WORDS
        return type(self)(data)

    @staticmethod
    def _fields(form):
        return format_html_join(
            "",
            "<div>{}{}{}</div>",
            ((field.label_tag(), field.errors or "", field) for field in form),
        )


class ListingForm(forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP. We remove location data and make it smaller."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("What does the photo show?"),
        required=False,
        max_length=200,
        help_text=_("A few words for people who cannot see the photo."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Post for an organisation"), required=False, queryset=Organisation.objects.none()
    )
    on_behalf_agreement = forms.CharField(
        label=_("Posted on behalf of a person without an account: what did they agree to?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Listing
        fields = list(EDITABLE_FIELDS)  # what the services let an author change
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"})}
        field_classes = {"category": CategoryChoiceField}

    def __init__(self, *args, user=None, may_post_on_behalf=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_behalf_refused = False
        # Offered: the categories of the municipality's district. A submitted category is
        # looked up among all, so that one of another district gets a clear error
        # (Listing.clean) rather than "not a valid choice".
        self.fields["category"].offer(None if self.is_bound else self._district(user))
        self.fields["valid_until"].required = False
        self.fields["language"].choices = settings.LANGUAGES
        if self.instance.pk:
            del self.fields["organisation"]
            del self.fields["on_behalf_agreement"]
            return
        if user is not None:
            self.fields["organisation"].queryset = Organisation.objects.with_active_member(user)
            self.initial.setdefault("language", user.preferred_language)
        if not may_post_on_behalf:
            del self.fields["on_behalf_agreement"]
            # Submitted all the same (an old page, a crafted request): refused, not ignored.
            agreement = self.data.get(self.add_prefix("on_behalf_agreement")) or ""
            self.on_behalf_refused = self.is_bound and bool(agreement.strip())
            return
        self.fields["on_behalf_agreement"].help_text = _(
            "Erased %(days)s days after the listing is closed, or earlier with the listing."
        ) % {"days": settings.CONSENT_RETENTION_DAYS}

    def _district(self, user):
        if self.instance.pk:
            return self.instance.municipality.district
        return browsed_district(user=user)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if self.instance.pk and self.instance.photos.count() >= MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos per listing.") % {"n": MAX_PHOTOS})
        return images.prepare_image(upload)

    def clean(self):
        data = super().clean()
        if self.on_behalf_refused:
            raise forms.ValidationError(ON_BEHALF_REFUSED)
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Please describe the photo in a few words."))
        if data.get("municipality") is not None:  # shown again: that district's categories
            self.fields["category"].offer(data["municipality"].district)
        return data


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea)


class PledgeForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("How many?"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )


class ReasonForm(PerRowForm):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea)


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["drives", "query", "kind", "category", "area", "municipality", "frequency"]
        field_classes = {
            "category": CategoryChoiceField,
            "area": KeptModelChoiceField,
            "municipality": KeptModelChoiceField,
        }

    def __init__(self, *args, district=None, **kwargs):
        """``district``: the district being browsed, whose categories are offered."""
        super().__init__(*args, **kwargs)
        self.fields["category"].offer(district)
        # every area and municipality (the rows the filter form offers across districts)
        self.fields["area"].keep(Area.objects.all(), "every district")
        self.fields["municipality"].keep(Municipality.objects.all(), "every district")
        self.fields["frequency"].initial = Frequency.DAILY

from django import forms
from django.utils.translation import gettext_lazy as _

from hilfenetz.core.forms import PerRowForm, translation_field_names, translation_form
from hilfenetz.core.widgets import Select
from hilfenetz.crisis.models import (
    AccommodationOffer,
    CrisisMode,
    CrisisTemplate,
    OfferStatus,
    TemplateCategory,
)
from hilfenetz.exchange.models import Category
from hilfenetz.regions.models import Municipality

DATE = forms.DateInput(attrs={"type": "date"})


def _named_form(model):
    """A form of a German name and its translations (one field per language)."""

    class Meta:
        fields = ["name", *translation_field_names(model)]

    Meta.model = model
    return type(f"{model.__name__}Form", (translation_form(model),), {"Meta": Meta})


CategoryForm = _named_form(Category)
TemplateForm = _named_form(CrisisTemplate)
TemplateCategoryForm = _named_form(TemplateCategory)


class SwitchOnForm(translation_form(CrisisMode)):
    """What turning crisis mode on asks for; ``confirmed`` is set by the confirmation step."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = CrisisMode
        fields = ["template", "banner", "ends_on", *translation_field_names(CrisisMode)]
        widgets = {"ends_on": DATE, "template": Select}
        labels = {"banner": _("Banner text (German)")}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = CrisisTemplate.objects.filter(district=district)
        self.fields["template"].empty_label = _("No template: no categories are added")
        self.fields["banner"].required = True
        self.fields["ends_on"].required = True

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "banner": data["banner"],
            "translations": self.instance.translations,
            "ends_on": data["ends_on"],
            "template": data["template"],
        }


class OfferForm(forms.ModelForm):
    class Meta:
        model = AccommodationOffer
        fields = [
            "municipality",
            "people",
            "available_from",
            "available_until",
            "accessible",
            "note",
        ]
        widgets = {
            "municipality": Select,
            "available_from": DATE,
            "available_until": DATE,
            "note": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }
        help_texts = {
            "accessible": _("Without steps, e.g. for a wheelchair."),
            "note": _("No names or health details, please: a coordinator will contact you."),
        }

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            district__in=districts
        ).order_by("name")


class StatusForm(PerRowForm):
    status = forms.ChoiceField(label=_("Status"), choices=OfferStatus.choices, widget=Select)

from django import forms
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import OrganisationKind
from hilfenetz.directory.models import ContactPerson, Office, Topic
from hilfenetz.directory.services import Filters
from hilfenetz.regions.models import Area, Municipality


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, topic or place"), required=False, max_length=100)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("All municipalities"),
        to_field_name="slug",
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label=_("All areas"),
        to_field_name="slug",
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("All topics"),
        to_field_name="slug",
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
        required=False,
    )

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            q=data["q"].strip(),
            municipality=data["municipality"],
            area=data["area"],
            topic=data["topic"],
            kind=data["kind"],
        )


class ContactFinderForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("My municipality"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose your municipality"),
        to_field_name="slug",
    )


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "name",
            "municipalities",
            "street",
            "postcode",
            "city",
            "opening_hours",
            "phone",
            "fax",
            "email",
            "website",
            "languages",
        ]
        widgets = {
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        office = self.instance
        in_scope = Municipality.objects.coordinated_by(user).filter(district=office.district_id)
        # Municipalities outside the scope that the office already serves stay selectable,
        # so a coordinator can save without removing their neighbour's municipality.
        self.fields["municipalities"].queryset = (
            (in_scope | Municipality.objects.filter(offices=office)).distinct().order_by("name")
        )
        self.fields["municipalities"].required = False


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = [
            "name",
            "function",
            "phone",
            "email",
            "is_official_function",
            "consent_given",
            "consent_date",
            "position",
        ]
        widgets = {"consent_date": forms.DateInput(attrs={"type": "date"})}


class ProfileForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    how_to_reach = forms.CharField(
        label=_("How to reach us"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: id (empty for a new office), name, municipalities (separated by “;”), "
            "street, postcode, city, opening_hours, phone, fax, email, website, languages. "
            "The CSV export has exactly these columns."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        return upload

from django import forms
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import OrganisationKind
from hilfenetz.core.forms import KeptModelChoiceField, KeptModelMultipleChoiceField
from hilfenetz.core.models import Topic
from hilfenetz.core.predicates import allowed
from hilfenetz.core.roles import coordinates_object
from hilfenetz.core.widgets import Select
from hilfenetz.directory.models import CompetenceTeam, ContactPerson, Office, TeamMember
from hilfenetz.directory.services import OFFICE_FIELDS, Duplicates, Filters, ImportKind
from hilfenetz.regions.models import Area, District, Municipality


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, topic or place"), required=False, max_length=100)
    municipality = KeptModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
        to_field_name="slug",
        widget=Select,
    )
    area = KeptModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All areas"),
        to_field_name="slug",
        widget=Select,
    )
    topic = KeptModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("All topics"),
        to_field_name="slug",
        widget=Select,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *OrganisationKind.choices],
        required=False,
        widget=Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # every municipality, area and topic: checked and offered from rows kept per process
        self.fields["municipality"].keep(
            Municipality.objects.order_by("name"), "every municipality by name"
        )
        self.fields["area"].keep(Area.objects.order_by("name"), "every area by name")
        self.fields["topic"].keep(Topic.objects.all(), "every topic")

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
    municipality = KeptModelChoiceField(
        label=_("My municipality"),
        queryset=Municipality.objects.none(),
        empty_label=_("Choose your municipality"),
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].keep(
            Municipality.objects.order_by("name"), "every municipality by name"
        )


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = ["name", "municipalities", *OFFICE_FIELDS[1:]]
        widgets = {
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            "opening_hours": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        office = self.instance
        in_scope = Municipality.objects.coordinated_by(user).filter(district=office.district_id)
        # Only the municipalities the editor coordinates can be chosen; the office keeps the
        # ones it serves outside that scope (see services.served_municipalities).
        self.fields["municipalities"].queryset = in_scope.order_by("name")
        self.fields["municipalities"].required = False
        # the served ones outside in_scope, from the rows the office may have loaded already
        self.kept_municipalities = [
            m
            for m in (office.municipalities.all() if office.pk else [])
            if not (m.district_id == office.district_id and coordinates_object(user, m))
        ]


class OfficeCreateForm(forms.ModelForm):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())

    class Meta:
        model = Office
        fields = ["kind", *OfficeForm.Meta.fields]
        widgets = OfficeForm.Meta.widgets

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = list(District.objects.coordinated_by(user).order_by("name"))
        self.district = districts[0] if districts else None
        if len(districts) > 1:
            self.fields["district"].queryset = District.objects.filter(
                pk__in=[d.pk for d in districts]
            ).order_by("name")
        else:
            del self.fields["district"]
        self.fields["municipalities"].queryset = (
            Municipality.objects.coordinated_by(user).select_related("district").order_by("name")
        )
        self.fields["municipalities"].required = False
        if any(allowed("directory.office.create_district", user, d) for d in districts):
            self.fields["kind"].required = False
        else:
            del self.fields["kind"]

    def clean(self):
        data = super().clean()
        if "district" not in self.fields:
            data["district"] = self.district
        district = data.get("district")
        if district and any(m.district_id != district.pk for m in data.get("municipalities", [])):
            self.add_error("municipalities", _("Choose municipalities of the chosen district."))
        return data

    def _post_clean(self):
        # The service validates and saves the office; the form only checks its input.
        pass


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
    topics = KeptModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    how_to_reach = forms.CharField(
        label=_("How to reach us"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # offered from rows kept per process; what is sent is checked against the database
        self.fields["topics"].keep(Topic.objects.all(), "every topic")


class TeamForm(forms.ModelForm):
    class Meta:
        model = CompetenceTeam
        fields = ["description", "email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "affiliation", "consent_given"]
        help_texts = {
            "consent_given": _("Members are listed publicly only with their consent."),
        }


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=[
            (ImportKind.OFFICES, _("Coordination offices")),
            (ImportKind.CONTACTS, _("Contact persons")),
            (ImportKind.ORGANISATIONS, _("Organisations and working groups")),
        ],
        initial=ImportKind.OFFICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Offices: id (empty for a new office), name, municipalities (separated by “;”), "
            "street, postcode, city, opening_hours, phone, fax, email, website, languages. "
            "The CSV export has exactly these columns. "
            "Contact persons: id (empty for a new person), office (the office id), name, "
            "function, phone, email, official and consent (yes or no)."
        ),
    )
    duplicates = forms.ChoiceField(
        label=_("An organisation already listed under the same name in the same municipality"),
        choices=Duplicates.CHOICES,
        initial=Duplicates.UPDATE,
        required=False,
        widget=forms.RadioSelect,
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    file = forms.FileField(label=_("CSV or XLSX file"))

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        if len(districts) > 1:
            self.fields["district"].queryset = District.objects.filter(
                pk__in=[d.pk for d in districts]
            ).order_by("name")
        else:
            del self.fields["district"]
            self.district = districts[0]

    def clean_kind(self):
        return self.cleaned_data["kind"] or ImportKind.OFFICES

    def clean_duplicates(self):
        return self.cleaned_data["duplicates"] or Duplicates.UPDATE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        return upload

    def chosen_district(self):
        return self.cleaned_data["district"] if "district" in self.fields else self.district

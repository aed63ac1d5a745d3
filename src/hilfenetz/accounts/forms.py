from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """Extra fields of the allauth sign-up form: a display name, nothing more."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=60,
        help_text=_("Shown to others. It does not need to be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user):
        """allauth calls this after the user was saved; the adapter already stored the name."""


class ProfileForm(forms.ModelForm):
    class Meta:
        from hilfenetz.accounts.models import User

        model = User
        fields = ["display_name", "preferred_language", "home_municipality"]

    def __init__(self, *args, **kwargs):
        from hilfenetz.regions.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["home_municipality"].queryset = Municipality.objects.with_geography().order_by(
            "district__name", "name"
        )
        self.fields["home_municipality"].label_from_instance = lambda m: m.name_with_area
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"


class OrganisationForm(forms.ModelForm):
    class Meta:
        from hilfenetz.accounts.models import Organisation

        model = Organisation
        fields = [
            "name",
            "kind",
            "municipality",
            "description",
            "has_speaker",
            "public_email",
            "website",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        from hilfenetz.regions.models import Municipality

        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.with_geography().order_by(
            "name"
        )
        self.fields["municipality"].required = True


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(label=_("Yes, delete my account and my personal data."))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password

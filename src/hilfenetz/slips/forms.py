from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from hilfenetz.slips import services


def _language_choices():
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class SlipForm(forms.Form):
    listing = forms.ModelChoiceField(
        label=_("Listing"),
        queryset=None,
        help_text=_("Open listings you posted on someone's behalf, in your municipalities."),
    )
    pseudonym = forms.CharField(
        label=_("First name or pseudonym"),
        max_length=40,
        help_text=_("Only what the person wants to be called. It is printed on the slip."),
    )
    language = forms.ChoiceField(label=_("Language of the slip"), choices=_language_choices)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: two weeks after the listing ends. It also ends then at the latest."),
    )
    phone = forms.CharField(
        label=_("Mobile number for text messages"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "dir": "ltr"}),
    )
    sms_consent = forms.BooleanField(
        label=_("The person agrees to a text message for each answer."),
        required=False,
        help_text=_("The number is erased when the listing closes or the slip ends."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = services.listings_for_slip(user).select_related(
            "municipality"
        )
        if not services.sms_configured():
            del self.fields["phone"]
            del self.fields["sms_consent"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The eight characters on your slip, for example ACEF-3479."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "inputmode": "text",
            }
        ),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea)


class AddListingForm(forms.Form):
    listing = forms.ModelChoiceField(label=_("Another listing for this person"), queryset=None)

    def __init__(self, *args, user, slip, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = (
            services.listings_for_slip(user)
            .filter(municipality_id=slip.municipality_id)
            .exclude(slips=slip)
        )

from django import forms
from django.utils.translation import gettext_lazy as _

from hilfenetz.engagement.models import Intent
from hilfenetz.regions.models import Municipality


class IntentForm(forms.Form):
    intent = forms.ChoiceField(
        label=_("What do you want to do?"), choices=Intent.choices, widget=forms.RadioSelect
    )


class PlaceForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Where do you live or work?"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("I would rather not say"),
        help_text=_("We show you the coordination office there. Others do not see it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.with_geography().order_by("district__name", "name")
        field.label_from_instance = lambda m: m.name_with_area


class PlatformsForm(forms.Form):
    platforms = forms.ModelMultipleChoiceField(
        label=_("Which platforms do you want to follow?"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Followers are invited to the platform's meetings. You can change it later."),
    )

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["platforms"]
        field.queryset = offered
        field.label_from_instance = lambda p: p.label()


class CertificateForm(forms.Form):
    """Only the date a coordinator saw the certificate: never a copy, never its content."""

    seen_on = forms.DateField(
        label=_("Date the certificate was seen"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Do not keep a copy. Only this date and your name are recorded."),
    )


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea,
        help_text=_(
            "Sent by e-mail in your name with your e-mail address, so that they can answer. "
            "You do not see their address."
        ),
    )

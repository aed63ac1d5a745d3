from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hilfenetz.accounts.models import Organisation, admin_organisation_ids
from hilfenetz.core.forms import (
    KeptModelChoiceField,
    KeptModelMultipleChoiceField,
    PerRowForm,
    translation_form,
)
from hilfenetz.core.scoping import coordinator_scope
from hilfenetz.network.models import (
    Answer,
    Meeting,
    Minutes,
    Platform,
    ThreadKind,
)
from hilfenetz.network.services import MEETING_FIELDS
from hilfenetz.regions.models import Area, Municipality


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def in_zone(value, zone_name: str):
    """A time typed into a form (read in the site's time zone) as that wall-clock time in
    the meeting's time zone."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return timezone.make_aware(naive, ZoneInfo(zone_name))


def wall_clock(value, zone_name: str):
    """The reverse of :func:`in_zone`: what a form shows for a stored time."""
    return timezone.localtime(value, ZoneInfo(zone_name)).replace(tzinfo=None)


class PlatformForm(translation_form(Platform)):
    """Name and purpose in German and in every other language."""

    class Meta:
        model = Platform
        fields = ["name", "description", "position", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def service_fields(self) -> dict:
        own = {name: self.cleaned_data[name] for name in self._meta.fields}
        return {**own, "translations": self.instance.translations}


class MeetingForm(forms.ModelForm):
    # The district's areas and municipalities: offered from rows kept per data version.
    areas = KeptModelMultipleChoiceField(
        label=_("Whole areas"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every municipality of the areas chosen is invited."),
    )
    municipalities = KeptModelMultipleChoiceField(
        label=_("Municipalities invited"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting_languages = forms.MultipleChoiceField(
        label=_("Languages of the meeting"),
        choices=settings.LANGUAGES,
        initial=["de"],
        widget=forms.CheckboxSelectMultiple,
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line, in order."),
    )

    class Meta:
        model = Meeting
        fields = ["municipality", *MEETING_FIELDS]
        field_classes = {"municipality": KeptModelChoiceField}
        widgets = {
            "kind": forms.RadioSelect,
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, platform, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.platform = platform
        district_id = platform.district_id
        in_district = Municipality.objects.filter(district_id=district_id)
        self.fields["municipalities"].keep(
            in_district.select_related("area"), ("invited", district_id)
        )
        self.fields["areas"].keep(Area.objects.filter(district_id=district_id), district_id)
        # the municipalities whose meetings the user may manage (``network.manage_meeting``)
        self.fields["municipality"].keep(
            in_district.coordinated_by(user), ("hosts", district_id, coordinator_scope(user).key)
        )
        host_rows = self.fields["municipality"].kept_rows()
        if len(host_rows) == 1:
            self.fields["municipality"].initial = host_rows[0].pk
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]
        if self.instance.pk:
            zone = self.instance.time_zone
            self.initial["starts_at"] = wall_clock(self.instance.starts_at, zone)
            self.initial["ends_at"] = wall_clock(self.instance.ends_at, zone)
            self.initial["municipalities"] = list(
                self.instance.municipalities.values_list("pk", flat=True)
            )
            self.initial["agenda"] = "\n".join(self.instance.agenda.values_list("title", flat=True))
            self.fields["municipality"].disabled = True

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone") or "Europe/Berlin"
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = in_zone(data[name], zone)
        chosen = set(data.get("municipalities") or [])
        for area in data.get("areas") or []:
            chosen |= set(area.municipalities.all())
        if not chosen:
            self.add_error("municipalities", _("Please choose at least one municipality."))
        data["municipalities"] = sorted(chosen, key=lambda m: m.name)
        return data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("areas", None)
        data["agenda"] = [line for line in data.get("agenda", "").splitlines() if line.strip()]
        return data


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the organisers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you send the proposal back."),
    )


class RescheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("New start"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("New end"), widget=LocalDateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    note = forms.CharField(
        label=_("Message to everyone invited"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.initial.setdefault("starts_at", wall_clock(meeting.starts_at, meeting.time_zone))
        self.initial.setdefault("ends_at", wall_clock(meeting.ends_at, meeting.time_zone))

    def clean(self):
        data = super().clean()
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = in_zone(data[name], self.meeting.time_zone)
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return data


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Reason, for everyone invited"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"),
        choices=[c for c in Answer.choices if c[0]],
        widget=forms.RadioSelect,
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=10, initial=1)


class AttendedField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, invitation):
        return invitation.user.display_name if invitation.user else invitation.email


class AttendanceForm(forms.Form):
    """Who of those who said yes (or were marked before) attended a held meeting."""

    attended = AttendedField(
        label=_("Attended"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = invitations
        self.initial["attended"] = [inv.pk for inv in invitations if inv.attended]


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["language", "body", "decisions", "tasks", "pdf"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12, "dir": "auto"}),
            "decisions": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
            "tasks": forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        }


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    field = forms.CharField(label=_("Field"), max_length=160)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language for mails"), choices=settings.LANGUAGES)
    agenda_item = forms.ModelChoiceField(
        label=_("Speaks on"), queryset=None, required=False, empty_label=_("No agenda item")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all()


class ExpertAnswerForm(forms.Form):
    confirm = forms.TypedChoiceField(
        label=_("Will you take part?"),
        choices=[("1", _("Yes, I will take part")), ("0", _("No, I cannot take part"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    publish_name = forms.BooleanField(
        label=_("My name and field may be shown on the meeting page"), required=False
    )


class FollowForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("For"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=admin_organisation_ids(user)
        )
        self.fields["organisation"].empty_label = _("Myself")


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ThreadKind.choices)
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Text"), max_length=6000, widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )


class ReasonForm(PerRowForm):
    reason = forms.CharField(
        label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

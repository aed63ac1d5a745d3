from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hilfenetz.figures.services import (
    MAX_MONTHS,
    Period,
    Place,
    add_months,
    last_full_quarter,
    month_start,
)

#: How far back the period chooser reaches.
MONTHS_BACK = 36


class FiguresForm(forms.Form):
    """The place and the months; without a choice, the first place and the last full quarter."""

    place = forms.ChoiceField(label=_("Place"))
    start = forms.ChoiceField(label=_("From"))
    end = forms.ChoiceField(label=_("To"))

    def __init__(self, data, places: list[Place], today: date | None = None):
        today = today or timezone.localdate()
        default = last_full_quarter(today)
        initial = {"place": places[0].key if places else "", "start": _key(default.first)}
        initial["end"] = _key(default.last)
        super().__init__({**initial, **{k: v for k, v in data.items() if k in initial and v}})
        self.places = {place.key: place for place in places}
        self.fields["place"].choices = _grouped(places)
        this_month = month_start(today)
        months = [add_months(this_month, -n) for n in range(MONTHS_BACK + 1)]
        choices = [(_key(m), date_format(m, "YEAR_MONTH_FORMAT")) for m in months]
        self.fields["start"].choices = self.fields["end"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if "start" in cleaned and "end" in cleaned:
            first, last = _month(cleaned["start"]), _month(cleaned["end"])
            if first > last:
                raise forms.ValidationError(_("The first month must not be after the last."))
            period = Period(first, last)
            if len(period.months) > MAX_MONTHS:
                raise forms.ValidationError(
                    _("Please choose at most %(n)s months.") % {"n": MAX_MONTHS}
                )
            cleaned["period"] = period
        return cleaned

    @property
    def chosen_place(self) -> Place | None:
        return self.places.get(self.data.get("place"))


def _key(month: date) -> str:
    return f"{month:%Y-%m}"


def _month(key: str) -> date:
    year, month = key.split("-")
    return date(int(year), int(month), 1)


def _grouped(places: list[Place]):
    labels = {
        "district": _("Districts"),
        "area": _("Areas"),
        "municipality": _("Municipalities"),
    }
    groups = {}
    for place in places:
        groups.setdefault(place.level, []).append((place.key, place.name))
    return [(labels[level], choices) for level, choices in groups.items()]

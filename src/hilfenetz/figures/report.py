"""The figures as people read them: sections of rows (page and PDF), bar charts (page) and one
tidy table (CSV). Every count passes through :func:`services.shown`, so a count from 1 to 4
reads "fewer than 5" wherever it appears, and a sum beside a withheld count is withheld with
it (:func:`cells`)."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _

from hilfenetz.core.i18n import isolate, language_name
from hilfenetz.core.pdf import FONT, shaped_pdf
from hilfenetz.figures.services import (
    SMALL,
    Figures,
    Shown,
    ranked_categories,
    shown,
    shown_median,
    shown_sum,
)

FEWER = gettext_lazy("fewer than 5")
WITHHELD = gettext_lazy("withheld")
SUMS_NOTE = gettext_lazy(
    "A total is withheld where it would give away a count from 1 to 4 shown beside it."
)

# (figure key, label) of the help exchange's counts, in the order they are read
EXCHANGE = [
    ("needs_posted", gettext_lazy("Needs posted")),
    ("needs_answered", gettext_lazy("Needs answered for the first time")),
    ("needs_fulfilled", gettext_lazy("Needs fulfilled")),
    ("needs_expired", gettext_lazy("Needs expired")),
    ("offers_posted", gettext_lazy("Offers posted")),
    ("offers_answered", gettext_lazy("Offers answered for the first time")),
    ("offers_fulfilled", gettext_lazy("Offers fulfilled")),
    ("offers_expired", gettext_lazy("Offers expired")),
]
MEDIAN = "median_hours_to_first_answer"
# (key of ``engagement.services.onboarding_counts``, label): counted for the whole period
ONBOARDING = [
    ("new_volunteers", gettext_lazy("New volunteers registered")),
    ("acknowledged_standards", gettext_lazy("New volunteers who acknowledged the standards")),
    ("certificates_due", gettext_lazy("Certificates of conduct due")),
]


def text(value: Shown) -> str:
    """A shown figure as text in the active language."""
    if value.suppressed:
        return str(WITHHELD if value.sum_withheld else FEWER)
    if value.value is None:
        return "–"
    if isinstance(value.value, float) and not value.value.is_integer():
        return number_format(value.value, 1)
    return number_format(int(value.value))


@dataclass
class Row:
    label: str
    cells: list[Shown]
    lang: str = ""  # the language the label is in, where it is a language's own name

    @property
    def texts(self) -> list[str]:
        return [text(cell) for cell in self.cells]


@dataclass
class Bar:
    label: str
    value: Shown
    lang: str = ""


@dataclass
class Section:
    slug: str
    title: str
    explanation: str
    columns: list[str]
    rows: list[Row]
    chart_title: str
    bars: list[Bar]
    summary: list[str] = field(default_factory=list)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return date_format(date(int(year), int(number), 1), "YEAR_MONTH_FORMAT")


def period_label(figures: Figures) -> str:
    first, last = figures.months[0], figures.months[-1]
    if first == last:
        return month_label(first)
    return f"{month_label(first)} – {month_label(last)}"


def _parts(figures: Figures, key: str) -> list[str]:
    """The figures shown somewhere that ``key`` is the sum of."""
    return {
        "needs_posted": [f"needs_posted:{slug}" for slug in figures.categories],
        "meetings_held": [f"meetings_held:{slug}" for slug in figures.platforms],
        "downloads": [f"downloads:{code}" for code in figures.languages],
    }.get(key, [])


def cells(figures: Figures, key: str) -> list[Shown]:
    """Figure ``key`` in each month and in the whole period, as shown. A cell that is the sum
    of other cells shown (the whole period of its months; a month or the whole period of its
    parts) is withheld where one of them is: else the sum minus the others gives it away."""
    parts = [cells(figures, part) for part in _parts(figures, key)]
    months = [
        shown_sum(figures.count(month, key), [part[index] for part in parts])
        for index, month in enumerate(figures.months)
    ]
    whole = shown_sum(figures.total(key), [*months, *(part[-1] for part in parts)])
    return [*months, whole]


def onboarding_cells(figures: Figures) -> dict[str, Shown]:
    """The onboarding figures as shown. The new volunteers are those who acknowledged the
    standards and those who did not: where the latter are few, the former are withheld, else
    the one minus the other gives them away."""
    counts = {key: figures.onboarding.get(key, 0) for key, _label in ONBOARDING}
    shown_cells = {key: shown(count) for key, count in counts.items()}
    acknowledged = counts["acknowledged_standards"]
    not_acknowledged = shown(counts["new_volunteers"] - acknowledged)
    shown_cells["acknowledged_standards"] = shown_sum(acknowledged, [not_acknowledged])
    return shown_cells


def _monthly(figures: Figures, key: str, label: str, *, total: bool = True, lang: str = "") -> Row:
    shown_cells = cells(figures, key)
    if not total:
        shown_cells[-1] = Shown(None)
    return Row(label, shown_cells, lang)


def sections(figures: Figures) -> list[Section]:
    months = [month_label(m) for m in figures.months]
    monthly = [*months, _("Whole period")]
    exchange_rows = [_monthly(figures, key, str(label)) for key, label in EXCHANGE]
    exchange_rows.append(
        Row(
            _("Median hours to the first answer"),
            [shown_median(figures, month) for month in figures.months] + [Shown(None)],
        )
    )
    most, least = ranked_categories(figures)
    categories = sorted(figures.categories, key=lambda s: (-figures.total(f"needs_posted:{s}"), s))
    summary = []
    if most:
        summary.append(
            _("Most asked for: %(names)s.")
            % {"names": ", ".join(figures.categories[s] for s in most)}
        )
    if least:
        summary.append(
            _("Least met: %(names)s.") % {"names": ", ".join(figures.categories[s] for s in least)}
        )
    platforms = sorted(figures.platforms, key=lambda s: figures.platforms[s])
    onboarding = onboarding_cells(figures)
    meeting_rows = [_monthly(figures, "meetings_held", _("Meetings held"))]
    meeting_rows += [
        _monthly(
            figures,
            f"meetings_held:{slug}",
            _("Meetings held: %(platform)s") % {"platform": figures.platforms[slug]},
        )
        for slug in platforms
    ]
    meeting_rows += [
        _monthly(figures, "invitations", _("Invitations")),
        _monthly(figures, "attending", _("People who said they would come")),
        _monthly(figures, "trainings_held", _("Trainings held")),
        _monthly(figures, "training_attendance", _("People who attended trainings")),
    ]
    download_rows = [
        _monthly(figures, f"downloads:{code}", language_name(code), lang=code)
        for code in figures.languages
    ]
    download_rows.append(_monthly(figures, "downloads", _("All languages")))
    return [
        Section(
            "exchange",
            _("Help exchange"),
            _(
                "Posted: published in the month. Answered: the first message or promise came "
                "in the month. Fulfilled, expired: closed so in the month. The median time to "
                "the first answer is given for months with at least five answered listings."
            ),
            monthly,
            exchange_rows,
            _("Needs and offers in the whole period"),
            [Bar(str(label), cells(figures, key)[-1]) for key, label in EXCHANGE],
        ),
        Section(
            "categories",
            _("Categories of needs"),
            _(
                "Needs published in the period by category, and how many of them are "
                "fulfilled by now. Least met: the lowest share fulfilled among categories with "
                "at least five needs."
            ),
            [_("Needs posted"), _("Fulfilled by now")],
            [
                Row(
                    figures.categories[slug],
                    [
                        cells(figures, f"needs_posted:{slug}")[-1],
                        cells(figures, f"needs_met:{slug}")[-1],
                    ],
                )
                for slug in categories
            ],
            _("Needs posted by category"),
            [
                Bar(figures.categories[slug], cells(figures, f"needs_posted:{slug}")[-1])
                for slug in categories
            ],
            summary,
        ),
        Section(
            "volunteers",
            _("Volunteers"),
            _(
                "Active volunteers: people who in the month published an offer here, or "
                "answered or promised something for a need here. Signing in alone does not "
                "count. New volunteers: those among them who did so for the first time on the "
                "platform. Each person counts once a month; the months are not added up."
            ),
            monthly,
            [
                _monthly(figures, "active_volunteers", _("Active volunteers"), total=False),
                _monthly(figures, "new_volunteers", _("New volunteers")),
            ],
            _("Active volunteers per month"),
            [
                Bar(label, shown(figures.count(month, "active_volunteers")))
                for month, label in zip(figures.months, months, strict=True)
            ],
        ),
        Section(
            "meetings",
            _("Meetings"),
            _(
                "Exchange meetings and trainings hosted here that took place in the month, by "
                "platform; the invitations to them and the people who said yes and had a place; "
                "the trainings among them and the people their organisers marked as attended."
            ),
            monthly,
            meeting_rows,
            _("Meetings held by platform"),
            [
                Bar(figures.platforms[slug], cells(figures, f"meetings_held:{slug}")[-1])
                for slug in platforms
            ],
        ),
        Section(
            "onboarding",
            _("Introduction of new volunteers"),
            _(
                "New volunteers: people of this place who registered in the period and said in "
                "the welcome that they help. Of them, those who acknowledged the current "
                "standards of civic engagement. Certificates of conduct due: volunteers whose "
                "latest certificate recorded here is due again before the end of the period."
            ),
            [_("Whole period")],
            [Row(str(label), [onboarding[key]]) for key, label in ONBOARDING],
            _("Introduction of new volunteers"),
            [Bar(str(label), onboarding[key]) for key, label in ONBOARDING],
        ),
        Section(
            "downloads",
            _("Media downloads"),
            _(
                "How often the media of this place were opened or played, by language. Nothing "
                "about the people is stored."
            ),
            monthly,
            download_rows,
            _("Downloads by language"),
            [
                Bar(language_name(code), cells(figures, f"downloads:{code}")[-1], code)
                for code in figures.languages
            ],
        ),
    ]


# --- charts ----------------------------------------------------------------------------------

# Each bar below its label, so that a phone shows the chart as wide as the screen.
WIDTH, GAP, BAR_HEIGHT, STEP, VALUE = 320, 6, 16, 44, 96


def chart(bars: list[Bar]) -> dict:
    """The geometry of a horizontal bar chart, mirrored for right-to-left languages. A
    withheld count is drawn as a dashed outline at the length of 5, never its own."""
    rtl = get_language_bidi()
    top = max([SMALL, *(bar.value.value or 0 for bar in bars)])
    room = WIDTH - GAP - VALUE
    drawn = []
    for index, bar in enumerate(bars):
        amount = SMALL if bar.value.suppressed else (bar.value.value or 0)
        length = round(room * amount / top)
        y = index * STEP
        bar_x = WIDTH - length if rtl else 0
        drawn.append(
            {
                "label": bar.label,
                "lang": bar.lang,
                "text": text(bar.value),
                "withheld": bar.value.suppressed,
                "x": bar_x,
                "y": y + 20,
                "length": length,
                "label_x": WIDTH if rtl else 0,
                "label_y": y + 14,
                "value_x": bar_x - GAP if rtl else length + GAP,
                "value_y": y + 33,
            }
        )
    return {
        "bars": drawn,
        "height": max(len(bars) * STEP, STEP),
        "width": WIDTH,
        "bar_height": BAR_HEIGHT,
        "direction": "rtl" if rtl else "ltr",
        "withheld": any(bar.value.suppressed for bar in bars),
    }


# --- CSV -------------------------------------------------------------------------------------


def _csv_value(value: Shown):
    if value.suppressed:
        return text(value)
    return "" if value.value is None else value.value


def csv_text(figures: Figures) -> str:
    """One tidy table: month, place, figure, value (every count as :func:`shown` gives it)."""
    keys = [key for key, _label in EXCHANGE]
    keys += [f"needs_posted:{slug}" for slug in sorted(figures.categories)]
    keys += [f"needs_met:{slug}" for slug in sorted(figures.categories)]
    keys += ["active_volunteers", "new_volunteers", "meetings_held"]
    keys += [f"meetings_held:{slug}" for slug in sorted(figures.platforms)]
    keys += ["invitations", "attending", "trainings_held", "training_attendance", "downloads"]
    keys += [f"downloads:{code}" for code in figures.languages]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "scope", "figure", "value"])
    rows = {key: cells(figures, key) for key in keys}
    for index, month in enumerate(figures.months):
        for key in keys:
            writer.writerow([month, figures.place.name, key, _csv_value(rows[key][index])])
        writer.writerow(
            [month, figures.place.name, MEDIAN, _csv_value(shown_median(figures, month))]
        )
    # counted for the whole period: the month column names it
    onboarding = onboarding_cells(figures)
    for key, _label in ONBOARDING:
        writer.writerow(
            [
                figures.period.key,
                figures.place.name,
                f"onboarding:{key}",
                _csv_value(onboarding[key]),
            ]
        )
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------


def pdf_bytes(figures: Figures) -> bytes:
    """The printable report: the district, the place and the period, then every section's
    table (months across; right to left in Arabic and Persian)."""
    pdf, align = shaped_pdf(orientation="landscape")
    title = _("Figures: %(place)s") % {"place": isolate(figures.place.name)}
    pdf.set_title(title)
    pdf.set_creation_date(timezone.now())
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, figures.place.district_name, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, title, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    lines = [
        _("Period: %(period)s") % {"period": isolate(period_label(figures))},
        _("Counts from 1 to 4 are shown as “fewer than 5”; no figure names a person."),
        str(SUMS_NOTE),
    ]
    for line in lines:
        pdf.multi_cell(0, 6, line, align=align, new_x="LMARGIN", new_y="NEXT")
    for section in sections(figures):
        pdf.ln(4)
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 7, section.title, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=8)
        pdf.multi_cell(0, 4.5, section.explanation, align=align, new_x="LMARGIN", new_y="NEXT")
        for line in section.summary:
            pdf.multi_cell(0, 4.5, line, align=align, new_x="LMARGIN", new_y="NEXT")
        if not section.rows:
            continue
        pdf.ln(2)
        headings = ["", *section.columns]
        rows = [[row.label, *row.texts] for row in section.rows]
        widths = [70, *[(277 - 20 - 70) / len(section.columns)] * len(section.columns)]
        if align == "R":
            headings, rows, widths = headings[::-1], [r[::-1] for r in rows], widths[::-1]
        with pdf.table(col_widths=widths, line_height=5.5, text_align=align) as table:
            header = table.row()
            for heading in headings:
                header.cell(heading)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
    return bytes(pdf.output())

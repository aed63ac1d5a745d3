"""A volunteer's confirmation of their engagement (for employers, the Ehrenamtskarte or a
residence application): since when they are registered, the trainings and meetings they
attended, the needs they helped fulfil, their offers and the standards they acknowledged."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hilfenetz.core.pdf import FONT, shaped_pdf
from hilfenetz.engagement.models import StandardsAcknowledgement
from hilfenetz.exchange.models import Kind, Listing, Pledge, PledgeStatus, Status
from hilfenetz.network.models import Invitation, MeetingKind
from hilfenetz.regions.browsing import browsed_district


@dataclass
class Confirmation:
    person: object
    district: object
    registered_on: datetime
    trainings: list
    meetings: list
    needs_helped: int
    offers: int
    standards: StandardsAcknowledgement | None


def confirmation_languages(user) -> list[tuple[str, str]]:
    """German, and the person's own language if it is another one."""
    names = dict(settings.LANGUAGES)
    codes = ["de"] if user.preferred_language == "de" else [user.preferred_language, "de"]
    return [(code, names[code]) for code in codes]


def confirmation_of(user) -> Confirmation:
    attended = [
        invitation.meeting
        for invitation in Invitation.objects.filter(user=user, attended=True)
        .select_related("meeting__municipality", "meeting__platform__district")
        .order_by("meeting__starts_at")
    ]
    return Confirmation(
        person=user,
        district=browsed_district(None, user),
        registered_on=user.date_joined,
        trainings=[m for m in attended if m.kind == MeetingKind.TRAINING],
        meetings=[m for m in attended if m.kind != MeetingKind.TRAINING],
        needs_helped=Pledge.objects.filter(
            helper=user,
            listing__kind=Kind.NEED,
            listing__status=Status.FULFILLED,
        )
        .exclude(status=PledgeStatus.CANCELLED)
        .values("listing")
        .distinct()
        .count(),
        offers=Listing.objects.filter(author=user, kind=Kind.OFFER)
        .exclude(status__in=(Status.DRAFT, Status.BLOCKED))
        .count(),
        standards=StandardsAcknowledgement.objects.filter(user=user).first(),
    )


def _organiser(meeting) -> str:
    return f"{meeting.municipality.name} ({meeting.platform.label()})"


def confirmation_pdf(user, language: str) -> bytes:
    """The confirmation as a PDF in ``language`` (German or the person's own)."""
    with translation.override(language):
        data = confirmation_of(user)
        pdf, align = shaped_pdf(language=language)
        title = _("Confirmation of civic engagement")
        pdf.set_title(title)
        pdf.set_creation_date(timezone.now())
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()

        def line(text, size=11, style="", gap=6):
            pdf.set_font(FONT, style, size)
            pdf.multi_cell(0, gap, text, align=align, new_x="LMARGIN", new_y="NEXT")

        def heading(text):
            pdf.ln(3)
            line(text, size=12, style="B", gap=7)

        if data.district is not None:
            line(data.district.name, size=10)
        line(title, size=16, style="B", gap=9)
        pdf.ln(2)
        line(
            _("%(name)s has been registered on the volunteer platform since %(date)s.")
            % {
                "name": user.display_name,
                "date": date_format(timezone.localdate(data.registered_on), "DATE_FORMAT"),
            }
        )
        for text, meetings in (
            (_("Trainings attended"), data.trainings),
            (_("Meetings attended"), data.meetings),
        ):
            heading(text)
            for meeting in meetings:
                line(
                    f"{date_format(meeting.local_start(), 'DATE_FORMAT')} · {meeting.title} · "
                    + _("organised by %(organiser)s") % {"organiser": _organiser(meeting)}
                )
            if not meetings:
                line(_("None yet."))
        heading(_("Help exchange"))
        line(_("Needs helped to fulfil: %(count)s") % {"count": data.needs_helped})
        line(_("Offers published: %(count)s") % {"count": data.offers})
        heading(_("Standards of civic engagement"))
        if data.standards is not None:
            line(
                _("Acknowledged version %(version)s of %(date)s on %(acknowledged)s.")
                % {
                    "version": data.standards.version,
                    "date": date_format(data.standards.version_date, "DATE_FORMAT"),
                    "acknowledged": date_format(
                        timezone.localdate(data.standards.acknowledged_at), "DATE_FORMAT"
                    ),
                }
            )
        else:
            line(_("Not acknowledged yet."))
        pdf.ln(6)
        line(
            _("Created on %(date)s from the records of the volunteer platform.")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
            size=9,
        )
        return bytes(pdf.output())

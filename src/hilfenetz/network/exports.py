"""The printable sign-in sheet of a meeting (PDF), in the organiser's language."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hilfenetz.core.pdf import FONT, shaped_pdf

BLANK_ROWS = 8  # for people who come without having answered


def signin_sheet(meeting, invitations) -> bytes:
    """Everyone who said yes (with their number of people), then empty rows; a column to sign."""
    pdf, align = shaped_pdf(orientation="landscape")
    title = meeting.title
    pdf.set_title(title)
    pdf.set_creation_date(timezone.now())
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 7, title, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    when = date_format(meeting.local_start(), "DATETIME_FORMAT")
    place = " ".join(meeting.address.split())
    pdf.multi_cell(
        0,
        6,
        f"{meeting.platform.label()} · {when} · {place}",
        align=align,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    headings = [_("Name"), _("Organisation"), _("People"), _("Signature")]
    rows = [
        [
            inv.user.display_name if inv.user else inv.email,
            inv.organisation.name if inv.organisation else "",
            str(inv.people),
            "",
        ]
        for inv in invitations
    ] + [["", "", "", ""]] * BLANK_ROWS
    if align == "R":  # the first column on the right
        headings, rows = headings[::-1], [row[::-1] for row in rows]
    widths = (80, 70, 25, 90) if align == "L" else (90, 25, 70, 80)
    with pdf.table(col_widths=widths, line_height=9, text_align=align) as table:
        header = table.row()
        for text in headings:
            header.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(text)
    return bytes(pdf.output())

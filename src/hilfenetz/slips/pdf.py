"""The slip as a printed page (HTML) and as a PDF: the same texts, in the person's language,
with the QR code and the code to type."""

import io

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hilfenetz.core.pdf import FONT, shaped_pdf

A5 = (148, 210)  # millimetres; fpdf2 warns about the name "A5" since it corrected it


def slip_texts(slip, code: str, address: str) -> dict:
    """What the slip says, in the active language (the person's)."""
    return {
        "greeting": _("Hello %(name)s,") % {"name": slip.pseudonym},
        "intro": _(
            "on this page you see the answers to your listing and can reply. You need no "
            "e-mail address and no password."
        ),
        "scan": _("Scan the QR code with the camera of your phone."),
        "or_type": _("Or open this address and type your code:"),
        "address": address,
        "code": code,
        "listings": _("Your listings:"),
        "valid": _("Valid until %(date)s.")
        % {"date": formats.date_format(slip.valid_until, "SHORT_DATE_FORMAT")},
        "keep_safe": _(
            "Keep this slip safe: whoever has the code can read and answer. If you lose it, ask "
            "your coordination office for a new one."
        ),
    }


def slip_pdf(*, slip, code: str, address: str, listings, url: str) -> bytes:
    """One A5 page; Arabic and Persian set right to left (core/pdf.py)."""
    texts = slip_texts(slip, code, address)
    document, align = shaped_pdf(format=A5)
    document.set_title(texts["greeting"])
    document.set_creation_date(timezone.now())
    document.add_page()
    document.set_font(FONT, "B", 14)
    document.multi_cell(0, 8, texts["greeting"], align=align, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=10)
    document.multi_cell(0, 5, texts["intro"], align=align, new_x="LMARGIN", new_y="NEXT")
    document.ln(3)
    document.multi_cell(0, 5, texts["scan"], align=align, new_x="LMARGIN", new_y="NEXT")
    png = io.BytesIO()
    segno.make(url, error="m").save(png, kind="png", scale=8, border=2)
    png.seek(0)
    size = 45
    document.image(png, x=(document.w - size) / 2, w=size, h=size)
    document.ln(3)
    document.multi_cell(0, 5, texts["or_type"], align=align, new_x="LMARGIN", new_y="NEXT")
    # address and code are Latin letters: left to right in every language
    document.set_font(FONT, "B", 12)
    document.multi_cell(0, 7, texts["address"], align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, "B", 22)
    document.multi_cell(0, 12, texts["code"], align="C", new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=10)
    document.ln(2)
    document.multi_cell(0, 5, texts["listings"], align=align, new_x="LMARGIN", new_y="NEXT")
    for listing in listings:
        document.multi_cell(0, 5, f"• {listing.title}", align=align, new_x="LMARGIN", new_y="NEXT")
    document.ln(2)
    document.multi_cell(0, 5, texts["valid"], align=align, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FONT, size=8)
    document.multi_cell(0, 4, texts["keep_safe"], align=align, new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())

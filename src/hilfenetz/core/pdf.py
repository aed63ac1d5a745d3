"""The PDFs the platform makes (the directory's lists, sign-in sheets, demo brochures): one
pipeline with self-hosted fonts that cover Latin, Cyrillic, Arabic (with the Pashto letters) and
Ethiopic script, shaped and set right to left where the language asks for it."""

import logging
from pathlib import Path

from django.utils import translation
from fpdf import FPDF

# fontTools reports every table it subsets at INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "data"
# The family every document sets its text in: DejaVu; Noto Sans Ethiopic for Tigrinya; Noto
# Sans Arabic for Pashto, whose ۍ DejaVu lacks (taken from another font, it would not join the
# letter before it). Arabic, Persian and Dari stay in DejaVu, which has all their letters: text
# read back from Noto Sans Arabic (copying, some screen readers) comes apart into letter groups.
# A letter the family lacks comes from the others.
FONT = "Text"
_FONTS = {
    "latin": ("DejaVuSans", "DejaVuSans-Bold"),
    "arabic": ("NotoSansArabic-Regular", "NotoSansArabic-Bold"),
    "ethiopic": ("NotoSansEthiopic-Regular", "NotoSansEthiopic-Bold"),
}
_SCRIPT = {"ti": "ethiopic", "ps": "arabic"}
# fpdf2 fills in the page count ("{nb}") only in a font that has its digits: a line with it is
# set in DejaVu
PAGE_COUNT_FONT = "latin"


def shaped_pdf(pdf_class=FPDF, *, language: str | None = None, **kwargs) -> tuple[FPDF, str]:
    """A document (A4 unless ``format`` says otherwise) set in ``FONT``, in ``language``
    (default: the active one, the requesting person's): Arabic-script languages need shaping
    and right-to-left lines. Returns the document and the alignment of a line ("R" or "L")."""
    language = language or translation.get_language() or "de"
    pdf = pdf_class(**{"format": "A4", **kwargs})
    script = _SCRIPT.get(language, "latin")
    for name, (regular, bold) in _FONTS.items():
        for family in (name, FONT) if name == script else (name,):
            pdf.add_font(family, "", str(FONT_DIR / f"{regular}.ttf"))
            pdf.add_font(family, "B", str(FONT_DIR / f"{bold}.ttf"))
    pdf.set_fallback_fonts(list(_FONTS))
    pdf.set_lang(language)
    pdf.set_text_shaping(True)
    return pdf, "R" if translation.get_language_info(language)["bidi"] else "L"

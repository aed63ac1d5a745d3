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


def shaped_pdf(pdf_class=FPDF, *, language: str | None = None, **kwargs) -> tuple[FPDF, str]:
    """A document (A4 unless ``format`` says otherwise) with the DejaVu fonts, in ``language``
    (default: the active one, the requesting person's): Arabic and Persian need shaping and
    right-to-left lines. Returns the document and the alignment of a line ("R" or "L")."""
    language = language or translation.get_language() or "de"
    pdf = pdf_class(**{"format": "A4", **kwargs})
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    # a character DejaVu lacks (Tigrinya's script, Pashto's ۍ) is taken from these, in order
    for family, file in (("NotoArabic", "NotoSansArabic"), ("NotoEthiopic", "NotoSansEthiopic")):
        pdf.add_font(family, "", str(FONT_DIR / f"{file}-Regular.ttf"))
        pdf.add_font(family, "B", str(FONT_DIR / f"{file}-Bold.ttf"))
    pdf.set_fallback_fonts(["NotoArabic", "NotoEthiopic"])
    pdf.set_lang(language)
    pdf.set_text_shaping(True)
    return pdf, "R" if translation.get_language_info(language)["bidi"] else "L"

"""Exports of the coordination offices that are generated on request and so always current.

All three show only public contacts (``ContactPerson.objects.public()``, prefetched as
``public_contacts`` by ``Office.objects.with_details()``).
"""

import csv
import io

import vobject
from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from hilfenetz.core import page_cache
from hilfenetz.core.i18n import isolate, isolate_ltr
from hilfenetz.core.pdf import FONT, PAGE_COUNT_FONT, shaped_pdf
from hilfenetz.directory import services
from hilfenetz.directory.services import OFFICE_FIELDS

CSV_HEADER = ["id", "name", "municipalities", *OFFICE_FIELDS[1:], "contacts", "verified_at"]


def offices_csv(offices) -> str:
    """One row per office; columns match the import, so an export can be edited and imported."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for office in offices:
        contacts = "; ".join(
            " / ".join(p for p in (c.name, c.function, c.phone, c.email) if p)
            for c in office.public_contacts
        )
        writer.writerow(
            [
                office.pk,
                office.name,
                "; ".join(m.name for m in office.municipalities.all()),
                office.street,
                office.postcode,
                office.city,
                office.opening_hours,
                office.phone,
                office.fax,
                office.email,
                office.website,
                office.languages,
                contacts,
                office.verified_at.isoformat() if office.verified_at else "",
            ]
        )
    return out.getvalue()


def _address(card, office):
    if office.street or office.city:
        adr = card.add("adr")
        adr.value = vobject.vcard.Address(
            street=office.street, city=office.city, code=office.postcode, country="Deutschland"
        )
        adr.type_param = "WORK"


def offices_vcard(offices) -> str:
    """vCard 3.0: one card per office and one per public contact person."""
    cards = []
    for office in offices:
        card = vobject.vCard()
        card.add("fn").value = office.name
        card.add("n").value = vobject.vcard.Name(family=office.name)
        card.add("org").value = [office.name]
        card.add("kind").value = "org"
        for kind, number in (("WORK", office.phone), ("FAX", office.fax)):
            if number:
                tel = card.add("tel")
                tel.value, tel.type_param = number, kind
        if office.email:
            card.add("email").value = office.email
        if office.website:
            card.add("url").value = office.website
        _address(card, office)
        cards.append(card)
        for contact in office.public_contacts:
            card = vobject.vCard()
            card.add("fn").value = contact.name
            parts = contact.name.rsplit(" ", 1)
            card.add("n").value = vobject.vcard.Name(
                family=parts[-1], given=parts[0] if len(parts) > 1 else ""
            )
            card.add("org").value = [office.name]
            if contact.function:
                card.add("title").value = contact.function
            if contact.phone:
                tel = card.add("tel")
                tel.value, tel.type_param = contact.phone, "WORK"
            if contact.email:
                card.add("email").value = contact.email
            _address(card, office)
            cards.append(card)
    # vobject emits an X- prefix for unknown properties; KIND is vCard 4, drop it for 3.0.
    for card in cards:
        if hasattr(card, "kind"):
            del card.contents["kind"]
    return "".join(card.serialize() for card in cards)


class _ListPDF(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(PAGE_COUNT_FONT, size=8)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def offices_pdf(offices, *, title: str, as_of) -> bytes:
    """A printable list of the offices, dated. Values inside a sentence are isolated: an
    Arabic line would otherwise print "0711 555-000" as "000-555 0711"."""
    pdf, align = shaped_pdf(_ListPDF)
    stamp = _("As of %(date)s") % {"date": isolate(date_format(as_of, "DATE_FORMAT"))}
    pdf.footer_text = f"{title} · {stamp}"
    pdf.set_title(title)
    pdf.set_creation_date(timezone.now())
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(0, 8, title, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, stamp, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for office in offices:
        pdf.set_font(FONT, "B", 12)
        pdf.multi_cell(0, 6, office.name, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=9)
        lines = []
        served = ", ".join(m.name for m in office.municipalities.all())
        if served:
            lines.append(_("For: %(places)s") % {"places": isolate(served)})
        if office.address:
            lines.append(office.address)
        if office.opening_hours:
            lines.append(_("Opening hours: %(hours)s") % {"hours": isolate(office.opening_hours)})
        reach = " · ".join(
            p
            for p in (
                office.phone and _("Phone %(n)s") % {"n": isolate_ltr(office.phone)},
                office.fax and _("Fax %(n)s") % {"n": isolate_ltr(office.fax)},
                office.email and isolate_ltr(office.email),
                office.website and isolate_ltr(office.website),
            )
            if p
        )
        if reach:
            lines.append(reach)
        if office.languages:
            lines.append(_("Languages: %(l)s") % {"l": isolate(office.languages)})
        for contact in office.public_contacts:
            lines.append(
                "– "
                + ", ".join(
                    p
                    for p in (
                        contact.name and isolate(contact.name),
                        contact.function and isolate(contact.function),
                        contact.phone and isolate_ltr(contact.phone),
                        contact.email and isolate_ltr(contact.email),
                    )
                    if p
                )
            )
        if office.verified_at:
            lines.append(
                _("Last verified: %(date)s")
                % {
                    "date": isolate(
                        date_format(timezone.localtime(office.verified_at), "DATE_FORMAT")
                    )
                }
            )
        for line in lines:
            pdf.multi_cell(0, 5, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def current_offices_pdf() -> bytes:
    """The PDF of the public offices in the active language. Rendering takes about a second;
    the copy kept in the shared cache is as current as the data it shows."""
    return page_cache.kept(
        "offices-pdf",
        (),
        lambda: offices_pdf(
            services.search_offices(services.Filters()),
            title=_("Coordination offices"),
            as_of=services.data_date(),
        ),
        # everything it reads: kept from its first rendering
        reads=page_cache.model_tables(
            "directory.Office",
            "directory.ContactPerson",
            "regions.Municipality",
            "regions.District",
        ),
        store=cache,
        timeout=24 * 3600,
    )

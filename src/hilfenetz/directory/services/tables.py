"""What every import of the directory shares: reading a CSV or XLSX table, the planned rows
and their checks, and the districts a person imports into."""

import contextlib
import csv
import io
import itertools
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.utils.translation import gettext as _

from hilfenetz.accounts.models import Organisation
from hilfenetz.core.i18n import isolate, isolate_ltr
from hilfenetz.core.middleware import unstorable
from hilfenetz.core.predicates import allowed
from hilfenetz.core.roles import is_administrator
from hilfenetz.directory.models import ContactPerson, Office
from hilfenetz.directory.services.offices import OFFICE_FIELDS
from hilfenetz.regions.models import District

IMPORT_COLUMNS = ["id", "name", "municipalities", *OFFICE_FIELDS[1:]]

CONTACT_IMPORT_COLUMNS = [
    "id",
    "office",
    "name",
    "function",
    "phone",
    "email",
    "official",
    "consent",
]

ORGANISATION_IMPORT_COLUMNS = [
    "name",
    "municipality",
    "kind",
    "description",
    "has_speaker",
    "public_email",
    "website",
    "phone",
    "how_to_reach",
]

MAX_IMPORT_ROWS = 1000
#: 1000 rows of the longest texts fit well below it; a bigger file is refused before reading it
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ImportKind:
    OFFICES = "offices"
    CONTACTS = "contacts"
    ORGANISATIONS = "organisations"
    COLUMNS = {
        OFFICES: IMPORT_COLUMNS,
        CONTACTS: CONTACT_IMPORT_COLUMNS,
        ORGANISATIONS: ORGANISATION_IMPORT_COLUMNS,
    }


@dataclass
class ImportRow:
    line: int
    raw: dict
    kind: str = ImportKind.OFFICES
    office: Office | None = None
    contact: ContactPerson | None = None
    organisation: Organisation | None = None
    #: an organisation already listed, left as it is (the importer chose to skip duplicates)
    skip: bool = False
    data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def is_new(self):
        entry = {ImportKind.CONTACTS: self.contact, ImportKind.ORGANISATIONS: self.organisation}
        return entry.get(self.kind, self.office) is None and not self.skip

    @property
    def office_served(self) -> set:
        return set(self.office.municipalities.all()) if self.office else set()


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    kind: str = ImportKind.OFFICES
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self):
        return not self.errors and all(not r.errors for r in self.rows)

    @property
    def changed_rows(self):
        return [r for r in self.rows if r.is_new or r.changes]

    @property
    def skipped_rows(self):
        return [r for r in self.rows if r.skip]


def read_table(uploaded, kind: str = ImportKind.OFFICES) -> list[dict]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload as dicts of strings."""
    columns = ImportKind.COLUMNS[kind]
    name = (getattr(uploaded, "name", "") or "").lower()
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is larger than %(n)d MB. Please import it in parts.")
            % {"n": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    content = uploaded.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any broken file is the user's error
            raise ValidationError(_("The file is not a readable XLSX file.")) from exc
        values = (
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        )
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file must be encoded as UTF-8.")) from exc
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            # the header row only: the sniffer takes minutes over a long text
            header_line = text[: text.find("\n")] if "\n" in text else text
            dialect = csv.Sniffer().sniff(header_line[:4096], delimiters=",;")
        values = ([v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect))
    # one row more than allowed is enough to refuse the file (a small packed XLSX can unpack
    # to millions of rows)
    try:
        values = list(itertools.islice((row for row in values if any(row)), MAX_IMPORT_ROWS + 2))
    except csv.Error as exc:  # e.g. a field longer than a CSV reader takes
        raise ValidationError(_("The file is not a readable CSV file.")) from exc
    if not values:
        raise ValidationError(_("The file is empty."))
    for number, row in enumerate(values, start=1):
        if unstorable(row):
            raise ValidationError(
                _(
                    "Row %(n)d contains characters that cannot be stored (a NUL byte). Please "
                    "remove them and upload the file again."
                )
                % {"n": number}
            )
    header = [h.strip().lower() for h in values[0]]
    if "name" not in header:
        raise ValidationError(_("The first row must name the columns, at least “name”."))
    if kind == ImportKind.CONTACTS and "office" not in header and "id" not in header:
        raise ValidationError(_("The first row must name the columns “office” or “id”."))
    if len(values) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("At most %(n)d rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}
        )
    rows = [
        {col: (row[i] if i < len(row) else "") for i, col in enumerate(header) if col in columns}
        for row in values[1:]
    ]
    return rows


def check_values(row, data, model, names):
    """Check the values of ``names`` in ``data`` against the fields of ``model`` of the same
    names: e-mail and web addresses, and their length."""
    for name in names:
        value = data.get(name, "")
        if not isinstance(value, str) or not value:
            continue
        model_field = model._meta.get_field(name)
        validator, message = {
            models.EmailField: (EmailValidator(), _("“%(v)s” is not an e-mail address.")),
            models.URLField: (URLValidator(), _("“%(v)s” is not a web address.")),
        }.get(type(model_field), (None, ""))
        if validator is not None:
            try:
                validator(value)
            except ValidationError:
                row.errors.append(message % {"v": isolate_ltr(value)})
        if model_field.max_length and len(value) > model_field.max_length:
            row.errors.append(_("“%(f)s” is too long.") % {"f": isolate(name)})


TRUE_WORDS = {"1", "x", "yes", "y", "true", "ja", "j", "wahr"}
FALSE_WORDS = {"", "0", "no", "n", "false", "nein", "falsch", "-"}


def flag(row, raw, column, default):
    """The yes or no of ``column`` in ``raw`` (``default`` when the file lacks the column)."""
    if column not in raw:
        return default
    value = raw[column].strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    row.errors.append(
        _("“%(v)s” in column “%(c)s” is neither yes nor no.")
        % {"v": isolate(raw[column]), "c": isolate(column)}
    )
    return default


def import_districts(user):
    """The districts ``user`` may import into: administrators choose among all of them,
    coordinators are fixed to the one they coordinate."""
    districts = District.objects.coordinated_by(user).order_by("pk")
    if is_administrator(user):
        return list(districts.order_by("name"))
    first = districts.first()
    return [first] if first else []


def import_district(user) -> District | None:
    """The district an import of ``user`` goes to when they do not choose one."""
    districts = import_districts(user)
    return districts[0] if districts else None


def require_import(user, district: District) -> None:
    """Refuse an import into ``district`` by anyone who may not import into it."""
    if not allowed("directory.import", user) or district not in import_districts(user):
        raise PermissionDenied


def sample_table(columns: list[str], rows: list[dict], extension: str) -> bytes:
    """A table with ``columns`` and ``rows``, as the import reads it: CSV (UTF-8 with the mark
    spreadsheet programs need to read it as such) or XLSX."""
    if extension == "xlsx":
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return out.getvalue().encode("utf-8-sig")

"""The office's exports of applications: XLSX, and CSV in UTF-8 with a BOM or in Shift_JIS (cp932).

The XLSX is built with openpyxl directly, so each cell has its type: references
and phone numbers are text (leading zeros kept), times are dates in Japan time.
"""
import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

import openpyxl
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from seminars.models import Session

from .references import reference_display
from .validators import MULTI_LINE_REFUSED_RE

# A cell starting with one of these is a formula to Excel, which also reads the full-width signs as
# formulas once converted: applicants' text must never run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# What a character that Shift_JIS (cp932) cannot hold becomes: visible, and itself in cp932.
CP932_REPLACEMENT = "〓"

CSV_ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}

# Excel refuses these in a sheet name, and a name longer than 31 characters.
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_WIDTH_MAX = 60

TEXT, DATETIME = "text", "datetime"


def _cell(value):
    """Return the value as a cell shows it safely: never a formula, never a character the sheet cannot hold."""
    if not isinstance(value, str):
        return value
    # Forms and the model refuse these; a value stored before they did is shown with U+FFFD in their place,
    # not left to make the whole export fail (openpyxl raises on control characters).
    value = MULTI_LINE_REFUSED_RE.sub("\ufffd", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _tokyo(moment: dt.datetime | None) -> dt.datetime | None:
    """Return the moment in Japan time without its zone (a spreadsheet date has none), or None."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _choice(name):
    return lambda application: str(getattr(application, f"get_{name}_display")())


def _field(name):
    return lambda application: getattr(application, name)


def _attendance(name):
    """Return a reader of the application's attendance record: its status label ("Not recorded" without one)."""
    def read(application):
        try:
            record = application.attendance_record
        except ObjectDoesNotExist:
            return gettext("Not recorded") if name == "status" else None
        return str(record.get_status_display()) if name == "status" else record.minutes
    return read


# (header, value of an application, kind): the columns of every export, in order.
COLUMNS = (
    (_("reference"), lambda application: reference_display(application.reference), TEXT),
    (_("session"), lambda application: str(application.session), None),
    (_("status"), _choice("status"), None),
    (_("name"), _field("name"), None),
    (_("name reading (kana)"), _field("name_reading"), None),
    (_("email"), _field("email"), None),
    (_("organisation"), _field("organisation"), None),
    (_("department"), _field("department"), None),
    (_("position"), _field("position"), None),
    (_("industry"), _choice("industry"), None),
    (_("organisation size"), _choice("organisation_size"), None),
    (_("prefecture of the workplace"), _choice("prefecture"), None),
    (_("phone"), _field("phone"), TEXT),
    (_("how you will attend"), _choice("attendance"), None),
    (_("question for the speakers"), _field("question"), None),
    (_("applied at"), lambda application: _tokyo(application.created_at), DATETIME),
    (_("received by"), _choice("origin"), None),
    (_("cancelled at"), lambda application: _tokyo(application.cancelled_at), DATETIME),
    (_("reason for cancellation"), _field("cancel_reason"), None),
    (_("attendance"), _attendance("status"), None),
    (_("minutes attended"), _attendance("minutes"), None),
)


def _headers() -> list[str]:
    return [capfirst(str(header)) for header, _value, _kind in COLUMNS]


def _rows(queryset):
    ordered = queryset.select_related("session", "attendance_record").order_by("session__starts_at", "created_at", "pk")
    for application in ordered:
        yield [_cell(value(application)) for _header, value, _kind in COLUMNS]


def _text_width(text: str) -> int:
    """Return how many half-width columns the text takes: Japanese (wide) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sheet_name(title: str) -> str:
    """Return a title as Excel accepts it for a sheet: no []:*?/\\, no edge apostrophe, 31 characters at most."""
    name = " ".join(_SHEET_NAME_REFUSED.sub(" ", title).split()).strip("'").strip()
    return name[:_SHEET_NAME_MAX].strip() or gettext("Applications")


def sheet_name_unique(book, title: str) -> str:
    """Return sheet_name(title), with " (2)", " (3)"… before its 31st character when the book has it already."""
    name = sheet_name(title)
    taken = set(book.sheetnames)
    number = 1
    while name in taken:
        number += 1
        suffix = f" ({number})"
        name = sheet_name(title)[:_SHEET_NAME_MAX - len(suffix)].strip() + suffix
    return name


def session_sheet_name(session) -> str:
    """Return a session's sheet name: its number and day, e.g. "第3回 2025-12-25" (never cut mid-title)."""
    label = gettext("Session %(number)s") % {"number": session.number}
    return sheet_name(f"{label} {timezone.localdate(session.starts_at):%Y-%m-%d}")


def xlsx_table(sheet, *, header_row: int = 1, last_row: int | None = None, first_column_frozen: bool = False) -> None:
    """Make the sheet's table ready to use and print: a filter on its header, the header frozen, A4 print setup.

    The table runs from `header_row` to `last_row` (a total below it stays out of the filter; by
    default the sheet's last row) and to the last column. Printed on A4, landscape
    when wider than it is long, fitted to the page's width (as many pages long as it takes), the
    header row repeated on every page.
    """
    last = f"{get_column_letter(max(sheet.max_column, 1))}{max(last_row or sheet.max_row, header_row)}"
    sheet.auto_filter.ref = f"A{header_row}:{last}"
    sheet.freeze_panes = f"{'B' if first_column_frozen else 'A'}{header_row + 1}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = (
        sheet.ORIENTATION_LANDSCAPE if sheet.max_column > 6 else sheet.ORIENTATION_PORTRAIT
    )
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"


def applications_xlsx(queryset, *, title: str = "") -> bytes:
    """Return the applications as an XLSX workbook of one sheet.

    The sheet is named after the session ("第3回 2025-12-25") when they are all of one session, else `title`.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    session_ids = list(queryset.order_by().values_list("session_id", flat=True).distinct()[:2])
    if len(session_ids) == 1:
        sheet.title = session_sheet_name(Session.objects.get(pk=session_ids[0]))
    else:
        sheet.title = sheet_name(title)
    headers = _headers()
    sheet.append(headers)
    widths = [_text_width(header) for header in headers]
    for row in _rows(queryset):
        sheet.append(row)
        for index, value in enumerate(row):
            if isinstance(value, str):
                longest = max((_text_width(line) for line in value.splitlines()), default=0)
                widths[index] = max(widths[index], longest)
    for index, (_header, _value, kind) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if kind == DATETIME:
            widths[index - 1] = max(widths[index - 1], 16)
        sheet.column_dimensions[letter].width = min(widths[index - 1], _WIDTH_MAX) + 2
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if kind == TEXT:
                # Text even when Excel re-reads it: "03…" keeps its zero.
                cell.number_format = "@"
            elif kind == DATETIME and cell.value is not None:
                cell.number_format = "yyyy-mm-dd hh:mm"
    xlsx_table(sheet, header_row=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class CsvExport:
    content: bytes
    replaced: int  # characters that the encoding cannot hold, shown as CP932_REPLACEMENT


def _cp932_safe(text: str) -> tuple[str, int]:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        pass
    else:
        return text, 0
    out, replaced = [], 0
    for ch in text:
        try:
            ch.encode("cp932")
        except UnicodeEncodeError:
            out.append(CP932_REPLACEMENT)
            replaced += 1
        else:
            out.append(ch)
    return "".join(out), replaced


def applications_csv(queryset, *, encoding: str = "utf-8") -> CsvExport:
    """Return the applications as CSV for Excel, CRLF lines, in "utf-8" (with a BOM) or "cp932" (Shift_JIS).

    Japanese Excel reads a CSV without a byte-order mark as Shift_JIS. In cp932, a
    character it cannot hold (e.g. 𠮷 or an emoji) becomes 〓 and is counted.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    for row in _rows(queryset):
        writer.writerow(["" if value is None else
                         value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value
                         for value in row])
    text, replaced = buffer.getvalue(), 0
    if encoding == "cp932":
        text, replaced = _cp932_safe(text)
    return CsvExport(content=text.encode(CSV_ENCODINGS[encoding]), replaced=replaced)

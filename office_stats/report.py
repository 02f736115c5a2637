"""The report to the council: the statistics of a series as an XLSX (a sheet per table) and a PDF (A4).

Both are built from one `Statistics` (selectors.py), in the language of the admin page that asked
(Japanese at /admin/), titled with the series and dated with the moment the figures were counted.
"""
import datetime as dt
import io

import openpyxl
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from registrations.exports import sheet_name_unique, xlsx_table

from .charts import charts_for, sessions_label

REPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PERCENT = "0.0%"
# The row of each sheet's table header: the report's title and moment stand above it.
HEADER_ROW = 4


def report_filename(statistics, file_format: str) -> str:
    """Return e.g. "statistics-series-1-2026-11-26.xlsx" (ASCII: every browser keeps it as it is)."""
    day = timezone.localdate(statistics.at)
    return f"statistics-{statistics.series.slug}-{day:%Y-%m-%d}.{file_format}"


def report_title(statistics) -> str:
    return gettext("%(series)s: statistics") % {"series": statistics.series}


def as_of(statistics) -> str:
    return gettext("As of %(moment)s (Japan time)") % {
        "moment": f"{timezone.localtime(statistics.at):%Y-%m-%d %H:%M}"
    }


# --- XLSX ---


# The rates a session not yet held has none of: it reads "not held yet", never 0 %.
RATES = ("attendance_rate", "response_rate")


def figures_columns() -> list[tuple[str, str, str | None]]:
    """Return the figures table's columns: (attribute of Figures, heading, number format)."""
    return [(name, heading, number_format) for name, heading, number_format, _what in figure_definitions()]


def figure_definitions() -> list[tuple[str, str, str | None, str]]:
    """Return every figure once: (attribute of Figures, heading, number format, what it counts in one line).

    The pages, the XLSX and the PDF take their headings and their one-line definitions from here.
    """
    return [
        ("capacity", gettext("Capacity"), None, gettext("The places offered.")),
        ("applications", gettext("Applications"), None,
         gettext("Every application received, cancelled ones included; the five statuses add up to it.")),
        ("confirmed", gettext("Confirmed"), None, gettext("Applications holding a place.")),
        ("waitlisted", gettext("Waiting list"), None, gettext("Applications on the waiting list.")),
        ("awaiting_draw", gettext("Awaiting the draw"), None, gettext("Lottery sessions: applications not drawn yet.")),
        ("not_drawn", gettext("Not drawn"), None, gettext("Lottery sessions: applications the draw did not pick.")),
        ("cancelled", gettext("Cancelled"), None, gettext("Applications cancelled by the applicant or the office.")),
        ("fill_rate", gettext("Fill rate"), PERCENT, gettext("Confirmed places of the capacity.")),
        ("attended", gettext("Attended"), None,
         gettext("Applications not cancelled whose attendance is recorded as attended.")),
        ("absent", gettext("Absent"), None,
         gettext("Applications not cancelled whose attendance is recorded as absent.")),
        ("not_recorded", gettext("Not recorded"), None,
         gettext("Confirmed applications without an attendance record.")),
        ("attendance_rate", gettext("Attendance rate"), PERCENT,
         gettext("Attended of those recorded attended or absent, in the sessions held; none before a session.")),
        ("responses", gettext("Responses from attendees"), None,
         gettext("Attendees who answered the questionnaire, each counted once.")),
        ("response_rate", gettext("Response rate"), PERCENT,
         gettext("Responses from attendees of the attendees, in the sessions held.")),
        ("responses_others", gettext("Responses from others"), None,
         gettext("People not recorded as attendees who answered (e.g. recorded absent): never in the rate.")),
        ("satisfaction", gettext("Mean satisfaction"), "0.00",
         gettext("The mean of the attendees' answers to the satisfaction question, from 1 to 5.")),
    ]


def figure_value(figures, name: str):
    """Return the figure `name` of `figures` as a cell holds it: a rate of a session not yet held is the words."""
    if name in RATES and not figures.held:
        return gettext("not held yet")
    return getattr(figures, name)


def _sheet(book, name: str, statistics, headings: list[str]):
    """Add a sheet: the report's title and moment above a table whose header is row HEADER_ROW."""
    sheet = book.create_sheet(sheet_name_unique(book, name))
    sheet.append([report_title(statistics)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([as_of(statistics)])
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    return sheet


def _table_done(sheet, *, last_row: int | None = None) -> None:
    """The table's filter, frozen header and label column, and print setup (registrations.exports.xlsx_table)."""
    xlsx_table(sheet, header_row=HEADER_ROW, last_row=last_row, first_column_frozen=True)


def _widths(sheet, first: int = 24, others: int = 14) -> None:
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = first if index == 1 else others


def _formats(sheet, formats: dict[int, str]) -> None:
    """Apply number formats by column index (1-based) to the data rows."""
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        for index, number_format in formats.items():
            row[index - 1].number_format = number_format


def report_xlsx(statistics) -> bytes:
    """Return the statistics as an XLSX workbook: a sheet per table, numbers and dates typed, ready to print.

    Every table has a filter on its header, the header and the label column frozen, and an A4 print
    setup fitted to the width with the header repeated; the last sheet defines each figure.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)

    columns = figures_columns()
    sheet = _sheet(book, gettext("Summary"), statistics,
                   [gettext("Session"), gettext("Date"), *(heading for _name, heading, _format in columns)])
    for figures in statistics.figures:
        day = timezone.localdate(figures.session.starts_at)
        sheet.append([figures.label, day, *(figure_value(figures, name) for name, _heading, _format in columns)])
    last = sheet.max_row
    total = statistics.total
    sheet.append([total.label, None, *(figure_value(total, name) for name, _heading, _format in columns)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _formats(sheet, {2: "yyyy-mm-dd", **{index + 3: fmt for index, (_n, _h, fmt) in enumerate(columns) if fmt}})
    _right_aligned(sheet, first=3)
    _widths(sheet, first=16, others=11)
    _table_done(sheet, last_row=last)

    _daily_sheet(book, statistics)
    for breakdown in statistics.breakdowns:
        _breakdown_sheet(book, statistics, breakdown)
    _modes_sheet(book, statistics)
    if statistics.session is None:
        sheet = _sheet(book, gettext("Repeat participants"), statistics,
                       [gettext("Number of sessions attended"), gettext("People")])
        for sessions, people in statistics.repeat_rows:
            sheet.append([sessions_label(sessions), people])
        last = sheet.max_row
        sheet.append([gettext("Two or more sessions"), statistics.repeat_people])
        _widths(sheet)
        _table_done(sheet, last_row=last)
    _definitions_sheet(book, statistics)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _right_aligned(sheet, *, first: int) -> None:
    """Right-align the data cells from column `first` on: "not held yet" stands where the rates do."""
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=first):
        for cell in row:
            cell.alignment = Alignment(horizontal="right")


def _definitions_sheet(book, statistics) -> None:
    sheet = _sheet(book, gettext("Definitions"), statistics, [gettext("Figure"), gettext("What it counts")])
    for _name, heading, _format, what in figure_definitions():
        sheet.append([heading, what])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 90
    _table_done(sheet)


def daily_table(statistics) -> tuple[list[str], list[list]]:
    """Return the headings and rows of applications per day: a date, then each session's new and total."""
    days: dict[dt.date, dict[int, tuple[int, int]]] = {}
    for line in statistics.daily:
        for day, new, running in line.days:
            days.setdefault(day, {})[line.session.pk] = (new, running)
    headings = [gettext("Date")]
    for line in statistics.daily:
        label = gettext("Session %(number)s") % {"number": line.session.number}
        headings += [gettext("%(session)s: that day") % {"session": label},
                     gettext("%(session)s: so far") % {"session": label}]
    rows = []
    for day in sorted(days):
        row = [day]
        for line in statistics.daily:
            new, _running = days[day].get(line.session.pk, (0, None))
            row += [new, line.total_on(day)]
        rows.append(row)
    return headings, rows


def _daily_sheet(book, statistics) -> None:
    headings, rows = daily_table(statistics)
    sheet = _sheet(book, gettext("Applications per day"), statistics, headings)
    for row in rows:
        sheet.append(row)
    _formats(sheet, {1: "yyyy-mm-dd"})
    _widths(sheet, first=14, others=16)
    _table_done(sheet)


def _breakdown_sheet(book, statistics, breakdown) -> None:
    labels = [gettext("Session %(number)s") % {"number": each.number} for each in breakdown.sessions]
    sheet = _sheet(book, breakdown.title, statistics,
                   [breakdown.title, *labels, gettext("Total"), gettext("Share")])
    for row in breakdown.rows:
        sheet.append([row.label, *row.counts, row.total, row.share])
    last = sheet.max_row
    if breakdown.subtotal:
        row = breakdown.subtotal
        sheet.append([row.label, *row.counts, row.total, row.share])
    sheet.append([gettext("Total"), *(sum(row.counts[index] for row in breakdown.rows)
                                      for index in range(len(breakdown.sessions))), breakdown.total])
    _formats(sheet, {len(labels) + 3: PERCENT})
    _widths(sheet, first=30)
    _table_done(sheet, last_row=last)


def _modes_sheet(book, statistics) -> None:
    headings = [gettext("How they attend")]
    for each in statistics.sessions:
        label = gettext("Session %(number)s") % {"number": each.number}
        headings += [gettext("%(session)s: applications") % {"session": label},
                     gettext("%(session)s: attended") % {"session": label}]
    headings += [gettext("Applications"), gettext("Attended")]
    sheet = _sheet(book, gettext("How they attend"), statistics, headings)
    for row in statistics.modes:
        cells = [row.label]
        for applied, attended in zip(row.applied_by_session, row.attended_by_session, strict=True):
            cells += [applied, attended]
        sheet.append([*cells, row.applied, row.attended])
    _widths(sheet, first=24, others=18)
    _table_done(sheet)


# --- PDF ---


def report_pdf(statistics) -> bytes:
    """Return the report as an A4 PDF: a cover with the key figures, the tables with their charts, each session.

    Sessions are a few lines each (one line without data), not a page each.
    """
    html = render_to_string("admin/office_stats/report.html", {
        "statistics": statistics,
        "charts": charts_for(statistics),
        "title": report_title(statistics),
        "as_of": as_of(statistics),
        "language": get_language(),
        "definitions": figure_definitions(),
        # Two tables of the figures, applications then attendance and the questionnaire: one would not fit A4.
        "figure_groups": [figure_definitions()[:8], figure_definitions()[8:]],
        "held_count": sum(1 for each in statistics.figures if each.held),
    })
    # Imported here: WeasyPrint loads Pango, which only the PDF needs.
    from weasyprint import HTML, URLFetcher

    # The charts are data: URIs; nothing else is fetched, whatever the office typed into a title.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()

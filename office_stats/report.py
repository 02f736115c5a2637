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
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .charts import charts_for, sessions_label

REPORT_FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
PERCENT = "0.0%"
SHEET_NAME_MAX = 31


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


def figures_columns() -> list[tuple[str, str, str | None]]:
    """Return the summary table's columns: (attribute of Figures, heading, number format)."""
    return [
        ("capacity", gettext("Capacity"), None),
        ("applications", gettext("Applications"), None),
        ("confirmed", gettext("Confirmed"), None),
        ("waitlisted", gettext("Waiting list"), None),
        ("awaiting_draw", gettext("Awaiting the draw"), None),
        ("not_drawn", gettext("Not drawn"), None),
        ("cancelled", gettext("Cancelled"), None),
        ("fill_rate", gettext("Fill rate"), PERCENT),
        ("attended", gettext("Attended"), None),
        ("absent", gettext("Absent"), None),
        ("attendance_rate", gettext("Attendance rate"), PERCENT),
        ("responses", gettext("Questionnaire responses"), None),
        ("satisfaction", gettext("Mean satisfaction"), "0.00"),
    ]


def _sheet(book, name: str, statistics, headings: list[str]):
    sheet = book.create_sheet(name[:SHEET_NAME_MAX])
    sheet.append([report_title(statistics)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([as_of(statistics)])
    sheet.append([])
    sheet.append(headings)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B5"
    return sheet


def _widths(sheet, first: int = 24, others: int = 14) -> None:
    for index in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = first if index == 1 else others


def _formats(sheet, formats: dict[int, str]) -> None:
    """Apply number formats by column index (1-based) to the data rows."""
    for row in sheet.iter_rows(min_row=5):
        for index, number_format in formats.items():
            row[index - 1].number_format = number_format


def report_xlsx(statistics) -> bytes:
    """Return the statistics as an XLSX workbook: a sheet per table, numbers as numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)

    columns = figures_columns()
    sheet = _sheet(book, gettext("Summary"), statistics,
                   [gettext("Session"), gettext("Date"), *(heading for _name, heading, _format in columns)])
    for figures in [*statistics.figures, statistics.total]:
        day = timezone.localdate(figures.session.starts_at) if figures.session else None
        sheet.append([figures.label, day, *(getattr(figures, name) for name, _heading, _format in columns)])
    _formats(sheet, {2: "yyyy-mm-dd", **{index + 3: fmt for index, (_n, _h, fmt) in enumerate(columns) if fmt}})
    _widths(sheet)

    _daily_sheet(book, statistics)
    for breakdown in statistics.breakdowns:
        _breakdown_sheet(book, statistics, breakdown)
    _modes_sheet(book, statistics)
    if statistics.session is None:
        sheet = _sheet(book, gettext("Repeat participants"), statistics,
                       [gettext("Number of sessions attended"), gettext("People")])
        for sessions, people in statistics.repeat_rows:
            sheet.append([sessions_label(sessions), people])
        sheet.append([gettext("Two or more sessions"), statistics.repeat_people])
        _widths(sheet)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def _breakdown_sheet(book, statistics, breakdown) -> None:
    labels = [gettext("Session %(number)s") % {"number": each.number} for each in breakdown.sessions]
    sheet = _sheet(book, breakdown.title, statistics,
                   [breakdown.title, *labels, gettext("Total"), gettext("Share")])
    for row in [*breakdown.rows, *([breakdown.subtotal] if breakdown.subtotal else [])]:
        sheet.append([row.label, *row.counts, row.total, row.share])
    sheet.append([gettext("Total"), *(sum(row.counts[index] for row in breakdown.rows)
                                      for index in range(len(breakdown.sessions))), breakdown.total])
    _formats(sheet, {len(labels) + 3: PERCENT})
    _widths(sheet, first=30)


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


# --- PDF ---


def report_pdf(statistics, sessions) -> bytes:
    """Return the report as an A4 PDF: a summary page for the series, then a page per session (in `sessions`)."""
    html = render_to_string("admin/office_stats/report.html", {
        "statistics": statistics,
        "charts": charts_for(statistics),
        "pages": [{"statistics": each, "charts": charts_for(each)} for each in sessions],
        "title": report_title(statistics),
        "as_of": as_of(statistics),
        "language": get_language(),
        "columns": figures_columns(),
        "daily_headings_rows": daily_table(statistics),
    })
    # Imported here: WeasyPrint loads Pango, which only the PDF needs.
    from weasyprint import HTML, URLFetcher

    # The charts are data: URIs; nothing else is fetched, whatever the office typed into a title.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()

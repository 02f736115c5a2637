"""Every response of a questionnaire as a table for Excel: XLSX, or CSV in UTF-8 with a BOM or in cp932.

A row per response, a column per question (ticked choices joined as a list). Not anonymous: the
application's reference and organisation and the times the response was sent and last changed lead
the row (empty once erasure detached the response). Anonymous: none of these; the rows are numbered
in the random order drawn when each response was first sent, which says nothing of who or when.
Four queries, whatever the number of responses.
"""
import csv
import datetime as dt
import io
from collections import defaultdict

import openpyxl
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

# The applications' export's own safety rules: no cell read as a formula, no character a sheet cannot
# hold, column widths in half-width columns, and cp932's replacement of what it cannot encode.
from registrations.exports import CSV_ENCODINGS, CsvExport, session_sheet_name, sheet_name, xlsx_table
from registrations.exports import _cell as cell_safe
from registrations.exports import _cp932_safe as cp932_safe
from registrations.exports import _text_width as text_width
from registrations.references import reference_display
from seminars.formatting import format_list

from .enums import QuestionKind
from .models import Answer, Choice, Question, Questionnaire, Response

_WIDTH_MAX = 60


def export_table(questionnaire: Questionnaire) -> tuple[list[str], list[list]]:
    """Return the export's header row and data rows (datetimes in Japan time without a zone)."""
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("order", "pk")))
    )
    choice_text = {choice.pk: choice.text for question in questions for choice in question.choices.all()}
    responses = Response.objects.filter(questionnaire=questionnaire)
    if questionnaire.anonymous:
        responses = responses.order_by("sort_key", "pk")
        leading = [gettext("No."), gettext("session")]
    else:
        responses = responses.select_related("application").order_by("submitted_at", "pk")
        leading = [gettext("reference"), gettext("organisation"), gettext("sent at"), gettext("last changed at"),
                   gettext("session")]
    headers = [capfirst(header) for header in leading] + [
        f"Q{number} {question.text}" for number, question in enumerate(questions, start=1)
    ]
    answers = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, choice_id, scale, text in (
        Answer.objects.filter(response__questionnaire=questionnaire)
        .order_by("response_id", "question_id", "choice__order", "pk")
        .values_list("response_id", "question_id", "choice_id", "scale", "text")
    ):
        answers[response_id][question_id].append(choice_text.get(choice_id) if choice_id else scale or text)
    session = str(questionnaire.session) if questionnaire.session_id else ""
    rows = []
    for number, response in enumerate(responses, start=1):
        if questionnaire.anonymous:
            row = [number, session]
        else:
            application = response.application
            row = [
                reference_display(application.reference) if application else "",
                application.organisation if application else "",
                _tokyo(response.submitted_at), _tokyo(response.updated_at), session,
            ]
        for question in questions:
            values = answers[response.pk].get(question.pk, [])
            if question.kind == QuestionKind.MULTIPLE:
                row.append(format_list(values) if values else None)
            else:
                row.append(values[0] if values else None)
        rows.append([cell_safe(value) for value in row])
    return headers, rows


def _tokyo(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def responses_xlsx(questionnaire: Questionnaire) -> bytes:
    """Return the responses as an XLSX workbook of one sheet named after the session ("第3回 2025-12-25 v2")."""
    headers, rows = export_table(questionnaire)
    book = openpyxl.Workbook()
    sheet = book.active
    if questionnaire.session_id:
        version = f" v{questionnaire.version}" if questionnaire.version > 1 else ""
        sheet.title = session_sheet_name(questionnaire.session) + version
    else:
        sheet.title = sheet_name(str(questionnaire))
    sheet.append(headers)
    widths = [min(text_width(header), 30) for header in headers]
    for row in rows:
        sheet.append(row)
        for index, value in enumerate(row):
            if isinstance(value, str):
                longest = max((text_width(line) for line in value.splitlines()), default=0)
                widths[index] = max(widths[index], longest)
            elif isinstance(value, dt.datetime):
                widths[index] = max(widths[index], 16)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = min(width, _WIDTH_MAX) + 2
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
    xlsx_table(sheet, header_row=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def responses_csv(questionnaire: Questionnaire, *, encoding: str = "utf-8") -> CsvExport:
    """Return the responses as CSV for Excel, CRLF lines, in "utf-8" (with a BOM) or "cp932" (Shift_JIS)."""
    headers, rows = export_table(questionnaire)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value.strftime("%Y-%m-%d %H:%M")
                         if isinstance(value, dt.datetime) else value for value in row])
    text, replaced = buffer.getvalue(), 0
    if encoding == "cp932":
        text, replaced = cp932_safe(text)
    return CsvExport(content=text.encode(CSV_ENCODINGS[encoding]), replaced=replaced)

"""The office's exports opened as the office opens them: XLSX in openpyxl, CSV decoded as Excel would."""
import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from registrations.exports import applications_csv, sheet_name
from registrations.references import reference_display
from tests.registrations import test_admin
from tests.registrations.conftest import open_session
from tests.registrations.test_admin import apply, post_action

pytestmark = pytest.mark.django_db

# The office user of the admin tests, logged in.
office, office_client = test_admin.office, test_admin.office_client


def export_url(session, file_format):
    return reverse("admin:seminars_session_applicants", args=[session.pk, file_format])


def test_session_page_has_the_export_buttons(office_client):
    session = open_session()

    page = office_client.get(reverse("admin:seminars_session_change", args=[session.pk])).content.decode()

    for file_format in ("xlsx", "csv", "csv-cp932"):
        assert f'href="{export_url(session, file_format)}"' in page
    assert "Export applicants (XLSX)" in page and "CSV (Shift_JIS)" in page


def test_xlsx_of_a_session_has_typed_cells_wide_columns_and_the_session_as_sheet(office_client):
    session = open_session(title_en="Handling calls: the first [10] minutes / what to say?")
    hanako = apply(session, "hanako@example.jp", phone="0312345678",
                   organisation="株式会社サンプル商事ホールディングス東京本社")
    apply(open_session(), "elsewhere@example.jp")

    response = office_client.get(export_url(session, "xlsx"))

    assert response["Content-Disposition"].startswith(f'attachment; filename="applicants-session-{session.number}-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    # Named by the session's number and day, never its title cut at 31 characters.
    day = f"{session.starts_at.astimezone(dt.timezone(dt.timedelta(hours=9))):%Y-%m-%d}"
    assert sheet.title in (f"Session {session.number} {day}", f"第{session.number}回 {day}")
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
    # Ready to filter and print: a filter on the header, the header frozen, A4 fitted to the width.
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}2"
    assert sheet.freeze_panes == "A2"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    header = [cell.value for cell in sheet[1]]
    assert sheet.max_row == 2  # the session's applicant only
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["Reference"].value == reference_display(hanako.reference) and row["Reference"].data_type == "s"
    assert row["Phone"].value == "0312345678" and row["Phone"].data_type == "s"
    assert row["Phone"].number_format == "@"
    applied = row["Applied at"]
    assert applied.is_date and isinstance(applied.value, dt.datetime)
    assert applied.value == hanako.created_at.astimezone(dt.timezone(dt.timedelta(hours=9))).replace(
        tzinfo=None, microsecond=applied.value.microsecond)
    # 22 Japanese characters take 44 half-width columns: the column shows them whole.
    column = header.index("Organisation") + 1
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width >= 44


@pytest.mark.parametrize(("title", "expected"), [
    ("Session 3: Role play [advanced]", "Session 3 Role play advanced"),
    ("第3回: カスタマーハラスメントへの組織的な対応と現場での初動対応の実際",
     "第3回 カスタマーハラスメントへの組織的な対応と現場での初動対"),
    ("'quoted'", "quoted"),
    ("***", "Applications"),
])
@pytest.mark.usefixtures("english")  # the fallback name is the English one
def test_sheet_name_is_one_that_excel_accepts(title, expected):
    name = sheet_name(title)

    assert name == expected and len(name) <= 31
    openpyxl.Workbook().active.title = name  # openpyxl refuses what Excel refuses


def test_shift_jis_csv_replaces_what_it_cannot_hold_and_tells_the_office(office_client):
    session = open_session()
    apply(session, "yoshi@example.jp", name="𠮷田 花子", organisation="株式会社①サンプル🙂")

    response = office_client.get(export_url(session, "csv-cp932"), follow=False)
    page = office_client.get(reverse("admin:seminars_session_change", args=[session.pk]))

    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    text = response.content.decode("cp932")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["Name"] == "〓田 花子"
    assert rows[0]["Organisation"] == "株式会社①サンプル〓"  # ① is in cp932 (NEC special characters)
    # The message counts every 〓 in the file (here also the English labels' en dashes, as in "100–299").
    assert text.count("〓") >= 2
    assert [str(m) for m in page.context["messages"]] == [
        f"{text.count('〓')} characters cannot be written in Shift_JIS and were replaced with 〓 in the CSV; "
        "export as UTF-8 or XLSX to keep them."
    ]


def test_utf8_csv_of_a_session_keeps_every_character_with_a_bom(office_client):
    session = open_session()
    apply(session, "yoshi@example.jp", name="𠮷田 花子")

    response = office_client.get(export_url(session, "csv"))

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "𠮷田 花子" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("typed", ["=1+1", "＝1+1", "＋81", "－3", "＠SUM(A1)", "+81", "@x"])
@pytest.mark.usefixtures("english")  # the columns are read by their English headings
def test_formula_looking_cells_are_neutralised_also_when_full_width(typed):
    application = apply(open_session(), "a@example.jp", department=typed)

    export = applications_csv(type(application).objects.all(), encoding="cp932")

    [row] = csv.DictReader(io.StringIO(export.content.decode("cp932"), newline=""))
    assert row["Department"] == "'" + typed


def test_the_list_exports_selected_rows_in_shift_jis_too(office_client):
    application = apply(open_session(), "a@example.jp")

    response = post_action(office_client, "export_csv_cp932", [application])

    rows = list(csv.reader(io.StringIO(response.content.decode("cp932"), newline="")))
    assert rows[1][0] == reference_display(application.reference)

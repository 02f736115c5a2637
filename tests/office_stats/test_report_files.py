"""The council report's XLSX opened as the office opens it: meaningful sheet names, a filter and a frozen header
on every table, A4 print setup fitted to the width with the header repeated, numbers and dates typed."""
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_http")]


def test_every_sheet_is_named_filtered_frozen_and_set_up_for_a4(office_client, series, dataset):
    response = office_client.get(reverse("admin:office_stats_report", args=[series.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["概要", "日別の申込み", "業種", "従業員数", "勤務先の都道府県", "参加方法",
                               "複数回の参加者", "指標の定義"]
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A4:"), sheet.title
        assert sheet.freeze_panes == "B5", sheet.title
        assert sheet.print_title_rows == "$4:$4", sheet.title
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
    summary = book["概要"]
    # The filter covers the sessions; the series' total below stays out of it.
    assert summary.auto_filter.ref == f"A4:{openpyxl.utils.get_column_letter(summary.max_column)}6"
    assert summary["A7"].value == "全回"
    assert summary.page_setup.orientation == "landscape"
    assert isinstance(summary["B5"].value, dt.datetime) and summary["B5"].number_format == "yyyy-mm-dd"
    assert isinstance(summary["C5"].value, int)
    headings = [cell.value for cell in summary[4]]
    assert "出席率" in headings and "回答率" in headings
    definitions = {row[0]: row[1] for row in book["指標の定義"].iter_rows(min_row=5, values_only=True)}
    assert "開催済みの回" in definitions["出席率"]


def test_a_session_not_yet_held_has_words_not_a_rate_in_the_xlsx(office_client, series, dataset):
    SessionFactory(series=series, number=3, capacity=10, starts_at=timezone.now() + dt.timedelta(days=20))

    response = office_client.get(reverse("admin:office_stats_report", args=[series.pk, "xlsx"]))
    summary = openpyxl.load_workbook(io.BytesIO(response.content))["概要"]

    headings = [cell.value for cell in summary[4]]
    third = [cell.value for cell in summary[7]]
    assert third[0] == "第3回"
    assert third[headings.index("出席率")] == "未開催" and third[headings.index("回答率")] == "未開催"
    total = [cell.value for cell in summary[8]]
    assert total[headings.index("出席率")] == pytest.approx(5 / 6)

"""The statistics pages and the report: exact figures of a known data set (conftest.py), on the page, in the
XLSX and in the PDF's text; who may see them; erasure; the same number of queries for 10 and 5,000 applications."""
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import CourseAttendance
from office_stats.selectors import statistics_for_series, statistics_for_session
from questionnaires.enums import QuestionKind
from questionnaires.models import Answer, Question, Questionnaire, Response
from registrations.enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from registrations.models import Application, AttendanceRecord
from registrations.retention import applications_erase_personal_data
from tests.conftest import tokyo
from tests.languages import en

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_http")]


def series_url(series, lang_en=False):
    path = reverse("admin:office_stats_series", args=[series.pk])
    return en(path) if lang_en else path


def session_url(session):
    return reverse("admin:office_stats_session", args=[session.pk])


def report_url(series, file_format):
    return reverse("admin:office_stats_report", args=[series.pk, file_format])


def figure(html: str, row: str, name: str) -> str:
    """Return the text of the cell `name` in the figures row `row` ("1", "2", "total")."""
    start = html.index(f'data-figures="{row}"')
    match = re.compile(rf'data-name="{name}">([^<]*)<').search(html, start)
    return match.group(1)


def cell(html: str, table: str, value: str, name: str = "total") -> str:
    """Return a breakdown table's cell: the row `value` of the table `table`, column `name`."""
    start = html.index(f'data-breakdown="{table}"') if table in ("industry", "organisation_size", "prefecture") \
        else html.index(f'data-table="{table}"')
    row = html.index(f'data-value="{value}"', start)
    return re.compile(rf'data-name="{name}">([^<]*)<').search(html, row).group(1)


SESSION_1 = {"capacity": "10", "applications": "5", "confirmed": "3", "waitlisted": "1", "awaiting_draw": "0",
             "not_drawn": "0", "cancelled": "1", "fill_rate": "30.0%", "attended": "2", "absent": "1",
             "not_recorded": "0", "attendance_rate": "66.7%", "responses": "2", "response_rate": "100.0%",
             "responses_others": "0", "satisfaction": "4.50"}
SESSION_2 = {"capacity": "5", "applications": "3", "confirmed": "3", "waitlisted": "0", "cancelled": "0",
             "fill_rate": "60.0%", "attended": "3", "absent": "0", "attendance_rate": "100.0%", "responses": "3",
             "response_rate": "100.0%", "satisfaction": "4.00"}
TOTAL = {"capacity": "15", "applications": "8", "confirmed": "6", "waitlisted": "1", "cancelled": "1",
         "fill_rate": "40.0%", "attended": "5", "absent": "1", "attendance_rate": "83.3%", "responses": "5",
         "response_rate": "100.0%", "satisfaction": "4.20"}


def assert_series_page(html):
    for row, expected in (("1", SESSION_1), ("2", SESSION_2), ("total", TOTAL)):
        assert {name: figure(html, row, name) for name in expected} == expected, row
    assert cell(html, "industry", "retail") == "4"
    assert cell(html, "industry", "medical") == "2"
    assert cell(html, "industry", "construction") == "1"
    assert cell(html, "industry", "finance") == "0"  # cancelled: not counted in the breakdowns
    assert cell(html, "organisation_size", "1-9") == "3"
    assert cell(html, "prefecture", "13") == "4"
    assert cell(html, "prefecture", "outside_tokyo") == "3"
    assert cell(html, "modes", "online", "applied") == "5"
    assert cell(html, "modes", "online", "attended") == "3"
    assert cell(html, "modes", "venue", "applied") == "2"
    assert cell(html, "modes", "venue", "attended") == "2"
    assert 'data-name="repeat">1<' in html


def test_series_page_shows_the_exact_figures(office_client, series, dataset):
    response = office_client.get(series_url(series))

    assert response.status_code == 200
    html = response.content.decode()
    assert_series_page(html)
    # Every chart is an SVG image drawn on the server, beside its table.
    assert html.count('src="data:image/svg+xml') == 7


def test_series_page_in_english(office_client, series, dataset):
    response = office_client.get(series_url(series, lang_en=True))

    html = response.content.decode()
    assert "Download the report (XLSX)" in html
    assert_series_page(html)


def test_session_page_shows_the_session_alone(office_client, sessions, dataset):
    response = office_client.get(session_url(sessions[0]))

    assert response.status_code == 200
    html = response.content.decode()
    assert {name: figure(html, "1", name) for name in SESSION_1} == SESSION_1
    assert 'data-figures="2"' not in html
    assert cell(html, "industry", "retail") == "3"
    assert cell(html, "prefecture", "13") == "2"
    assert cell(html, "prefecture", "outside_tokyo") == "2"
    assert cell(html, "modes", "venue", "attended") == "1"
    assert html.count('src="data:image/svg+xml') == 6


def test_days_are_counted_in_japan_time(series, dataset):
    statistics = statistics_for_series(series)

    first, second = statistics.daily
    assert first.days == [(dt.date(2025, 6, 30), 1, 1), (dt.date(2025, 7, 1), 2, 3), (dt.date(2025, 7, 2), 2, 5)]
    assert second.days == [(dt.date(2025, 9, 1), 1, 1), (dt.date(2025, 9, 2), 2, 3)]
    assert statistics.repeat == {1: 3, 2: 1}
    assert statistics.repeat_people == 1


def test_the_xlsx_has_a_sheet_per_table_with_numbers(office_client, series, dataset):
    response = office_client.get(report_url(series, "xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="statistics-test-series-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 8
    summary = book.worksheets[0]
    assert "カスハラ防止セミナー" in summary["A1"].value  # after its year
    rows = list(summary.iter_rows(min_row=5, values_only=True))
    assert rows[0][2:] == (10, 5, 3, 1, 0, 0, 1, 0.3, 2, 1, 0, pytest.approx(2 / 3), 2, 1.0, 0, 4.5)
    assert rows[1][2:] == (5, 3, 3, 0, 0, 0, 0, 0.6, 3, 0, 0, 1.0, 3, 1.0, 0, 4.0)
    assert rows[2][2:] == (15, 8, 6, 1, 0, 0, 1, 0.4, 5, 1, 0, pytest.approx(5 / 6), 5, 1.0, 0, 4.2)
    daily = list(book.worksheets[1].iter_rows(min_row=5, values_only=True))
    assert daily[0] == (dt.datetime(2025, 6, 30), 1, 1, 0, 0)
    assert daily[-1] == (dt.datetime(2025, 9, 2), 0, 5, 2, 3)
    industry = {row[0]: row[1:] for row in book.worksheets[2].iter_rows(min_row=5, values_only=True)}
    assert industry["小売・卸売"][:3] == (3, 1, 4) if "小売・卸売" in industry else True
    assert [row[1:4] for row in book.worksheets[2].iter_rows(min_row=5, values_only=True)][0] == (3, 1, 4)
    prefecture = list(book.worksheets[4].iter_rows(min_row=5, values_only=True))
    assert prefecture[0][1:4] == (2, 2, 4)
    assert prefecture[-2][1:4] == (2, 1, 3)  # outside Tokyo
    modes = list(book.worksheets[5].iter_rows(min_row=5, values_only=True))
    assert modes[0][1:] == (3, 1, 2, 2, 5, 3)
    repeat = list(book.worksheets[6].iter_rows(min_row=5, values_only=True))
    assert [row[1] for row in repeat] == [3, 1, 1]


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_has_a_cover_the_figures_and_each_session_in_a_few_lines(office_client, series, dataset):
    response = office_client.get(report_url(series, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    text = pdf_text(response.content)
    cover = " ".join((reader.pages[0].extract_text() or "").split())
    assert "カスハラ防止セミナー" in cover and "83.3%" in cover  # the year's attendance rate on the cover
    # Two tables: applications, then attendance and the questionnaire.
    assert re.search(r"第1回 10 5 3 1 0 0 1 30\.0%", text) and re.search(r"第1回 2 1 0 66\.7% 2 100\.0% 0 4\.50", text)
    assert re.search(r"第2回 5 3 3 0 0 0 0 60\.0%", text) and re.search(r"第2回 3 0 0 100\.0% 3 100\.0% 0 4\.00", text)
    assert re.search(r"全回 15 8 6 1 0 0 1 40\.0%", text) and re.search(r"全回 5 1 0 83\.3% 5 100\.0% 0 4\.20", text)
    # No page per session: the two sessions' lines share the last page.
    last = " ".join((reader.pages[-1].extract_text() or "").split())
    assert "基礎編" in last and "応用編" in last
    assert len(reader.pages) <= 5


def test_other_staff_get_403_and_visitors_the_login(series, dataset, office_client):
    staff = get_user_model().objects.create_user("clerk", "clerk@example.org", "pw-not-used", is_staff=True)
    client = Client()
    client.force_login(staff)

    for address in (series_url(series), session_url(dataset[0].session), report_url(series, "xlsx"),
                    report_url(series, "pdf")):
        assert client.get(address).status_code == 403
        assert Client().get(address).status_code == 302
    assert "office_stats" not in client.get(reverse("admin:index")).content.decode()
    index = office_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:office_stats_seriesstatistics_changelist") in index
    assert office_client.get(reverse("admin:office_stats_seriesstatistics_changelist")).url == series_url(series)


def test_the_session_page_links_to_its_statistics(office_client, sessions):
    response = office_client.get(reverse("admin:seminars_session_change", args=[sessions[0].pk]))

    assert session_url(sessions[0]) in response.content.decode()


def test_erased_sessions_still_show_their_counts(office_client, series, sessions, dataset):
    # Session 1 ended on 31 July: 90 days later its applicants' personal data goes; session 2's stays.
    erased = applications_erase_personal_data(now=tokyo(2025, 11, 1, 3, 0))
    assert erased == 5
    assert not Application.objects.filter(session=sessions[0], email__endswith="@example.jp").exists()

    html = office_client.get(series_url(series)).content.decode()

    assert_series_page(html)
    assert statistics_for_session(sessions[0]).total.attended == 2


def make_applications(session, count: int) -> None:
    """Add `count` applications with attendance and course record rows, in a few bulk inserts."""
    applications = Application.objects.bulk_create(
        Application(
            session=session, reference=f"B{index:09d}", manage_secret=f"bulk-{index}", name="名前",
            email=f"p{index}@x.jp",
            organisation="組織", industry=["retail", "medical", "other"][index % 3], organisation_size="1-9",
            prefecture=["13", "14", "27"][index % 3], attendance=["online", "venue"][index % 2],
            status=[ApplicationStatus.CONFIRMED, ApplicationStatus.CANCELLED][index % 10 == 0],
            consented_at=tokyo(2025, 7, 1, 9, 0), privacy_notice_version="2025-06",
            created_at=tokyo(2025, 6, 30, 9, 0) + dt.timedelta(hours=index % 500),
        )
        for index in range(count)
    )
    if connection.vendor != "postgresql":  # SQLite hands back no primary keys for bulk inserts
        applications = list(Application.objects.filter(session=session, reference__startswith="B"))
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(application=each, status=AttendanceStatus.ATTENDED if index % 3 else AttendanceStatus.ABSENT,
                         source=AttendanceSource.OFFICE)
        for index, each in enumerate(applications)
    )
    CourseAttendance.objects.bulk_create(
        CourseAttendance(series=session.series, session=session, holder_digest=f"{index:064d}",
                         recorded_at=tokyo(2025, 8, 1, 9, 0))
        for index in range(count // 2)
    )
    questionnaire = Questionnaire.objects.create(series=session.series, session=session, title="アンケート")
    question = Question.objects.create(questionnaire=questionnaire, kind=QuestionKind.SCALE, key="satisfaction",
                                       text="満足度")
    moment = tokyo(2025, 8, 1, 9, 0)
    responses = Response.objects.bulk_create(
        Response(questionnaire=questionnaire, application=each, submitted_at=moment, updated_at=moment,
                 sort_key=index + 1)
        for index, each in enumerate(applications[: count // 2])
    )
    if connection.vendor != "postgresql":
        responses = list(Response.objects.filter(questionnaire=questionnaire))
    Answer.objects.bulk_create(
        Answer(response=each, question=question, scale=1 + index % 5) for index, each in enumerate(responses)
    )


def queries(client, address) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(address).status_code == 200
    return len(context.captured_queries)


def test_the_same_number_of_queries_for_10_and_5000_applications(office_client, series, sessions):
    first, second = sessions
    make_applications(first, 10)
    addresses = [series_url(series), session_url(first), report_url(series, "xlsx")]
    few = [queries(office_client, address) for address in addresses]

    Answer.objects.all().delete()
    Response.objects.all().delete()
    Application.objects.all().delete()
    CourseAttendance.objects.all().delete()
    make_applications(second, 5000)
    many = [queries(office_client, address) for address in addresses]

    assert few == many
    total = statistics_for_series(series).total
    # Half the applications answered: attendees in the rate, the absent and cancelled apart.
    assert (total.applications, total.responses + total.responses_others) == (5000, 2500)

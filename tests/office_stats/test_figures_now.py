"""The figures as the office reads them: right after attendance is recorded, and for a session not yet held."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registrations.attendance import attendance_mark
from registrations.enums import AttendanceStatus
from tests.factories import ApplicationFactory, SessionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_http")]


def figure(html: str, row: str, name: str) -> str:
    start = html.index(f'data-figures="{row}"')
    return re.compile(rf'data-name="{name}">([^<]*)<').search(html, start).group(1)


def series_page(client, series) -> str:
    return client.get(reverse("admin:office_stats_series", args=[series.pk])).content.decode()


def test_a_session_not_yet_held_reads_not_held_yet_and_leaves_the_series_rate_alone(office_client, series, dataset):
    future = SessionFactory(series=series, number=3, capacity=10, starts_at=timezone.now() + dt.timedelta(days=20))
    for number in range(3):
        ApplicationFactory(session=future, email=f"future{number}@example.jp")

    html = series_page(office_client, series)

    assert figure(html, "3", "attendance_rate") == "未開催"
    assert figure(html, "3", "response_rate") == "未開催"
    assert figure(html, "3", "not_recorded") == "3"
    # The series' rate is of the held sessions: 5 of 6 recorded, as before the third session was added.
    assert figure(html, "total", "attendance_rate") == "83.3%"
    assert figure(html, "total", "not_recorded") == "3"


def test_the_figures_count_attendance_the_moment_it_is_recorded(office_client, office, series, sessions):
    session = SessionFactory(series=series, number=3, starts_at=timezone.now() - dt.timedelta(days=1))
    people = [ApplicationFactory(session=session, email=f"p{number}@example.jp") for number in range(4)]
    before = series_page(office_client, series)

    attendance_mark(applications=people[:3], status=AttendanceStatus.ATTENDED, by=office)
    attendance_mark(applications=people[3:], status=AttendanceStatus.ABSENT, by=office)
    after = series_page(office_client, series)

    assert (figure(before, "3", "attended"), figure(before, "3", "attendance_rate")) == ("0", "–")
    assert figure(before, "3", "not_recorded") == "4"
    assert (figure(after, "3", "attended"), figure(after, "3", "absent")) == ("3", "1")
    assert figure(after, "3", "attendance_rate") == "75.0%"
    assert figure(after, "3", "not_recorded") == "0"
    # The one figure kept by the hourly task says so, and when it last ran.
    note = re.search(r'data-name="repeat_as_of">([^<]*)<', after).group(1)
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:15", note)

"""With two years of the course, statistics, the course record and its certificate count one series only."""
import datetime as dt

import pytest

from certificates.selectors import course_record_for
from certificates.services import CertificateRefused, certificate_issue_for_course, course_attendance_sync
from office_stats.selectors import statistics_for_series
from registrations.attendance import attendance_mark
from seminars.models import TOKYO
from tests.factories import ApplicationFactory, SeriesFactory, SessionFactory

pytestmark = pytest.mark.django_db

SAME_PERSON = "same.person@example.jp"
NOW = dt.datetime(2027, 4, 10, 12, 0, tzinfo=TOKYO)  # every session below has been held


def _year(year: int, sessions: int):
    series = SeriesFactory(slug=f"course-{year}", fiscal_year=year, completion_min_sessions=2)
    held = []
    for number in range(1, sessions + 1):
        day = dt.date(year, 5 + number, 10)
        held.append(SessionFactory(
            series=series, number=number, slug=f"y{year}-{number}",
            starts_at=dt.datetime.combine(day, dt.time(14), tzinfo=TOKYO),
            applications_open_on=day - dt.timedelta(days=30), applications_close_on=day - dt.timedelta(days=3),
        ))
    return series, held


def _attended(session, email=SAME_PERSON):
    application = ApplicationFactory(session=session, email=email)
    attendance_mark(applications=[application], status="attended", by=None, now=NOW)
    return application


@pytest.fixture
def two_years():
    """The same person attended one session in 2025 and one in 2026; others attended too."""
    last, (last_1, last_2) = _year(2025, 2)
    this, (this_1, this_2, this_3) = _year(2026, 3)
    mine_last = _attended(last_1)
    mine_this = _attended(this_1)
    for index, session in enumerate([last_1, last_2, this_2, this_2, this_3]):
        _attended(session, email=f"other{index}@example.jp")
    ApplicationFactory(session=this_3, email="never.came@example.jp")
    return {"last": last, "this": this, "mine_last": mine_last, "mine_this": mine_this}


def test_statistics_count_the_applications_and_attendance_of_one_series_only(two_years):
    last = statistics_for_series(two_years["last"], now=NOW)
    this = statistics_for_series(two_years["this"], now=NOW)

    assert (last.total.applications, last.total.attended) == (3, 3)
    assert (this.total.applications, this.total.attended) == (5, 4)
    assert [figures.session.series_id for figures in this.figures] == [two_years["this"].pk] * 3


def test_sessions_attended_in_two_years_do_not_add_up_to_a_course_certificate(two_years):
    course_attendance_sync(now=NOW)

    for key in ("mine_last", "mine_this"):
        record = course_record_for(two_years[key], now=NOW)
        assert record.attended == 1  # two across the years, one in each series
        assert not record.complete
        with pytest.raises(CertificateRefused):
            certificate_issue_for_course(application=two_years[key], now=NOW)


def test_the_course_certificate_is_for_the_series_whose_sessions_were_attended(two_years):
    second_this_year = two_years["this"].sessions.get(number=2)
    application = _attended(second_this_year)
    course_attendance_sync(now=NOW)

    certificate = certificate_issue_for_course(application=application, now=NOW)

    assert certificate.series_id == two_years["this"].pk
    assert [row.session.series_id for row in course_record_for(application, now=NOW).attended_rows] == [
        two_years["this"].pk] * 2
    assert not course_record_for(two_years["mine_last"], now=NOW).complete

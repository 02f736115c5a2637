"""Sessions held a few days ago, applications of one person to them, their attendance."""
import datetime as dt

import pytest
from django.utils import timezone

from registrations.enums import AttendanceSource, AttendanceStatus
from registrations.models import AttendanceRecord
from tests.factories import ApplicationFactory, SeriesFactory, SessionFactory


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""


def held_session(number: int, *, days_ago: int, series=None, **kwargs):
    """Create session `number` of the series, held 14:00-16:00 Tokyo `days_ago` days before today."""
    starts = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) - dt.timedelta(days=days_ago)
    defaults = {
        "series": series or SeriesFactory(title_ja="カスタマーハラスメント防止対策セミナー"),
        "number": number,
        "slug": f"held-{number}",
        "title_ja": f"カスタマーハラスメント対策 第{number}講",
        "title_en": f"Preventing customer harassment, part {number}",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "applications_open_on": starts.date() - dt.timedelta(days=30),
        "applications_close_on": starts.date() - dt.timedelta(days=2),
    }
    return SessionFactory(**(defaults | kwargs))


def attend(application, status=AttendanceStatus.ATTENDED):
    """Record the application's attendance as the office's import would."""
    AttendanceRecord.objects.update_or_create(
        application=application,
        defaults={"status": status, "minutes": 110 if status == AttendanceStatus.ATTENDED else 0,
                  "source": AttendanceSource.REPORT},
    )
    return application


@pytest.fixture
def series():
    return SeriesFactory(title_ja="カスタマーハラスメント防止対策セミナー", completion_min_sessions=3)


@pytest.fixture
def three_sessions(series):
    """Sessions 1 to 3 of the series, held 30, 20 and 10 days ago."""
    return [held_session(number, days_ago=40 - 10 * number, series=series) for number in (1, 2, 3)]


def apply(session, *, email="hanako.yamada@example.jp", language="ja", **kwargs):
    """Create an application of the person (one email) to the session."""
    fields = {"name": "山田 花子", "organisation": "株式会社サンプル商事"} | kwargs
    return ApplicationFactory(session=session, email=email, language=language, **fields)

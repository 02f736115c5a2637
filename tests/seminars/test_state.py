import datetime as dt

import pytest

from seminars.enums import SessionState
from tests.conftest import tokyo
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (tokyo(2025, 6, 30) - SECOND, SessionState.UPCOMING),
        (tokyo(2025, 6, 30), SessionState.OPEN),
        (tokyo(2025, 7, 28, 23, 59, 59), SessionState.OPEN),
        (tokyo(2025, 7, 29), SessionState.CLOSED),
        (tokyo(2025, 7, 31, 14) - SECOND, SessionState.CLOSED),
        (tokyo(2025, 7, 31, 14), SessionState.CLOSED),
        (tokyo(2025, 7, 31, 16) - SECOND, SessionState.CLOSED),
        (tokyo(2025, 7, 31, 16), SessionState.HELD),
        (tokyo(2025, 8, 10) - SECOND, SessionState.HELD),
        (tokyo(2025, 8, 10), SessionState.ARCHIVED),
    ],
)
def test_state_at_each_boundary(moment, expected):
    session = SessionFactory(archive_video_url="https://youtu.be/x", archive_published_at=tokyo(2025, 8, 10))
    assert session.state(now=moment) == expected


def test_state_full_when_places_taken_reach_capacity():
    session = SessionFactory(capacity=2, places_taken=2)
    assert session.state(now=tokyo(2025, 7, 1)) == SessionState.FULL
    assert session.state(now=tokyo(2025, 7, 29)) == SessionState.CLOSED


def test_state_boundaries_use_tokyo_not_utc():
    session = SessionFactory()
    # 2025-06-29 15:00 UTC is 2025-06-30 00:00 in Tokyo: the period has just opened.
    assert session.state(now=dt.datetime(2025, 6, 29, 15, 0, tzinfo=dt.UTC)) == SessionState.OPEN
    assert session.state(now=dt.datetime(2025, 6, 29, 14, 59, 59, tzinfo=dt.UTC)) == SessionState.UPCOMING


def test_archive_published_before_the_event_is_not_archived_until_held():
    session = SessionFactory(archive_published_at=tokyo(2025, 7, 1))
    assert session.state(now=tokyo(2025, 7, 29)) == SessionState.CLOSED
    assert session.state(now=tokyo(2025, 7, 31, 16)) == SessionState.ARCHIVED

"""Weekdays are computed from the date, never typed (the seed page has one wrong)."""
import pytest

from seminars.formatting import format_day, format_span
from seminars.models import Session
from seminars.services import demo_load
from tests.conftest import tokyo

pytestmark = pytest.mark.django_db

# What a reader checks against a calendar. 25 December 2025 is a Thursday, whatever the seed page says.
SEED_DATES_EN = {
    "session-1-basic": (
        "Thursday, July 31, 2025, 2:00 PM – 4:00 PM", "June 30, 2025 (Mon.)", "July 28, 2025 (Mon.)"
    ),
    "session-2-advanced": (
        "Thursday, September 25, 2025, 2:00 PM – 4:00 PM", "August 20, 2025 (Wed.)", "September 19, 2025 (Fri.)"
    ),
    "session-3-practical-in-person": (
        "Thursday, December 25, 2025, 3:00 PM – 5:00 PM", "October 30, 2025 (Thu.)", "November 26, 2025 (Wed.)"
    ),
    "session-4-practical-phone": (
        "Tuesday, January 20, 2026, 2:00 PM – 4:00 PM", "December 1, 2025 (Mon.)", "January 15, 2026 (Thu.)"
    ),
    "session-5-practical-visits": (
        "Friday, February 13, 2026, 2:00 PM – 4:00 PM", "January 16, 2026 (Fri.)", "February 9, 2026 (Mon.)"
    ),
}

SEED_DATES_JA = {
    "session-1-basic": "2025年7月31日（木）14:00～16:00",
    "session-2-advanced": "2025年9月25日（木）14:00～16:00",
    "session-3-practical-in-person": "2025年12月25日（木）15:00～17:00",
    "session-4-practical-phone": "2026年1月20日（火）14:00～16:00",
    "session-5-practical-visits": "2026年2月13日（金）14:00～16:00",
}


@pytest.fixture
def seed_sessions():
    demo_load(today=tokyo(2025, 6, 1).date())
    return {s.slug: s for s in Session.objects.filter(slug__in=SEED_DATES_EN)}


@pytest.mark.parametrize("slug", sorted(SEED_DATES_EN))
def test_seed_session_weekdays_in_english(seed_sessions, slug):
    session = seed_sessions[slug]
    when, opens, closes = SEED_DATES_EN[slug]
    assert format_span(session.starts_at, session.ends_at, "en") == when
    assert format_day(session.applications_open_on, "en") == opens
    assert format_day(session.applications_close_on, "en") == closes


@pytest.mark.parametrize("slug", sorted(SEED_DATES_JA))
def test_seed_session_weekdays_in_japanese(seed_sessions, slug):
    session = seed_sessions[slug]
    assert format_span(session.starts_at, session.ends_at, "ja") == SEED_DATES_JA[slug]


def test_session_page_shows_the_computed_weekday(seed_sessions, client):
    response = client.get("/sessions/session-3-practical-in-person/", headers={"accept-language": "en"})
    content = response.content.decode()
    assert "Thursday, December 25, 2025, 3:00 PM – 5:00 PM" in content
    assert "Monday, December 25" not in content
    assert "October 30, 2025 (Thu.)" in content


def test_session_page_in_japanese_shows_the_computed_weekday(seed_sessions, client):
    response = client.get("/sessions/session-3-practical-in-person/", headers={"accept-language": "ja"})
    assert "2025年12月25日（木）15:00～17:00" in response.content.decode()

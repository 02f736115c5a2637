"""Weekdays are computed from the date, never typed (the seed page has one wrong)."""
import pytest
from django.utils import translation

from seminars.demo import demo_load
from seminars.formatting import format_day, format_span
from seminars.models import Session
from tests.conftest import tokyo
from tests.languages import en

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
    "session-1-basic": ("2025年7月31日（木）14:00～16:00", "2025年6月30日（月）", "2025年7月28日（月）"),
    "session-2-advanced": ("2025年9月25日（木）14:00～16:00", "2025年8月20日（水）", "2025年9月19日（金）"),
    "session-3-practical-in-person": (
        "2025年12月25日（木）15:00～17:00", "2025年10月30日（木）", "2025年11月26日（水）"
    ),
    "session-4-practical-phone": ("2026年1月20日（火）14:00～16:00", "2025年12月1日（月）", "2026年1月15日（木）"),
    "session-5-practical-visits": ("2026年2月13日（金）14:00～16:00", "2026年1月16日（金）", "2026年2月9日（月）"),
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
    when, opens, closes = SEED_DATES_JA[slug]
    assert format_span(session.starts_at, session.ends_at, "ja") == when
    assert format_day(session.applications_open_on, "ja") == opens
    assert format_day(session.applications_close_on, "ja") == closes


@pytest.mark.parametrize("language", ["ja", "en"])
def test_active_language_decides_the_format(seed_sessions, language):
    session = seed_sessions["session-1-basic"]
    with translation.override(language):
        shown = format_span(session.starts_at, session.ends_at), format_day(session.applications_open_on)
    expected = SEED_DATES_JA if language == "ja" else SEED_DATES_EN
    assert shown == expected["session-1-basic"][:2]


@pytest.mark.parametrize("slug", sorted(SEED_DATES_JA))
def test_every_seed_session_page_shows_its_dates_in_each_language(seed_sessions, client, slug):
    url = seed_sessions[slug].get_absolute_url()
    japanese = client.get(url).content.decode()
    english = client.get(en(url)).content.decode()

    for text in SEED_DATES_JA[slug]:
        assert text in japanese
    for text in SEED_DATES_EN[slug]:
        assert text in english
    # Each page in its own form only: no English clock on the Japanese page, no 年 on the English one.
    assert " PM" not in japanese.split("<main", 1)[1]
    assert "年" not in english.split("<main", 1)[1]


def test_session_page_shows_the_computed_weekday(seed_sessions, client):
    response = client.get("/en/sessions/session-3-practical-in-person/")
    content = response.content.decode()
    assert "Thursday, December 25, 2025, 3:00 PM – 5:00 PM" in content
    assert "Monday, December 25" not in content
    assert "October 30, 2025 (Thu.)" in content


def test_session_page_in_japanese_shows_the_computed_weekday(seed_sessions, client):
    response = client.get("/sessions/session-3-practical-in-person/")
    content = response.content.decode()
    assert "2025年12月25日（木）15:00～17:00" in content
    assert "2025年10月30日（木）" in content


@pytest.mark.parametrize(
    ("language", "period"),
    [
        ("ja", "2025年10月30日（木）</span>～<span class=\"nowrap\">2025年11月26日（水）"),
        ("en", "October 30, 2025 (Thu.)</span> – <span class=\"nowrap\">November 26, 2025 (Wed.)"),
    ],
)
def test_application_period_reads_as_one_range_in_each_language(seed_sessions, client, language, period):
    path = "/sessions/session-3-practical-in-person/"
    response = client.get(en(path) if language == "en" else path)

    assert period in response.content.decode()

"""Dates and times as people read them in each language; weekdays always computed."""
import datetime as dt

from django.utils import timezone, translation
from django.utils.dateformat import format as date_format


def _is_japanese(language: str | None) -> bool:
    return (language or translation.get_language() or "ja").startswith("ja")


def format_day(day: dt.date, language: str | None = None) -> str:
    """Return a date with its weekday: "July 31, 2025 (Thu.)" or "2025年7月31日（木）".

    An aware datetime is read as its date in Japan time.
    """
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    if _is_japanese(language):
        with translation.override("ja"):
            return f"{day.year}年{day.month}月{day.day}日（{date_format(day, 'D')}）"
    with translation.override("en"):
        return f"{date_format(day, 'F j, Y')} ({date_format(day, 'D')}.)"


def period_separator(language: str | None = None) -> str:
    """Return what stands between the two dates of a period: "～" in Japanese, " – " in English."""
    return "～" if _is_japanese(language) else " – "


def format_span(start: dt.datetime, end: dt.datetime, language: str | None = None) -> str:
    """Return a session's date and time in Japan time.

    English: "Thursday, July 31, 2025, 2:00 PM – 4:00 PM";
    Japanese: "2025年7月31日（木）14:00～16:00".
    """
    start, end = timezone.localtime(start), timezone.localtime(end)
    if _is_japanese(language):
        return f"{format_day(start.date(), 'ja')}{start:%H:%M}～{end:%H:%M}"
    with translation.override("en"):
        return f"{date_format(start, 'l, F j, Y')}, {_clock_en(start)} – {_clock_en(end)}"


def _clock_en(moment: dt.datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def format_moment(moment: dt.datetime, language: str | None = None) -> str:
    """Return a moment in Japan time: "November 26, 2026 (Thu.), 3:04 PM" or "2026年11月26日（木）15:04"."""
    moment = timezone.localtime(moment)
    if _is_japanese(language):
        return f"{format_day(moment.date(), 'ja')}{moment:%H:%M}"
    return f"{format_day(moment.date(), 'en')}, {_clock_en(moment)}"


def list_separator(language: str | None = None) -> str:
    """Return what stands between the items of a list: "、" in Japanese (the reading comma), ", " in English."""
    return "、" if _is_japanese(language) else ", "


def format_list(items, language: str | None = None) -> str:
    """Return items as one list: "A、B、C" in Japanese, "A, B, C" in English."""
    return list_separator(language).join(str(item) for item in items)

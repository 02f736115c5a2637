"""/sessions/<slug>/calendar.ics: the session as a calendar event."""
import pytest
from icalendar import Calendar

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_calendar_file_is_the_session_in_tokyo_time_with_a_stable_uid(client):
    session = SessionFactory(joining_instructions="Passcode 4321")

    first = client.get(f"/sessions/{session.slug}/calendar.ics")
    second = client.get(f"/sessions/{session.slug}/calendar.ics")

    assert first.status_code == 200
    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    event = Calendar.from_ical(first.content).events[0]
    again = Calendar.from_ical(second.content).events[0]
    assert event["UID"] == again["UID"] == f"session-{session.pk}@127.0.0.1"
    assert event.start == session.starts_at and str(event.start.tzinfo) == "Asia/Tokyo"
    assert event.end == session.ends_at
    assert b"TZID=Asia/Tokyo" in first.content and b"BEGIN:VTIMEZONE" in first.content
    assert str(event["URL"]).endswith(f"/sessions/{session.slug}/")


def test_public_calendar_file_never_carries_the_joining_link(client):
    session = SessionFactory(joining_instructions="Passcode 4321")

    content = client.get(f"/sessions/{session.slug}/calendar.ics").content.decode()

    assert "secret-joining-link" not in content and "4321" not in content


def test_calendar_file_of_an_unknown_session_is_404(client):
    assert client.get("/sessions/no-such-session/calendar.ics").status_code == 404

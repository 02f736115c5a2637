"""Attendance from Zoom's participants report (two pages, rejoins, a panelist and the host) through the fake Zoom."""
import datetime as dt

import pytest

from registrations.enums import AttendanceSource, AttendanceStatus
from registrations.models import AttendanceRecord
from seminars.models import TOKYO
from tests.factories import ApplicationFactory, SessionFactory
from zoom.attendance import attendance_fetch, attendance_fetch_request
from zoom.client import ZoomClient
from zoom.models import FetchState, ZoomRegistration

pytestmark = [pytest.mark.django_db]
WEBINAR = "81234567890"
START = dt.datetime(2026, 12, 17, 14, 0, tzinfo=TOKYO)  # 120 minutes; attended from 60 (share 0.5)


def row(email, joined, left, *, registrant_id="", name="参加者"):
    """A participants-report row; `joined`/`left` in minutes after the start."""
    def at(minutes):
        return (START + dt.timedelta(minutes=minutes)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"id": "x", "user_id": "1", "name": name, "user_email": email, "join_time": at(joined),
            "leave_time": at(left), "duration": (left - joined) * 60, "registrant_id": registrant_id,
            "failover": False, "status": "in_meeting"}


def test_fetch_matches_by_registrant_then_email_and_sums_rejoins(fake_zoom):
    session = SessionFactory(starts_at=START, zoom_webinar_id=WEBINAR)
    by_registrant = ApplicationFactory(session=session, email="reg@example.jp")
    ZoomRegistration.objects.create(application=by_registrant, webinar_id=WEBINAR, registrant_id="REG-1",
                                    state="registered")
    rejoined = ApplicationFactory(session=session, email="rejoin@example.jp")
    short = ApplicationFactory(session=session, email="short@example.jp")
    absent = ApplicationFactory(session=session, email="absent@example.jp")
    by_office = ApplicationFactory(session=session, email="office@example.jp")
    AttendanceRecord.objects.create(application=by_office, status=AttendanceStatus.ATTENDED,
                                    source=AttendanceSource.OFFICE)
    rows = [
        # Typed another address in Zoom, but came through the personal link: matched by registrant.
        row("other-address@example.com", 0, 90, registrant_id="REG-1"),
        row("speaker@example.org", -10, 125),  # a panelist (fixture panelists.json)
        row("office@example.org", -20, 130),  # the host (fixture webinar.json)
        row("stranger@example.com", 0, 120),
    ]
    rows += [row(f"filler{n}@example.com", 0, 1) for n in range(300)]  # a second page
    rows += [
        row("REJOIN@example.jp", 0, 40), row("rejoin@example.jp", 45, 70),  # 40 + 25 = 65 minutes, rejoined
        row("short@example.jp", 100, 130),  # 20 minutes within the session
        row("office@example.jp", 0, 5),  # the office recorded them by hand: kept
    ]
    fake_zoom.participants[WEBINAR] = rows

    fetch = attendance_fetch_request(session=session)
    with ZoomClient() as client:
        fetch = attendance_fetch(fetch_id=fetch.pk, client=client)

    assert fake_zoom.count("report") == 2
    assert fetch.state == FetchState.DONE
    assert (fetch.matched, fetch.left_out, fetch.kept) == (4, 2, 1)
    records = {r.application_id: (r.status, r.minutes, r.source) for r in AttendanceRecord.objects.all()}
    assert records[by_registrant.pk] == ("attended", 90, "webinar")
    assert records[rejoined.pk] == ("attended", 65, "webinar")
    assert records[short.pk] == ("absent", 20, "webinar")
    assert records[absent.pk] == ("absent", 0, "webinar")
    assert records[by_office.pk] == ("attended", None, "office")
    assert {u["email"] for u in fetch.unmatched} >= {"stranger@example.com"}
    assert "speaker@example.org" not in {u["email"] for u in fetch.unmatched}


def test_zoom_unreachable_fails_the_fetch_and_records_nothing(fake_zoom):
    session = SessionFactory(starts_at=START, zoom_webinar_id=WEBINAR)
    ApplicationFactory(session=session)
    fake_zoom.down("report")
    fetch = attendance_fetch_request(session=session)
    with ZoomClient() as client:
        fetch = attendance_fetch(fetch_id=fetch.pk, client=client)
    assert fetch.state == FetchState.FAILED and "503" in fetch.error
    assert not AttendanceRecord.objects.exists()

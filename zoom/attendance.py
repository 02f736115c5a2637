"""A session's attendance from Zoom's participants report, recorded by registrations' one attendance service.

Zoom's part is reading the report and knowing who is who in Zoom: rows are
matched to applications by Zoom's registrant ID (this app's records), the
webinar's host and panelists are left out, and everything else (matching by
email address, minutes, verdicts, what outranks what, the audit) is
registrations.attendance.attendance_report_record, as for a file the office imports.
"""
import datetime as dt
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from registrations.attendance import attendance_report_record
from registrations.attendance_reports import ReportRow, email_match_key
from registrations.enums import AttendanceSource
from seminars.models import Session

from .client import ZoomClient, ZoomError, zoom_configured
from .models import AttendanceFetch, FetchState, ZoomRegistration


def attendance_fetch_request(*, session: Session, by=None, now: dt.datetime | None = None) -> AttendanceFetch:
    """Queue a fetch of the session's attendance from Zoom (zoom.fetch_attendance); return its row."""
    now = now or timezone.now()
    with transaction.atomic():
        fetch = AttendanceFetch.objects.create(session=session, webinar_id=session.zoom_webinar_id, requested_at=now,
                                               requested_by=by)
        transaction.on_commit(lambda: current_app.send_task("zoom.fetch_attendance", kwargs={"fetch_id": fetch.pk}))
    return fetch


def attendance_fetches_due(*, now: dt.datetime | None = None) -> list[AttendanceFetch]:
    """Queue a fetch for each Zoom session that ended ZOOM_ATTENDANCE_AFTER_HOURS ago and has none; beat, hourly."""
    now = now or timezone.now()
    if not zoom_configured():
        return []
    ended_before = now - dt.timedelta(hours=settings.ZOOM_ATTENDANCE_AFTER_HOURS)
    sessions = (Session.objects.exclude(zoom_webinar_id="")
                .filter(ends_at__lte=ended_before, ends_at__gt=ended_before - dt.timedelta(days=2))
                .filter(~Exists(AttendanceFetch.objects.filter(session=OuterRef("pk")))))
    return [attendance_fetch_request(session=session, now=now) for session in sessions]


def _row(line: int, participant: dict, application_id: int | None) -> ReportRow:
    joined = parse_datetime(participant.get("join_time") or "")
    left = parse_datetime(participant.get("leave_time") or "")
    minutes = None
    if not (joined and left) and participant.get("duration") is not None:
        minutes = Decimal(int(participant["duration"])) / 60  # Zoom gives seconds
    return ReportRow(line=line, email=participant.get("user_email") or "", name=participant.get("name") or "",
                     joined=joined, left=left, minutes=minutes, application_id=application_id)


def attendance_fetch(*, fetch_id: int, client: ZoomClient, now: dt.datetime | None = None) -> AttendanceFetch:
    """Record a session's attendance from Zoom's participants report; return the fetch with its counts.

    A row with a registrant ID this app issued is that application; the host
    and the panelists (by address) are left out; the rest goes to
    registrations.attendance.attendance_report_record with the source "webinar",
    which outranks a file and is outranked by the office and the door.

    Side effects: what that service writes, and the fetch's counts and
    unmatched rows, in one transaction. Zoom unreachable, refusing, or
    answering something that is not JSON: the fetch is FAILED with the reason
    (the office sees it on the session's Zoom attendance page and fetches
    again), nothing else changes.
    """
    now = now or timezone.now()
    fetch = AttendanceFetch.objects.select_related("session", "requested_by").get(pk=fetch_id)
    session = fetch.session
    try:
        participants = client.participants(fetch.webinar_id)
        panelists = client.panelists(fetch.webinar_id)
        host_email = client.webinar(fetch.webinar_id).get("host_email") or ""
    except ZoomError as exc:
        AttendanceFetch.objects.filter(pk=fetch.pk).update(state=FetchState.FAILED, error=exc.detail[:300],
                                                           finished_at=now)
        fetch.refresh_from_db()
        return fetch
    staff = {email_match_key(p.get("email") or "") for p in panelists} | {email_match_key(host_email)}
    staff.discard("")
    by_registrant = dict(
        ZoomRegistration.objects.filter(webinar_id=fetch.webinar_id, application__session=session)
        .exclude(registrant_id="").values_list("registrant_id", "application_id")
    )
    rows, left_out = [], set()
    for line, participant in enumerate(participants, start=1):
        application_id = by_registrant.get(participant.get("registrant_id") or "")
        key = email_match_key(participant.get("user_email") or "")
        if application_id is None and key in staff:
            left_out.add(key)
            continue
        rows.append(_row(line, participant, application_id))
    with transaction.atomic():
        recorded = attendance_report_record(
            session=session, rows=rows, source=AttendanceSource.WEBINAR, by=fetch.requested_by,
            report_name=f"Zoom participants report, webinar {fetch.webinar_id}", now=now,
        )
        AttendanceFetch.objects.filter(pk=fetch.pk).update(
            state=FetchState.DONE, finished_at=now, error="", rows=len(participants), left_out=len(left_out),
            matched=recorded.matched, kept=recorded.kept, unmatched=recorded.unmatched,
            attended=recorded.attended, absent=recorded.absent,
        )
    fetch.refresh_from_db()
    return fetch


def fetches_erase_personal_data(*, cutoff: dt.datetime) -> int:
    """Empty the unmatched rows (names, addresses) of fetches for sessions that ended at or before `cutoff`."""
    return (AttendanceFetch.objects.filter(session__ends_at__lte=cutoff).exclude(unmatched=[])
            .update(unmatched=[]))

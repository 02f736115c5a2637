"""What the office's figures count as attended, absent and not recorded: one definition for every figure.

The statistics (office_stats), their XLSX and PDF, and the questionnaire results all count
attendance through these conditions, so a person is an attendee in one place exactly when they
are one in every other. An application counts for its session's attendance when it is not
cancelled and either holds a confirmed place or has an attendance record (someone who came off
the waiting list at the door). Attended and absent are what the record says; not recorded is a
confirmed application without a record. A session is held once it has started: only held
sessions have an attendance rate or a response rate.

The conditions take a prefix, the path from the model queried to the application ("" for
Application itself, "application__" for a questionnaire response).
"""
import datetime as dt

from django.db.models import Q

from .enums import ApplicationStatus, AttendanceStatus


def attended_q(prefix: str = "") -> Q:
    """Applications not cancelled whose attendance is recorded as attended."""
    return ~Q(**{f"{prefix}status": ApplicationStatus.CANCELLED}) & Q(
        **{f"{prefix}attendance_record__status": AttendanceStatus.ATTENDED}
    )


def absent_q(prefix: str = "") -> Q:
    """Applications not cancelled whose attendance is recorded as absent."""
    return ~Q(**{f"{prefix}status": ApplicationStatus.CANCELLED}) & Q(
        **{f"{prefix}attendance_record__status": AttendanceStatus.ABSENT}
    )


def not_recorded_q(prefix: str = "") -> Q:
    """Confirmed applications without an attendance record."""
    return Q(**{f"{prefix}status": ApplicationStatus.CONFIRMED}) & Q(
        **{f"{prefix}attendance_record__isnull": True}
    )


def session_is_held(session, *, now: dt.datetime) -> bool:
    """Return whether the session has started at `now`: before that it has no attendance to count."""
    return session.starts_at <= now

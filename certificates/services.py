"""Issuing certificates, and keeping the course record through each session's erasure."""
import datetime as dt
import logging
import secrets
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from registrations.enums import AttendanceStatus
from registrations.models import Application
from seminars.models import Series

from .enums import CertificateKind
from .models import Certificate, CourseAttendance, CourseRecordSummary
from .selectors import application_attended, course_record_for, holder_digest, people_by_sessions_attended

logger = logging.getLogger(__name__)

# Attempts at a fresh serial when another certificate took the same one at the same moment.
ISSUE_ATTEMPTS = 5


class CertificateRefused(Exception):
    """The application has no right to this certificate (not attended, or the course not completed)."""


def certificate_issue_for_session(*, application: Application, now: dt.datetime | None = None) -> Certificate:
    """Return the certificate of attendance of the application's session, issuing it on the first call.

    Raise CertificateRefused unless the application's attendance is recorded as attended.
    Side effect on the first call: one Certificate row (number, code, issued today in Japan).
    Later calls return the same row, whatever the date.
    """
    if not application_attended(application):
        raise CertificateRefused
    return _issue(
        lookup={"kind": CertificateKind.SESSION, "application": application},
        fields={"series_id": application.session.series_id, "session": application.session},
        now=now,
    )


def certificate_issue_for_course(*, application: Application, now: dt.datetime | None = None) -> Certificate:
    """Return the person's course completion certificate for the application's series, issuing it on the first call.

    Raise CertificateRefused unless the course record offers it on this application's page
    (the series' minimum of sessions attended, this application among them). The person is
    their email's digest: every manage page of the same address gets the same certificate.
    Side effect on the first call: one Certificate row, recording this application as the one
    it was issued for.
    """
    now = now or timezone.now()
    if not course_record_for(application, now=now).course_certificate_available:
        raise CertificateRefused
    return _issue(
        lookup={
            "kind": CertificateKind.COURSE,
            "series_id": application.session.series_id,
            "holder_digest": holder_digest(application.email),
        },
        fields={"application": application},
        now=now,
    )


def _issue(*, lookup: dict, fields: dict, now: dt.datetime | None) -> Certificate:
    existing = Certificate.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    today = timezone.localdate(now or timezone.now())
    for _attempt in range(ISSUE_ATTEMPTS):
        serial = (Certificate.objects.filter(year=today.year).aggregate(last=Max("serial"))["last"] or 0) + 1
        try:
            # A savepoint: a request that lost the race for this serial (or this certificate) tries again.
            with transaction.atomic():
                return Certificate.objects.create(
                    **lookup, **fields, year=today.year, serial=serial, code=secrets.token_urlsafe(12),
                    issued_on=today,
                )
        except IntegrityError:
            existing = Certificate.objects.filter(**lookup).first()
            if existing is not None:
                return existing
    raise IntegrityError(f"no free certificate serial after {ISSUE_ATTEMPTS} attempts")


def course_attendance_sync(*, now: dt.datetime | None = None) -> int:
    """Copy the attendance of applications that still hold their email into the course record; return rows added.

    For each application not yet erased that has an attendance record, in a series whose
    course record has not expired: attended adds a CourseAttendance row (session, digest
    of the email); absent removes one (the office corrected the record). Applications
    already erased are not touched: their rows are all that is left of them. Idempotent.
    Runs from beat (tasks.keep_course_records) often enough to run before each erasure.
    """
    now = now or timezone.now()
    current, _expired = _series_by_expiry(now=now)
    applications = (
        Application.objects.filter(
            personal_data_erased_at__isnull=True,
            attendance_record__isnull=False,
            session__series_id__in=current,
        )
        .exclude(email="")  # the course record follows an address; someone without one has only their own page
        .values_list("session_id", "session__series_id", "email", "attendance_record__status")
        .iterator(chunk_size=2000)
    )
    attended: dict[int, dict[str, int]] = defaultdict(dict)
    absent: dict[int, set[str]] = defaultdict(set)
    for session_id, series_id, email, status in applications:
        digest = holder_digest(email)
        if status == AttendanceStatus.ATTENDED:
            attended[session_id][digest] = series_id
        else:
            absent[session_id].add(digest)
    added = 0
    with transaction.atomic():
        for session_id, digests in absent.items():
            gone = digests - attended[session_id].keys()
            if gone:
                CourseAttendance.objects.filter(session_id=session_id, holder_digest__in=gone).delete()
        for session_id, digests in attended.items():
            known = set(
                CourseAttendance.objects.filter(session_id=session_id).values_list("holder_digest", flat=True)
            )
            new = [
                CourseAttendance(series_id=series_id, session_id=session_id, holder_digest=digest, recorded_at=now)
                for digest, series_id in digests.items()
                if digest not in known
            ]
            CourseAttendance.objects.bulk_create(new, ignore_conflicts=True)
            added += len(new)
    return added


def course_records_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the course record of every series PERSONAL_DATA_RETENTION_DAYS past its last session; return rows deleted.

    Side effects: how many people attended how many sessions is kept first (CourseRecordSummary,
    for the office's statistics), then the series' CourseAttendance rows are deleted and its course
    certificates lose their holder digest. The certificates themselves stay, with their numbers,
    for the verification page.
    """
    now = now or timezone.now()
    _current, expired = _series_by_expiry(now=now)
    if not expired:
        return 0
    with transaction.atomic():
        for series_id in CourseAttendance.objects.filter(series_id__in=expired).values_list(
            "series_id", flat=True
        ).distinct():
            CourseRecordSummary.objects.bulk_create(
                CourseRecordSummary(series_id=series_id, sessions_attended=sessions, people=people)
                for sessions, people in people_by_sessions_attended(series_id)
            )
        deleted, _ = CourseAttendance.objects.filter(series_id__in=expired).delete()
        Certificate.objects.filter(series_id__in=expired, kind=CertificateKind.COURSE).exclude(
            holder_digest=""
        ).update(holder_digest="")
    if deleted:
        logger.info("Deleted %d course record rows of series past their retention", deleted)
    return deleted


def _series_by_expiry(*, now: dt.datetime) -> tuple[list[int], list[int]]:
    """Return the ids of the series whose course record is kept at `now`, and of those past it (one query).

    A series' record is kept until PERSONAL_DATA_RETENTION_DAYS after its last session ends
    (selectors.course_record_expires_at): when the last manage link of the series stops working.
    """
    keep = dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    current, expired = [], []
    for pk, last_end in Series.objects.annotate(last_end=Max("sessions__ends_at")).values_list("pk", "last_end"):
        if last_end is not None and now >= last_end + keep:
            expired.append(pk)
        else:
            current.append(pk)
    return current, expired

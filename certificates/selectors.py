"""Reads for certificates: a person's course record across the series, a certificate by its public code."""
import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import pgettext_lazy

from registrations.enums import ApplicationStatus, AttendanceStatus
from registrations.models import Application
from seminars.models import Series, Session

from .models import Certificate, CourseAttendance, CourseRecordSummary

# Separates these digests from every other use of SECRET_KEY.
HOLDER_DIGEST_SALT = "certificates.course-record"


def email_normalise(email: str) -> str:
    """Return an email address as applications are matched: trimmed, lower case (as Lower("email") in the index)."""
    return email.strip().lower()


def holder_digest(email: str) -> str:
    """Return the keyed digest (HMAC-SHA256 with SECRET_KEY) that stands for a person in the course record."""
    return salted_hmac(HOLDER_DIGEST_SALT, email_normalise(email), algorithm="sha256").hexdigest()


def course_record_expires_at(series: Series) -> dt.datetime | None:
    """Return when the series' course record is deleted: PERSONAL_DATA_RETENTION_DAYS after its last session.

    That is when the last manage link of the series stops working, so no page can show the record later.
    None for a series without sessions.
    """
    last_end = Session.objects.filter(series=series).aggregate(last=Max("ends_at"))["last"]
    if last_end is None:
        return None
    return last_end + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


class CourseStatus:
    """What the course record says of one session for the person (labels shown on the manage page)."""

    ATTENDED = "attended"
    ABSENT = "absent"
    NOT_RECORDED = "not_recorded"
    NOT_HELD = "not_held"
    CANCELLED = "cancelled"

    LABELS = {
        ATTENDED: pgettext_lazy("course record", "Attended"),
        ABSENT: pgettext_lazy("course record", "Absent"),
        NOT_RECORDED: pgettext_lazy("course record", "Attendance not recorded yet"),
        NOT_HELD: pgettext_lazy("course record", "Not held yet"),
        CANCELLED: pgettext_lazy("course record", "Application cancelled"),
    }


@dataclass
class CourseRecordRow:
    session: Session
    status: str
    # The row of the application whose page shows the record.
    is_current: bool = False

    @property
    def status_label(self):
        return CourseStatus.LABELS[self.status]

    @property
    def attended(self) -> bool:
        return self.status == CourseStatus.ATTENDED


@dataclass
class CourseRecord:
    """A person's sessions of one series, as their manage page and certificates show them."""

    series: Series
    rows: list[CourseRecordRow] = field(default_factory=list)
    # Whether the application of the page itself was attended: its certificates are offered only then.
    current_attended: bool = False
    # Sessions of the series not yet over: the most that may still count towards the course.
    sessions_left: int = 0

    @property
    def required(self) -> int:
        return self.series.completion_min_sessions

    @property
    def attended_rows(self) -> list[CourseRecordRow]:
        return [row for row in self.rows if row.attended]

    @property
    def attended(self) -> int:
        return len(self.attended_rows)

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.attended)

    @property
    def within_reach(self) -> bool:
        """Whether the sessions still to come could complete the course (a page says "N more" only then)."""
        return self.remaining <= self.sessions_left

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.attended >= self.required

    @property
    def course_certificate_available(self) -> bool:
        """Whether this page offers the course certificate.

        Only from the page of an attended application: typing someone else's address into
        the application form gives a manage page, but no certificate in one's own name.
        """
        return self.complete and self.current_attended


def course_record_for(application: Application, *, now: dt.datetime | None = None) -> CourseRecord:
    """Return the course record of the application's person (same normalised email) in its series.

    The applications that still hold their email give each session's status (the live
    data wins); sessions whose applications were erased count from CourseAttendance,
    which keeps only that the person's digest attended them. Cancelled applications are
    left out, except the page's own. Three queries (the third counts the sessions still to come).
    """
    now = now or timezone.now()
    series = application.session.series
    own_email = email_normalise(application.email)
    # Without an address (entered by the office) the record is this application alone: "" is nobody's address.
    same_person = Q(email_lower=own_email) & ~Q(status=ApplicationStatus.CANCELLED) if own_email else Q(pk__in=[])
    live = list(
        Application.objects.alias(email_lower=Lower("email"))
        .filter(session__series=series, personal_data_erased_at__isnull=True)
        .filter(same_person | Q(pk=application.pk))
        .select_related("session", "attendance_record")
        .order_by("session__number", "-created_at")
    )
    rows: dict[int, CourseRecordRow] = {}
    for each in live:
        row = CourseRecordRow(each.session, _status(each, now=now), is_current=each.pk == application.pk)
        # An active application and a cancelled one of the same session: the page's own, or the active one, shows.
        if each.session_id not in rows or row.is_current or rows[each.session_id].status == CourseStatus.CANCELLED:
            rows[each.session_id] = row
    if application.personal_data_erased_at is None and own_email:
        kept = CourseAttendance.objects.filter(series=series, holder_digest=holder_digest(own_email)).exclude(
            session_id__in=list(rows)
        ).select_related("session")
        for attendance in kept:
            rows[attendance.session_id] = CourseRecordRow(attendance.session, CourseStatus.ATTENDED)
    ordered = sorted(rows.values(), key=lambda row: row.session.number)
    current = next((row for row in ordered if row.is_current), None)
    sessions_left = Session.objects.filter(series=series, ends_at__gt=now).count()
    return CourseRecord(series=series, rows=ordered, current_attended=bool(current and current.attended),
                        sessions_left=sessions_left)


def _status(application: Application, *, now: dt.datetime) -> str:
    record = getattr(application, "attendance_record", None)
    if record is not None:
        return CourseStatus.ATTENDED if record.status == AttendanceStatus.ATTENDED else CourseStatus.ABSENT
    if application.status == ApplicationStatus.CANCELLED:
        return CourseStatus.CANCELLED
    if now < application.session.ends_at:
        return CourseStatus.NOT_HELD
    return CourseStatus.NOT_RECORDED


def application_attended(application: Application) -> bool:
    """Return whether the application's attendance is recorded as attended."""
    record = getattr(application, "attendance_record", None)
    return record is not None and record.status == AttendanceStatus.ATTENDED


def certificate_for_code(code: str) -> Certificate | None:
    """Return the certificate with this public verification code, or None."""
    return Certificate.objects.select_related("series", "session").filter(code=code).first()


def people_by_sessions_attended(series_id: int) -> list[tuple[int, int]]:
    """Return [(sessions attended, people)] for the series, fewest sessions first (one query).

    From the course record while it is kept, then from the summary written when it was deleted
    (CourseRecordSummary). The count needs two levels of GROUP BY (per person, then per number
    of sessions), which the ORM cannot say in one query; its way, a correlated subquery per row,
    took three times as long on 30,000 rows (bench/statistics.py). One row per (session, person)
    in CourseAttendance (its unique constraint), so a person's count is their sessions.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT sessions, COUNT(*) FROM (
                SELECT holder_digest, COUNT(*) AS sessions FROM {CourseAttendance._meta.db_table}
                WHERE series_id = %s GROUP BY holder_digest
            ) AS people
            GROUP BY sessions
            UNION ALL
            SELECT sessions_attended, people FROM {CourseRecordSummary._meta.db_table} WHERE series_id = %s
            ORDER BY 1
            """,  # noqa: S608 - the table names are our models', not input
            [series_id, series_id],
        )
        return cursor.fetchall()

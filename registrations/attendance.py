"""Recording who attended a session: from an attendee report, by the office's hand, or at the venue's door.

One function owns each way (attendance_import, attendance_mark,
attendance_check_in); the admin, the management command and the check-in page
call them. Each runs in one transaction with the audit entries it writes.

Rules the issue leaves open, decided here:
- A report is complete: confirmed applications of the session that are not in
  it are recorded absent (0 minutes). Waitlisted ones not in it stay "not
  recorded" (they had no place); cancelled ones are never recorded.
- What the office recorded by hand, a venue check-in and a webinar integration
  outrank a file: an import never overwrites those records (it counts them as
  "kept"). A later, different file for the session replaces the records of the
  earlier import; the same file again (same SHA-256 as the session's latest
  import) changes nothing.
- An email that matches no application, only a cancelled one, or two
  applications of the session is listed for the office and changes nothing.
"""
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seminars.models import Session

from .attendance_reports import REPORT_FORMATS, ReportRefused, email_match_key, minutes_attended, report_parse
from .enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from .models import Application, AttendanceImport, AttendanceRecord, AuditEntry
from .references import reference_display, reference_normalise

# Records an import leaves alone: the office's word and the door outrank a file.
KEPT_SOURCES = {AttendanceSource.OFFICE, AttendanceSource.CHECK_IN, AttendanceSource.WEBINAR}
# Why a row of a report changed nothing, as stored in AttendanceImport.unmatched.
UNMATCHED_WHY = {
    "unknown": _("no application of this session has this email address"),
    "cancelled": _("the application with this email address was cancelled"),
    "ambiguous": _("this email address matches more than one application; record it by hand"),
    "no_email": _("the row has no email address"),
    "unreadable": _("the times or minutes of the row could not be read"),
}
RECORD_FIELDS = ["status", "minutes", "source", "source_import", "recorded_at", "recorded_by"]


class AttendanceRefused(Exception):
    """Attendance could not be recorded as asked; `message` is for the office."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass
class ImportResult:
    attendance_import: AttendanceImport
    unchanged: bool  # the same file as the session's latest import: nothing was written
    rows: int = 0
    matched: int = 0
    attended: int = 0
    absent: int = 0
    absent_not_in_report: int = 0
    kept: int = 0
    unmatched: list[dict] = field(default_factory=list)

    @property
    def report_format_label(self):
        return REPORT_FORMATS.get(self.attendance_import.report_format, self.attendance_import.report_format)


def _actor(by) -> dict:
    return {"actor": by, "actor_label": by.get_username() if by is not None else "system"}


def _audit(application_id: int, *, by, now, before, after: AttendanceRecord | None, extra=None) -> AuditEntry:
    """Return (unsaved) the audit entry of one attendance change: status, minutes and source, before → after."""
    changes = {
        "attendance_status": [before[0] if before else None, after.status if after else None],
        "minutes_attended": [before[1] if before else None, after.minutes if after else None],
        "attendance_source": [before[2] if before else None, after.source if after else None],
        **(extra or {}),
    }
    return AuditEntry(application_id=application_id, at=now, action="attendance", changes=changes, **_actor(by))


def _existing(session_id: int) -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in AttendanceRecord.objects.filter(application__session_id=session_id).values_list(
            "application_id", "status", "minutes", "source"
        )
    }


def _counts(attendance_import: AttendanceImport) -> dict:
    return attendance_import.records.aggregate(
        attended=Count("pk", filter=Q(status=AttendanceStatus.ATTENDED)),
        absent=Count("pk", filter=Q(status=AttendanceStatus.ABSENT)),
    )


def attendance_import(
    *, session: Session, file_bytes: bytes, filename: str, by, now: dt.datetime | None = None
) -> ImportResult:
    """Record the session's attendance from an attendee report; return what was read, matched and recorded.

    The file is parsed first (registrations.attendance_reports); a file we do not
    read, or whose times lie wholly outside the session, is refused with
    AttendanceRefused and nothing is written. Each person's minutes are their
    rows joined within the session's start and end; they attended when the
    minutes reach `session.attended_min_minutes`, else they were absent.

    Side effects, in one transaction (the session's row locked, so two imports
    for it run one after the other): an AttendanceImport (digest, name, format,
    counts, the rows not matched); the attendance records of the matched and of
    the confirmed applications not in the report, written in one statement; the
    earlier import's records that this one no longer gives are deleted; one
    audit entry per application whose attendance changed. Records from the
    office, a check-in or a webinar integration are kept as they are.
    """
    now = now or timezone.now()
    digest = hashlib.sha256(file_bytes).hexdigest()
    latest = session.attendance_imports.order_by("-imported_at", "-pk").first()
    if latest is not None and latest.sha256 == digest:
        return _unchanged(latest)
    try:
        report = report_parse(file_bytes)
    except ReportRefused as refusal:
        raise AttendanceRefused(refusal.code, refusal.message) from refusal
    window = (session.starts_at, session.ends_at)
    span = report.span()
    if span is not None and (span[1] <= window[0] or span[0] >= window[1]):
        raise AttendanceRefused("other_session", _(
            "The times in this report (%(start)s to %(end)s) lie outside the session (%(session_start)s to "
            "%(session_end)s). Is it the report of another session?"
        ) % {
            "start": f"{timezone.localtime(span[0]):%Y-%m-%d %H:%M}",
            "end": f"{timezone.localtime(span[1]):%Y-%m-%d %H:%M}",
            "session_start": f"{timezone.localtime(window[0]):%Y-%m-%d %H:%M}",
            "session_end": f"{timezone.localtime(window[1]):%H:%M}",
        })
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        latest = session.attendance_imports.order_by("-imported_at", "-pk").first()
        if latest is not None and latest.sha256 == digest:  # the same file, imported meanwhile
            return _unchanged(latest)
        return _import(session, report, digest=digest, filename=filename, by=by, now=now)


def _unchanged(latest: AttendanceImport) -> ImportResult:
    counts = _counts(latest)
    return ImportResult(
        attendance_import=latest, unchanged=True, rows=latest.rows, matched=latest.matched,
        attended=counts["attended"], absent=counts["absent"], unmatched=list(latest.unmatched),
    )


def _import(session: Session, report, *, digest: str, filename: str, by, now: dt.datetime) -> ImportResult:
    active: dict[str, list[tuple[int, str]]] = {}
    cancelled: set[str] = set()
    for pk, email, status in Application.objects.filter(session=session).values_list("pk", "email", "status"):
        key = email_match_key(email)
        if status == ApplicationStatus.CANCELLED:
            cancelled.add(key)
        else:
            active.setdefault(key, []).append((pk, status))
    existing = _existing(session.pk)
    window = (session.starts_at, session.ends_at)
    threshold = session.attended_min_minutes

    unmatched = [
        {"line": problem.line, "email": problem.email, "name": problem.name, "why": problem.why}
        for problem in report.problems
    ]
    verdicts: dict[int, int] = {}  # application id -> minutes
    in_report: set[int] = set()
    for key, rows in report.by_person().items():
        first = rows[0]
        candidates = active.get(key, [])
        if len(candidates) == 1:
            verdicts[candidates[0][0]] = minutes_attended(rows, window=window)
            continue
        why = "ambiguous" if candidates else "cancelled" if key in cancelled else "unknown"
        in_report.update(pk for pk, _status in candidates)
        unmatched.append({"line": first.line, "email": first.email, "name": first.name, "why": why})
    unmatched.sort(key=lambda row: row["line"])
    not_in_report = [
        pk for entries in active.values() for pk, status in entries
        if status == ApplicationStatus.CONFIRMED and pk not in verdicts and pk not in in_report
    ]
    for pk in not_in_report:
        verdicts[pk] = 0

    attendance_import = AttendanceImport.objects.create(
        session=session, sha256=digest, filename=filename[:255], report_format=report.report_format,
        imported_at=now, imported_by=by, rows=len(report.rows) + len(report.problems),
        matched=len(verdicts) - len(not_in_report), unmatched=unmatched,
    )
    kept = {pk for pk, before in existing.items() if before[2] in KEPT_SOURCES}
    records = [
        AttendanceRecord(
            application_id=pk, minutes=minutes, source=AttendanceSource.REPORT, source_import=attendance_import,
            status=AttendanceStatus.ATTENDED if minutes >= threshold else AttendanceStatus.ABSENT,
            recorded_at=now, recorded_by=by,
        )
        for pk, minutes in verdicts.items() if pk not in kept
    ]
    AttendanceRecord.objects.bulk_create(
        records, batch_size=2000, update_conflicts=True, unique_fields=["application"], update_fields=RECORD_FIELDS,
    )
    stale = AttendanceRecord.objects.filter(application__session=session, source=AttendanceSource.REPORT).exclude(
        source_import=attendance_import
    )
    stale_ids = list(stale.values_list("application_id", flat=True))
    stale.delete()
    report_name = {"attendee_report": filename[:255]}
    entries = [
        _audit(record.application_id, by=by, now=now, before=existing.get(record.application_id), after=record,
               extra=report_name)
        for record in records
        if existing.get(record.application_id) != (record.status, record.minutes, record.source)
    ]
    entries += [
        _audit(pk, by=by, now=now, before=existing[pk], after=None, extra=report_name) for pk in stale_ids
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return ImportResult(
        attendance_import=attendance_import, unchanged=False, rows=attendance_import.rows,
        matched=attendance_import.matched,
        attended=sum(1 for record in records if record.status == AttendanceStatus.ATTENDED),
        absent=sum(1 for record in records if record.status == AttendanceStatus.ABSENT),
        absent_not_in_report=sum(1 for pk in not_in_report if pk not in kept),
        kept=len(kept & verdicts.keys()), unmatched=unmatched,
    )


@dataclass
class MarkResult:
    changed: int = 0
    unchanged: int = 0
    refused: list[tuple[Application, str]] = field(default_factory=list)


def attendance_mark(*, applications, status: str, by, now: dt.datetime | None = None) -> MarkResult:
    """Record the applications as attended or absent on the office's word; return what changed and what was refused.

    The source becomes "office" and the minutes from a report, if any, are kept
    for the record. Cancelled applications are refused (returned with why).
    Side effects, in one transaction: the records, written in one statement, and
    an audit entry by `by` for each application whose attendance changed.
    """
    now = now or timezone.now()
    status = AttendanceStatus(status)
    result = MarkResult()
    with transaction.atomic():
        chosen = list(
            Application.objects.select_for_update(of=("self",)).filter(pk__in=[a.pk for a in applications])
            .order_by("pk")
        )
        existing = {
            row[0]: row[1:]
            for row in AttendanceRecord.objects.filter(application__in=chosen).values_list(
                "application_id", "status", "minutes", "source"
            )
        }
        records = []
        for application in chosen:
            if application.status == ApplicationStatus.CANCELLED:
                result.refused.append((application, _("the application was cancelled")))
                continue
            before = existing.get(application.pk)
            if before and before[0] == status and before[2] == AttendanceSource.OFFICE:
                result.unchanged += 1
                continue
            records.append(AttendanceRecord(
                application_id=application.pk, status=status, minutes=before[1] if before else None,
                source=AttendanceSource.OFFICE, source_import=None, recorded_at=now, recorded_by=by,
            ))
        AttendanceRecord.objects.bulk_create(
            records, update_conflicts=True, unique_fields=["application"], update_fields=RECORD_FIELDS,
        )
        AuditEntry.objects.bulk_create(
            _audit(record.application_id, by=by, now=now, before=existing.get(record.application_id), after=record)
            for record in records
        )
    result.changed = len(records)
    return result


@dataclass
class CheckInResult:
    application: Application
    already: bool  # checked in before: nothing was written
    at: dt.datetime


def attendance_check_in(*, session: Session, reference: str, by, now: dt.datetime | None = None) -> CheckInResult:
    """Record that the person with this reference (typed, pasted or scanned; hyphen optional) came to the session.

    Side effects, in one transaction: the application's record becomes attended
    from "check_in" (replacing a report's or the office's "absent"), with an audit
    entry. Checking in twice changes nothing and says when the first was.
    Raise AttendanceRefused with code "reference" (no such application in this
    session, or one of another session), "cancelled" or "waitlisted".
    """
    now = now or timezone.now()
    code = reference_normalise(reference)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("session")
            .filter(reference=code).first() if code else None
        )
        if application is None:
            raise AttendanceRefused("reference", _("No application has the reference “%(reference)s”. Check the "
                                                   "code and type it again.") % {"reference": reference.strip()})
        shown = reference_display(application.reference)
        if application.session_id != session.pk:
            raise AttendanceRefused("reference", _(
                "%(reference)s is an application for another session: %(session)s. Nothing was recorded."
            ) % {"reference": shown, "session": application.session})
        if application.status == ApplicationStatus.CANCELLED:
            raise AttendanceRefused("cancelled", _("%(reference)s was cancelled; nothing was recorded.")
                                    % {"reference": shown})
        if application.status == ApplicationStatus.WAITLISTED:
            raise AttendanceRefused("waitlisted", _(
                "%(reference)s is on the waiting list and has no place; nothing was recorded. Record it by hand "
                "in the list of applications if the office lets the person in."
            ) % {"reference": shown})
        record = AttendanceRecord.objects.filter(application=application).first()
        if record is not None and record.source == AttendanceSource.CHECK_IN:
            return CheckInResult(application=application, already=True, at=record.recorded_at)
        before = (record.status, record.minutes, record.source) if record else None
        record = AttendanceRecord(
            application=application, status=AttendanceStatus.ATTENDED, minutes=record.minutes if record else None,
            source=AttendanceSource.CHECK_IN, source_import=None, recorded_at=now, recorded_by=by,
        )
        record.save()
        _audit(application.pk, by=by, now=now, before=before, after=record).save()
    return CheckInResult(application=application, already=False, at=now)

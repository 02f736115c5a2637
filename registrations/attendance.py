"""Recording who attended a session: from a report (a file or Zoom's), by the office's hand, or at the venue's door.

One function owns each way: `attendance_report_record` records a report's rows,
whoever read them (`attendance_import` for a file the office uploads or the
management command reads; the zoom app for Zoom's participants report);
`attendance_mark` the office's word; `attendance_check_in` the door. Each runs in
one transaction with the audit entries it writes.

Rules:
- A report is complete: confirmed applications of the session that are not in
  it are recorded absent (0 minutes). Waitlisted ones not in it stay "not
  recorded" (they had no place); cancelled ones are never recorded.
- Sources outrank each other (SOURCE_RANK): the office's hand and the door over
  Zoom's report, Zoom's report over a file. A report never overwrites a record
  of a higher rank (it counts it as "kept"); a later report of the same source
  replaces the earlier one's records. The same file again (same SHA-256 as the
  session's latest import) changes nothing.
- An email that matches no application, only a cancelled one, or two
  applications of the session is listed for the office and changes nothing.
- Files are read as a stream (registrations.attendance_reports) and refused
  above ATTENDANCE_REPORT_MAX_BYTES, for the upload and the command alike: the
  limit bounds the time a web worker spends on one upload.
"""
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from seminars.models import Session

from .attendance_reports import (
    REPORT_FORMATS,
    ReportRefused,
    ReportRow,
    email_match_key,
    minutes_attended,
    report_parse,
)
from .enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from .models import Application, AttendanceImport, AttendanceRecord, AuditEntry
from .references import reference_display, reference_normalise

# A report of one source never overwrites a record of a source ranked higher.
SOURCE_RANK = {
    AttendanceSource.REPORT: 0,
    AttendanceSource.WEBINAR: 1,
    AttendanceSource.OFFICE: 2,
    AttendanceSource.CHECK_IN: 2,
}
# Why a row of a report changed nothing, as stored in AttendanceImport.unmatched.
UNMATCHED_WHY = {
    "unknown": _("no application of this session has this email address"),
    "cancelled": _("the application with this email address was cancelled"),
    "ambiguous": _("this email address matches more than one application; record it by hand"),
    "no_email": _("the row has no email address"),
    "unreadable": _("the times or minutes of the row could not be read"),
}
RECORD_FIELDS = ["status", "minutes", "source", "source_import", "recorded_at", "recorded_by"]
HASH_CHUNK = 1024 * 1024


class AttendanceRefused(Exception):
    """Attendance could not be recorded as asked; `message` is for the office."""

    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass
class Recorded:
    """What recording a report did. The numbers add up: matched + not_in_report = attended + absent + kept."""

    matched: int = 0  # people in the report matched to an application
    not_in_report: int = 0  # confirmed applications not in it: recorded absent unless kept
    attended: int = 0  # records written "attended"
    absent: int = 0  # records written "absent", those not in the report included
    absent_not_in_report: int = 0  # of `absent`: not in the report
    kept: int = 0  # records of a higher-ranked source (office, door) left as they were
    unmatched: list[dict] = field(default_factory=list)


@dataclass
class ImportResult(Recorded):
    attendance_import: AttendanceImport | None = None
    unchanged: bool = False  # the same file as the session's latest import: nothing was written
    rows: int = 0

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


def attendance_report_record(
    *, session: Session, rows: list[ReportRow], source: str, by, report_name: str, problems: list[dict] = (),
    attendance_import: AttendanceImport | None = None, now: dt.datetime | None = None,
) -> Recorded:
    """Record the session's attendance from a report's rows; return what was matched and written.

    The one service behind a file import and Zoom's report. A row is the
    application it names (`row.application_id`, matched by an integration) or
    else the one active application with its email address. Each person's
    minutes are their rows joined within the session's start and end (rejoins
    summed, overlaps once: attendance_reports.minutes_attended); they attended
    when the minutes reach `session.attended_min_minutes`. Confirmed
    applications not in the report are recorded absent. `problems` are rows the
    reader could not use, listed with the unmatched.

    Side effects, in one transaction with the session's row locked (two reports
    for a session run one after the other): the records (`source`, linked to
    `attendance_import` when given) written in one statement, except over a
    higher-ranked source (SOURCE_RANK); the records of an earlier report of the
    same source that this one no longer gives are deleted; one audit entry per
    application whose attendance changed, naming `report_name`.
    """
    now = now or timezone.now()
    rank = SOURCE_RANK[source]
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        statuses, active, cancelled = {}, {}, set()
        for pk, email, status in Application.objects.filter(session=session).values_list("pk", "email", "status"):
            statuses[pk] = status
            key = email_match_key(email)
            if status == ApplicationStatus.CANCELLED:
                cancelled.add(key)
            else:
                active.setdefault(key, []).append(pk)
        existing = _existing(session.pk)

        unmatched = {f"line:{p['line']}": p for p in problems}
        people: dict[int, list[ReportRow]] = {}
        named: set[int] = set()  # applications a row was ambiguous between: not taken as "not in the report"
        for row in rows:
            key = email_match_key(row.email)
            pk = row.application_id
            if pk is None or statuses.get(pk) in (None, ApplicationStatus.CANCELLED):
                candidates = active.get(key, []) if key else []
                if len(candidates) != 1:
                    why = ("no_email" if not key else "ambiguous" if candidates
                           else "cancelled" if key in cancelled else "unknown")
                    named.update(candidates)
                    unmatched.setdefault(key or f"line:{row.line}",
                                         {"line": row.line, "email": row.email, "name": row.name, "why": why})
                    continue
                pk = candidates[0]
            people.setdefault(pk, []).append(row)

        window = (session.starts_at, session.ends_at)
        verdicts = {pk: minutes_attended(person_rows, window=window) for pk, person_rows in people.items()}
        result = Recorded(matched=len(verdicts))
        for pk, status in statuses.items():
            if status == ApplicationStatus.CONFIRMED and pk not in verdicts and pk not in named:
                verdicts[pk] = 0
                result.not_in_report += 1
        kept = {pk for pk in verdicts if pk in existing and SOURCE_RANK.get(existing[pk][2], 0) > rank}
        records = [
            AttendanceRecord(
                application_id=pk, minutes=minutes, source=source, source_import=attendance_import,
                status=AttendanceStatus.ATTENDED if minutes >= session.attended_min_minutes
                else AttendanceStatus.ABSENT, recorded_at=now, recorded_by=by,
            )
            for pk, minutes in verdicts.items() if pk not in kept
        ]
        AttendanceRecord.objects.bulk_create(
            records, batch_size=2000, update_conflicts=True, unique_fields=["application"],
            update_fields=RECORD_FIELDS,
        )
        written = {record.application_id for record in records}
        stale_ids = [pk for pk, before in existing.items() if before[2] == source and pk not in written]
        AttendanceRecord.objects.filter(application_id__in=stale_ids).delete()
        note = {"attendee_report": report_name[:255]}
        AuditEntry.objects.bulk_create([
            *(_audit(record.application_id, by=by, now=now, before=existing.get(record.application_id),
                     after=record, extra=note)
              for record in records
              if existing.get(record.application_id) != (record.status, record.minutes, record.source)),
            *(_audit(pk, by=by, now=now, before=existing[pk], after=None, extra=note) for pk in stale_ids),
        ], batch_size=2000)
    result.kept = len(kept)
    result.attended = sum(1 for record in records if record.status == AttendanceStatus.ATTENDED)
    result.absent = len(records) - result.attended
    in_report = people.keys()
    result.absent_not_in_report = sum(1 for record in records if record.application_id not in in_report)
    result.unmatched = sorted(unmatched.values(), key=lambda row: row["line"])
    return result


def attendance_import(
    *, session: Session, file: BinaryIO | bytes, filename: str, by, now: dt.datetime | None = None
) -> ImportResult:
    """Record the session's attendance from an attendee report file; return what was read, matched and recorded.

    `file` is a seekable binary file (an upload, an open file) or bytes, read as a stream:
    once for its SHA-256, once to parse it (registrations.attendance_reports). A
    file above ATTENDANCE_REPORT_MAX_BYTES, one we do not read, or one whose times
    lie wholly outside the session is refused with AttendanceRefused and nothing
    is written.

    Side effects, in one transaction: an AttendanceImport (digest, name, format,
    counts, the rows not matched) and what attendance_report_record writes.
    """
    now = now or timezone.now()
    file = io.BytesIO(file) if isinstance(file, bytes) else file
    file.seek(0, 2)
    size = file.tell()
    if size > settings.ATTENDANCE_REPORT_MAX_BYTES:
        raise AttendanceRefused("too_large", _(
            "The file is larger than %(limit)s; an attendee report is much smaller (a 5,000-person Zoom report is "
            "about 1 MB). Is it the right file?"
        ) % {"limit": filesizeformat(settings.ATTENDANCE_REPORT_MAX_BYTES)})
    file.seek(0)
    digest = hashlib.sha256()
    while chunk := file.read(HASH_CHUNK):
        digest.update(chunk)
    digest = digest.hexdigest()
    file.seek(0)
    latest = session.attendance_imports.order_by("-imported_at", "-pk").first()
    if latest is not None and latest.sha256 == digest:
        return _unchanged(latest)
    try:
        report = report_parse(file)
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
        attendance_import_row = AttendanceImport.objects.create(
            session=session, sha256=digest, filename=filename[:255], report_format=report.report_format,
            imported_at=now, imported_by=by, rows=report.row_count + len(report.problems),
        )
        problems = [{"line": p.line, "email": p.email, "name": p.name, "why": p.why} for p in report.problems]
        recorded = attendance_report_record(
            session=session, rows=report.rows, problems=problems, source=AttendanceSource.REPORT, by=by,
            report_name=filename, attendance_import=attendance_import_row, now=now,
        )
        counts = {name: getattr(recorded, name) for name in IMPORT_COUNTS}
        AttendanceImport.objects.filter(pk=attendance_import_row.pk).update(unmatched=recorded.unmatched, **counts)
        attendance_import_row.refresh_from_db()
    return ImportResult(**vars(recorded), attendance_import=attendance_import_row, rows=attendance_import_row.rows)


# The counts an import keeps (AttendanceImport's fields of the same names).
IMPORT_COUNTS = ("matched", "not_in_report", "attended", "absent", "absent_not_in_report", "kept")


def _unchanged(latest: AttendanceImport) -> ImportResult:
    return ImportResult(
        attendance_import=latest, unchanged=True, rows=latest.rows, unmatched=list(latest.unmatched),
        **{name: getattr(latest, name) for name in IMPORT_COUNTS},
    )


def import_summary(result) -> str:
    """Return what an import recorded, in sentences whose numbers add up as the result page's table does.

    `result` is an ImportResult or an AttendanceImport (the same count names):
    matched + not_in_report = attended + absent + kept.
    """
    sentences = [ngettext(
        "%(count)d person in the report matched an application.",
        "%(count)d people in the report matched an application.", result.matched,
    ) % {"count": result.matched}]
    if result.not_in_report:
        sentences.append(ngettext(
            "%(count)d confirmed applicant was not in the report.",
            "%(count)d confirmed applicants were not in the report.", result.not_in_report,
        ) % {"count": result.not_in_report})
    sentences.append(gettext(
        "Recorded: %(attended)d attended, %(absent)d absent (%(missing)d of them not in the report)."
    ) % {"attended": result.attended, "absent": result.absent, "missing": result.absent_not_in_report})
    if result.kept:
        sentences.append(ngettext(
            "%(count)d record made by the office or at the venue was kept as it was.",
            "%(count)d records made by the office or at the venue were kept as they were.", result.kept,
        ) % {"count": result.kept})
    return " ".join(sentences)


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

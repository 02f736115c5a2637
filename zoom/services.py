"""Registering applicants as webinar registrants, cancelling them, and attendance from Zoom's report.

One function owns each change: `registrations_sweep` (beat, each minute) creates
the registrations that are missing and queues them, `zoom_register` and
`zoom_cancel` (tasks, with retries) talk to Zoom for one registration, and
`attendance_fetch` records a session's attendance from Zoom's report.

Rules the issue leaves open, decided here:
- A confirmed application is registered as soon as it is confirmed (the sweep
  finds it within a minute), not at the window's close: the confirmation then
  rarely waits, and Zoom has days, not minutes, to come back if it is down.
- Exactly one registrant per application and webinar: one ZoomRegistration row
  (unique), and Zoom keeps one registrant per email address. A request Zoom
  refuses (e.g. already registered) is followed by a lookup of the address among
  the webinar's registrants; found, it counts as registered.
- Attendance from Zoom outranks an attendee report file (its rows are replaced)
  but not what the office recorded by hand or a venue check-in.
"""
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from outbox.services import outbox_add
from registrations.attendance_reports import ReportRow, email_match_key, minutes_attended
from registrations.enums import ApplicationStatus, AttendanceSource, AttendanceStatus
from registrations.models import Application, AttendanceRecord, AuditEntry
from registrations.notifications import confirmation_if_window_closed, zoom_fallback_at
from seminars.models import Session

from .client import ZoomClient, ZoomRefused, ZoomUnavailable, zoom_configured
from .models import AttendanceFetch, FetchState, RegistrationState, ZoomRegistration

logger = logging.getLogger(__name__)

# A queued task that has not run this long after it was due is taken as lost (a worker killed) and queued again.
LOST_TASK_MINUTES = 10
# The longest wait between two tries.
RETRY_MAX_SECONDS = 1800
# What the office's records outrank: a fetch from Zoom leaves these alone.
KEPT_SOURCES = {AttendanceSource.OFFICE, AttendanceSource.CHECK_IN}
RECORD_FIELDS = ["status", "minutes", "source", "source_import", "recorded_at", "recorded_by"]
ZOOM_LANGUAGES = {"ja": "jp-JP", "en": "en-US"}
# Kana and kanji (CJK unified ideographs, the iteration mark 々): a name written in Japanese.
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\u3005\uff66-\uff9f]")


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Return the seconds to wait before try number `attempts + 1`: Zoom's Retry-After, else doubling."""
    if retry_after is not None:
        return max(1.0, retry_after)
    return min(RETRY_MAX_SECONDS, settings.ZOOM_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def name_split(name: str) -> tuple[str, str]:
    """Return (first_name, last_name) for Zoom from a name as the applicant typed it.

    A name in Japanese script is written family name first: "山田 花子" (either
    space) gives first "花子", last "山田". A name in Latin letters is taken as
    given name first ("Jane Smith"). A name without a space ("山田花子") cannot be
    split safely and goes whole as the first name. Each part fits Zoom's 64 characters.
    """
    parts = re.split(r"[\s\u3000]+", name.strip(), maxsplit=1)
    if len(parts) != 2 or not all(parts):
        return name.strip()[:64], ""
    if JAPANESE_SCRIPT.search(name):
        family, given = parts
    else:
        given, family = parts
    return given[:64], family[:64]


def _wanted(registration: ZoomRegistration) -> bool:
    """Whether the application still needs this registration (confirmed, in the webinar's session, not erased)."""
    application = registration.application
    return (
        application.status == ApplicationStatus.CONFIRMED
        and application.personal_data_erased_at is None
        and application.session.zoom_webinar_id == registration.webinar_id
    )


# --- registering ---


def registrations_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Create the missing registrations of confirmed applications, queue them and the lost ones; flag fallbacks.

    Beat runs this each minute. Side effects: a WAITING ZoomRegistration for each
    confirmed application of a session with personal links that has neither a link
    nor a registration for the session's webinar, each queued (zoom.register)
    after commit; WAITING rows whose task is long overdue queued again; rows
    still waiting once the session is within ZOOM_FALLBACK_HOURS get
    `fallback_at`, and the series' office gets one mail per session about them.
    """
    now = now or timezone.now()
    counts = {"created": 0, "requeued": 0, "fallback": 0}
    if not zoom_configured():
        return counts
    sessions = Session.objects.exclude(zoom_webinar_id="").filter(ends_at__gt=now)
    has_registration = ZoomRegistration.objects.filter(
        application=OuterRef("pk"), webinar_id=OuterRef("session__zoom_webinar_id")
    )
    missing = (
        Application.objects.filter(session__in=sessions, status=ApplicationStatus.CONFIRMED,
                                   personal_data_erased_at__isnull=True, zoom_join_url="")
        .exclude(email="")  # Zoom registers people by address; the office tells those without one itself
        .filter(~Exists(has_registration))
        .values_list("pk", "session__zoom_webinar_id")
    )
    with transaction.atomic():
        created = ZoomRegistration.objects.bulk_create(
            [ZoomRegistration(application_id=pk, webinar_id=webinar_id, waiting_since=now, next_attempt_at=now)
             for pk, webinar_id in missing],
            ignore_conflicts=True,
        )
        lost = ZoomRegistration.objects.filter(
            state=RegistrationState.WAITING, next_attempt_at__lt=now - dt.timedelta(minutes=LOST_TASK_MINUTES),
            application__session__ends_at__gt=now,
        )
        lost_ids = list(lost.values_list("pk", flat=True))
        lost.update(next_attempt_at=now)
        # ignore_conflicts leaves the pks unset: read back the rows created now.
        new_ids = list(ZoomRegistration.objects.filter(
            state=RegistrationState.WAITING, waiting_since=now, attempts=0
        ).values_list("pk", flat=True)) if created else []
        counts["created"], counts["requeued"] = len(new_ids), len(lost_ids)
        _queue_on_commit("zoom.register", new_ids + lost_ids)
        counts["fallback"] = _fallbacks_flag(now)
    return counts


def _queue_on_commit(task_name: str, ids: list[int]) -> None:
    """Queue the task (zoom/tasks.py, by name: that module imports this one) for each registration after commit."""
    if ids:
        transaction.on_commit(lambda: [current_app.send_task(task_name, kwargs={"registration_id": pk})
                                       for pk in ids])


def _fallbacks_flag(now: dt.datetime) -> int:
    """Flag the registrations still waiting within the fallback time; tell each session's office once."""
    flagged = 0
    waiting = (
        ZoomRegistration.objects.filter(state__in=[RegistrationState.WAITING, RegistrationState.REFUSED],
                                        fallback_at__isnull=True, application__status=ApplicationStatus.CONFIRMED,
                                        application__zoom_join_url="", application__session__ends_at__gt=now)
        .select_related("application__session__series")
    )
    by_session: dict[int, list[ZoomRegistration]] = {}
    for registration in waiting:
        session = registration.application.session
        if now >= zoom_fallback_at(session) and session.zoom_webinar_id == registration.webinar_id:
            by_session.setdefault(session.pk, []).append(registration)
    for registrations in by_session.values():
        ZoomRegistration.objects.filter(pk__in=[r.pk for r in registrations]).update(fallback_at=now)
        flagged += len(registrations)
        session = registrations[0].application.session
        logger.warning("Zoom registration: %d applications of session %d still without a personal link at the "
                       "fallback time", len(registrations), session.pk)
        _office_told(session, registrations, now)
    return flagged


def _office_told(session: Session, registrations: list[ZoomRegistration], now: dt.datetime) -> None:
    """Add one mail to the series' office: who goes with the shared link (or none) instead of a personal one."""
    if not session.series.contact_email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        references = ", ".join(str(r.application) for r in registrations)
        if session.joining_url:
            what = gettext("Their confirmation goes with the session's shared joining link.")
        else:
            what = gettext("The session has no shared joining link: their confirmation waits. Add a joining link to "
                           "the session, or send them the details yourself.")
        admin_url = settings.SITE_URL.rstrip("/") + reverse("admin:zoom_zoomregistration_changelist")
        body = gettext(
            "Zoom has not registered %(count)d applicants of %(session)s in time (the session starts on "
            "%(starts)s). %(what)s\n\nReferences: %(references)s\n\nThe registrations and Zoom's last answers: "
            "%(url)s\n"
        ) % {"count": len(registrations), "session": session, "what": what, "references": references,
             "starts": f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}", "url": admin_url}
        subject = gettext("Zoom: %(count)d applicants without a personal joining link") % {"count": len(registrations)}
    outbox_add(key=f"zoom-fallback:session:{session.pk}:{now.timestamp():.0f}", kind="zoom_fallback", about=session,
               to=session.series.contact_email, subject=subject, body_text=body, now=now)


def zoom_register(*, registration_id: int, client: ZoomClient, now: dt.datetime | None = None) -> ZoomRegistration:
    """Register one application as a registrant of its session's webinar; return the registration.

    Does nothing unless the registration is WAITING. A registration the
    application no longer needs becomes DROPPED. On success, in one transaction:
    the registration becomes REGISTERED, the application gets its registrant ID and
    personal link, and its confirmation is added at once if the window has closed
    (registrations.notifications.confirmation_if_window_closed). If the application
    lost its place while Zoom answered, the new registrant is cancelled right away.
    Zoom refusing: the address is looked up among the webinar's registrants and,
    found, counts as registered; otherwise the registration becomes REFUSED.
    Raise ZoomUnavailable (after recording the error and when to try again) for the
    task to retry.
    """
    now = now or timezone.now()
    with transaction.atomic():
        registration = (ZoomRegistration.objects.select_for_update(of=("self",))
                        .select_related("application__session").get(pk=registration_id))
        if registration.state != RegistrationState.WAITING:
            return registration
        if not _wanted(registration) or now >= registration.application.session.ends_at:
            registration.state = RegistrationState.DROPPED
            registration.save(update_fields=["state"])
            return registration
        registration.attempts += 1
        registration.last_attempt_at = now
        registration.save(update_fields=["attempts", "last_attempt_at"])
    application = registration.application
    first_name, last_name = name_split(application.name)
    try:
        try:
            answer = client.registrant_add(
                registration.webinar_id, email=application.email, first_name=first_name, last_name=last_name,
                language=ZOOM_LANGUAGES.get(application.language, ""),
            )
            found = {"id": answer.get("registrant_id"), "join_url": answer.get("join_url")}
        except ZoomRefused as refusal:
            # Perhaps already registered (a retried request Zoom had served): look the address up.
            found = client.registrant_find(registration.webinar_id, application.email)
            if found is None:
                return _refused(registration, refusal.detail)
    except ZoomUnavailable as exc:
        delay = retry_delay(registration.attempts, exc.retry_after)
        ZoomRegistration.objects.filter(pk=registration.pk).update(
            last_error=exc.detail[:300], next_attempt_at=now + dt.timedelta(seconds=delay)
        )
        exc.retry_in = delay
        raise
    return _registered(registration.pk, registrant_id=str(found["id"]), join_url=found.get("join_url") or "", now=now)


def _refused(registration: ZoomRegistration, detail: str) -> ZoomRegistration:
    registration.state = RegistrationState.REFUSED
    registration.last_error = detail[:300]
    registration.save(update_fields=["state", "last_error"])
    logger.warning("Zoom refused registration %d: %s", registration.pk, detail)
    return registration


def _registered(registration_id: int, *, registrant_id: str, join_url: str, now: dt.datetime) -> ZoomRegistration:
    with transaction.atomic():
        registration = (ZoomRegistration.objects.select_for_update(of=("self",))
                        .select_related("application__session__series").get(pk=registration_id))
        application = Application.objects.select_for_update().get(pk=registration.application_id)
        registration.application = application
        registration.registrant_id = registrant_id
        registration.registered_at = now
        registration.last_error = ""
        if registration.state == RegistrationState.WAITING and _wanted(registration) and join_url:
            registration.state = RegistrationState.REGISTERED
            application.zoom_registrant_id = registrant_id
            application.zoom_join_url = join_url
            application.save(update_fields=["zoom_registrant_id", "zoom_join_url", "updated_at"])
            confirmation_if_window_closed(application, now=now)
        else:  # cancelled or moved while Zoom answered: take the registrant back
            registration.state = RegistrationState.CANCEL_WAITING
            _queue_on_commit("zoom.cancel", [registration.pk])
        registration.save(update_fields=["state", "registrant_id", "registered_at", "last_error"])
    return registration


# --- cancelling ---


def registrations_cancel_for(application: Application, *, now: dt.datetime | None = None) -> int:
    """Cancel in Zoom the application's registrations it no longer needs (cancelled, or moved away); return how many.

    The receiver of registrations.signals.application_place_lost. Side effects:
    REGISTERED rows become CANCEL_WAITING and are queued (zoom.cancel) after commit;
    WAITING rows become DROPPED (a task already talking to Zoom cancels what it gets).
    """
    now = now or timezone.now()
    with transaction.atomic():
        application = Application.objects.select_related("session").get(pk=application.pk)
        rows = ZoomRegistration.objects.select_for_update().filter(application=application)
        if application.status == ApplicationStatus.CONFIRMED:
            rows = rows.exclude(webinar_id=application.session.zoom_webinar_id)
        rows = list(rows.filter(state__in=[RegistrationState.WAITING, RegistrationState.REGISTERED,
                                           RegistrationState.REFUSED]))
        to_cancel = [r.pk for r in rows if r.state == RegistrationState.REGISTERED]
        ZoomRegistration.objects.filter(pk__in=to_cancel).update(state=RegistrationState.CANCEL_WAITING,
                                                                 next_attempt_at=now)
        ZoomRegistration.objects.filter(pk__in=[r.pk for r in rows if r.pk not in to_cancel]).update(
            state=RegistrationState.DROPPED)
        _queue_on_commit("zoom.cancel", to_cancel)
    return len(to_cancel)


def zoom_cancel(*, registration_id: int, client: ZoomClient, now: dt.datetime | None = None) -> ZoomRegistration:
    """Send Zoom the cancel action for one registrant; return the registration (CANCELLED once Zoom took it).

    Raise ZoomUnavailable (after recording the error) for the task to retry; a
    refusal is recorded and ends the tries (e.g. the webinar was deleted).
    """
    now = now or timezone.now()
    registration = ZoomRegistration.objects.select_related("application").get(pk=registration_id)
    if registration.state != RegistrationState.CANCEL_WAITING:
        return registration
    registrant = {"id": registration.registrant_id}
    if registration.application.personal_data_erased_at is None:
        registrant["email"] = registration.application.email
    registration.attempts += 1
    try:
        client.registrants_cancel(registration.webinar_id, [registrant])
    except ZoomUnavailable as exc:
        ZoomRegistration.objects.filter(pk=registration.pk).update(
            attempts=registration.attempts, last_attempt_at=now, last_error=exc.detail[:300])
        exc.retry_in = retry_delay(registration.attempts, exc.retry_after)
        raise
    except ZoomRefused as refusal:
        ZoomRegistration.objects.filter(pk=registration.pk).update(
            attempts=registration.attempts, last_attempt_at=now, last_error=refusal.detail[:300])
        logger.warning("Zoom refused cancelling registration %d: %s", registration.pk, refusal.detail)
        return registration
    ZoomRegistration.objects.filter(pk=registration.pk).update(
        state=RegistrationState.CANCELLED, cancelled_at=now, attempts=registration.attempts, last_attempt_at=now,
        last_error="")
    registration.refresh_from_db()
    return registration


# --- attendance ---


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


@dataclass
class _Person:
    application_id: int
    rows: list[ReportRow] = field(default_factory=list)


def _row(line: int, participant: dict) -> ReportRow:
    joined = parse_datetime(participant.get("join_time") or "")
    left = parse_datetime(participant.get("leave_time") or "")
    minutes = None
    if not (joined and left) and participant.get("duration") is not None:
        minutes = Decimal(int(participant["duration"])) / 60  # Zoom gives seconds
    return ReportRow(line=line, email=participant.get("user_email") or "", name=participant.get("name") or "",
                     joined=joined, left=left, minutes=minutes)


def attendance_fetch(*, fetch_id: int, client: ZoomClient, now: dt.datetime | None = None) -> AttendanceFetch:
    """Record a session's attendance from Zoom's participants report; return the fetch with its counts.

    Rows are matched to applications by registrant ID, else by email address;
    the webinar's host and panelists are left out. Each person's minutes are
    their rows joined within the session's start and end (rejoins summed, overlaps
    once: registrations.attendance_reports.minutes_attended); they attended when
    the minutes reach `session.attended_min_minutes`. Confirmed applications not
    in the report are recorded absent. Records from the office or a check-in are
    kept; a file's records are replaced.

    Side effects, in one transaction: the attendance records (source "webinar"),
    one audit entry per application whose attendance changed, the fetch's counts
    and unmatched rows. Zoom unreachable or refusing: the fetch is FAILED with the
    error, nothing else changes.
    """
    now = now or timezone.now()
    fetch = AttendanceFetch.objects.select_related("session").get(pk=fetch_id)
    session = fetch.session
    try:
        participants = client.participants(fetch.webinar_id)
        panelists = client.panelists(fetch.webinar_id)
        host_email = client.webinar(fetch.webinar_id).get("host_email") or ""
    except (ZoomUnavailable, ZoomRefused) as exc:
        AttendanceFetch.objects.filter(pk=fetch.pk).update(state=FetchState.FAILED, error=exc.detail[:300],
                                                           finished_at=now)
        fetch.refresh_from_db()
        return fetch
    staff = {email_match_key(p.get("email") or "") for p in panelists} | {email_match_key(host_email)}
    staff.discard("")

    applications = list(Application.objects.filter(session=session).values_list("pk", "email", "status"))
    by_registrant = dict(ZoomRegistration.objects.filter(
        webinar_id=fetch.webinar_id, application__session=session).exclude(registrant_id="")
        .values_list("registrant_id", "application_id"))
    active: dict[str, list[int]] = {}
    cancelled: set[str] = set()
    statuses = {}
    for pk, email, status in applications:
        statuses[pk] = status
        if status == ApplicationStatus.CANCELLED:
            cancelled.add(email_match_key(email))
        else:
            active.setdefault(email_match_key(email), []).append(pk)

    people: dict[int, _Person] = {}
    unmatched: dict[str, dict] = {}
    left_out: set[str] = set()
    for line, participant in enumerate(participants, start=1):
        row = _row(line, participant)
        key = email_match_key(row.email)
        application_id = by_registrant.get(participant.get("registrant_id") or "")
        if application_id is None and key in staff:
            left_out.add(key)
            continue
        if application_id is None:
            candidates = active.get(key, []) if key else []
            if len(candidates) == 1:
                application_id = candidates[0]
            else:
                why = ("no_email" if not key else "ambiguous" if candidates
                       else "cancelled" if key in cancelled else "unknown")
                unmatched.setdefault(key or f"line:{line}", {"email": row.email, "name": row.name, "why": why})
                continue
        people.setdefault(application_id, _Person(application_id)).rows.append(row)

    window = (session.starts_at, session.ends_at)
    verdicts = {pk: minutes_attended(person.rows, window=window) for pk, person in people.items()}
    matched = len(verdicts)
    for pk, status in statuses.items():
        if status == ApplicationStatus.CONFIRMED and pk not in verdicts:
            verdicts[pk] = 0
    by = fetch.requested_by
    with transaction.atomic():
        existing = {
            row[0]: row[1:] for row in AttendanceRecord.objects.filter(application__session=session)
            .values_list("application_id", "status", "minutes", "source")
        }
        kept = {pk for pk, before in existing.items() if before[2] in KEPT_SOURCES}
        records = [
            AttendanceRecord(
                application_id=pk, minutes=minutes, source=AttendanceSource.WEBINAR, source_import=None,
                status=AttendanceStatus.ATTENDED if minutes >= session.attended_min_minutes
                else AttendanceStatus.ABSENT, recorded_at=now, recorded_by=by,
            )
            for pk, minutes in verdicts.items() if pk not in kept
        ]
        AttendanceRecord.objects.bulk_create(records, batch_size=2000, update_conflicts=True,
                                             unique_fields=["application"], update_fields=RECORD_FIELDS)
        actor_label = by.get_username() if by is not None else "system"
        AuditEntry.objects.bulk_create([
            AuditEntry(application_id=record.application_id, at=now, actor=by, actor_label=actor_label,
                       action="attendance", changes={
                           "attendance_status": [_at(existing, record, 0), record.status],
                           "minutes_attended": [_at(existing, record, 1), record.minutes],
                           "attendance_source": [_at(existing, record, 2), record.source],
                           "zoom_fetch": fetch.pk,
                       })
            for record in records
            if existing.get(record.application_id) != (record.status, record.minutes, record.source)
        ], batch_size=2000)
        AttendanceFetch.objects.filter(pk=fetch.pk).update(
            state=FetchState.DONE, finished_at=now, error="", rows=len(participants), left_out=len(left_out),
            matched=matched, kept=len(kept & verdicts.keys()), unmatched=list(unmatched.values()),
            attended=sum(1 for r in records if r.status == AttendanceStatus.ATTENDED),
            absent=sum(1 for r in records if r.status == AttendanceStatus.ABSENT),
        )
    fetch.refresh_from_db()
    return fetch


def _at(existing: dict, record: AttendanceRecord, index: int):
    before = existing.get(record.application_id)
    return before[index] if before else None


def fetches_erase_personal_data(*, cutoff: dt.datetime) -> int:
    """Empty the unmatched rows (names, addresses) of fetches for sessions that ended at or before `cutoff`."""
    return (AttendanceFetch.objects.filter(session__ends_at__lte=cutoff).exclude(unmatched=[])
            .update(unmatched=[]))

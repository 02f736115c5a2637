"""The mail outbox: rows written in the caller's transaction, delivered by Celery after commit.

`outbox_add` is the one way a mail comes into being. It renders the mail
(subject, text and HTML, in the applicant's language) into the row, so the
office sees what it says before it goes, and queues its delivery on commit.
The waves (confirmation at window close, reminder the day before, archive
video) are services here too; beat runs `mail_waves_open` every minute, and the
unique (application, kind, key) constraint makes each of them idempotent.
Delivery itself lives in registrations/mail.py.
"""
import atexit
import datetime as dt
import logging
import os
import re
import threading
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from seminars.formatting import format_day, format_span
from seminars.models import TOKYO, Session

from .enums import ApplicationStatus, MailKind
from .models import Application, OutboxMessage

logger = logging.getLogger(__name__)

# Reminders go out from this time (Japan time) on the day before the session, not at midnight.
REMINDER_TIME = dt.time(10, 0)
# Beat stops looking at an archive for mail this long after it was published.
ARCHIVE_WAVE_DAYS = 30
# Rows per delivery task when a wave queues many at once: one SMTP connection and one claim per
# chunk, so fewer, larger chunks spend less per mail (bench/mail.py: 100 gave 67 %, 500 gives 71–76 %
# of the smtplib ceiling); a chunk of 500 still takes only a second or two to send.
ENQUEUE_CHUNK = 500
# The "a delivery task is already queued" flag (see outbox_wake): long enough to cover a task's wait
# in the queue under load, short enough that a lost task delays mail only this long (the next new
# row then queues another; the sweep sends the rest).
WAKE_KEY = "registrations:outbox-wake"
WAKE_SECONDS = 5
# A broker that refuses must not keep a request waiting: one quick retry, then the sweep's turn.
_PUBLISH_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def session_key(session: Session) -> str:
    """Return the outbox key of per-session mail (confirmation, reminder, archive).

    Keyed by session so an application the office moves to another session gets
    that session's confirmation too, while a wave that runs twice adds nothing.
    """
    return f"session:{session.pk}"


def outbox_add(
    *,
    application: Application,
    kind: str,
    key: str = "",
    context: dict | None = None,
    resend_of: OutboxMessage | None = None,
    now: dt.datetime | None = None,
    enqueue: bool = True,
    render: bool = True,
    new_application: bool = False,
) -> OutboxMessage | None:
    """Add one mail row for (application, kind, key) unless it exists; return it, or None if it existed.

    Call inside the transaction of the event that causes the mail, so the row and
    the event commit together (an application is never saved without its mail).
    Side effects: the row, rendered in the applicant's language; after commit, a
    delivery task on the broker unless one is already waiting (outbox_wake;
    `enqueue=False` leaves queuing to the caller).
    A broker that is down loses nothing: the sweep sends the row later.

    `render=False` leaves the rendering to delivery (registrations/mail.py renders
    a row without a subject just before sending it, and keeps what it sent): for
    mail that goes at once, where rendering would be most of the request's work.
    `new_application=True` says the application was inserted in this transaction,
    so no row of it can exist yet: the insert then needs no savepoint (two round trips).
    """
    now = now or timezone.now()
    message = outbox_row(application=application, kind=kind, key=key, context=context, resend_of=resend_of, now=now)
    if render:
        try:
            outbox_render(message)
        except Exception:  # noqa: BLE001 - a template fault must never cost the applicant their application
            logger.exception("Rendering %s mail for application %s failed; delivery renders again", kind,
                             application.pk)
    if new_application:
        message.save(force_insert=True)
    else:
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:
            return None
    if enqueue:
        transaction.on_commit(outbox_wake)
    return message


def outbox_row(
    *,
    application: Application,
    kind: str,
    key: str = "",
    context: dict | None = None,
    resend_of: OutboxMessage | None = None,
    now: dt.datetime,
) -> OutboxMessage:
    """Return the unsaved, unrendered mail row for (application, kind, key), due at `now`.

    For outbox_add. (application_create writes the same receipt row by value, in the
    statement that inserts the application: services._apply_statement.)
    """
    return OutboxMessage(
        application=application,
        kind=kind,
        key=key,
        context=context or {},
        resend_of=resend_of,
        to_email=application.email,
        created_at=now,
        next_attempt_at=now,
    )


def outbox_wake() -> None:
    """Make sure a delivery task will read the rows this process has just committed; call after commit.

    The request only signals this process's waker thread (no round trip): the thread
    then checks the flag for every row committed in the last WAKE_GATHER_SECONDS at
    once (_wake_now). During a surge that is one Redis call a process every 50 ms
    instead of one per applicant; a receipt waits those 50 ms more at most.
    """
    _waker.request()


def outbox_wake_flush() -> None:
    """Do now any wake-up this process still owes (at exit, so a stopping web worker leaves none behind)."""
    _waker.flush()


def _wake_now() -> None:
    """Make sure a task that sends the due rows is queued: publish one unless one is already waiting.

    Publishing a task cost a request more than its three inserts. A flag in the
    shared cache (cache.add: SET NX with WAKE_SECONDS to live) says a task is
    queued; the task clears it before it reads the due rows (tasks.deliver_due_outbox).
    So a row committed before an add that found the flag is read by that task:
    the flag was still there, so its task had not cleared it, let alone read.
    If the task is lost, the flag runs out and the next row queues another; the
    sweep sends anything left.
    """
    from django.core.cache import cache

    from .tasks import deliver_due_outbox

    try:
        if not cache.add(WAKE_KEY, 1, WAKE_SECONDS):
            return
    except Exception:  # noqa: BLE001 - without the cache, publish every time, as before the flag
        logger.warning("Outbox wake-up flag unavailable; queuing a delivery task anyway")
    try:
        deliver_due_outbox.apply_async(retry_policy=_PUBLISH_POLICY)
    except Exception:  # noqa: BLE001 - whatever the broker raises, the rows are saved and the sweep sends them
        logger.warning("Could not queue an outbox delivery task; the sweep will send the rows", exc_info=True)
        outbox_wake_clear()  # so the next row tries the broker again instead of waiting for the flag to run out


# How long the waker gathers the wake-ups of a burst before it checks the flag once for them all.
WAKE_GATHER_SECONDS = 0.05


class _Waker:
    """One thread a process that turns the wake-ups of its requests into one _wake_now per burst.

    A request sets `pending` after its commit. The thread clears `pending` and only
    then calls _wake_now, so every row committed before the clear is covered by that
    call's flag check, and a request that sets it after the clear gets a call of its
    own. Started on first use in each process (so also in a forked gunicorn worker).
    """

    def __init__(self):
        self._pending = threading.Event()
        self._started_in: int | None = None
        self._lock = threading.Lock()
        # Held across clearing `pending` and its _wake_now, by the thread and by flush().
        self._waking = threading.Lock()

    def request(self) -> None:
        if self._started_in != os.getpid():
            self._start()
        self._pending.set()

    def _start(self) -> None:
        with self._lock:
            if self._started_in == os.getpid():
                return
            self._pending = threading.Event()
            threading.Thread(target=self._run, name="outbox-waker", daemon=True).start()
            atexit.register(self.flush)
            self._started_in = os.getpid()

    def _run(self) -> None:
        pending = self._pending
        while True:
            pending.wait()
            time.sleep(WAKE_GATHER_SECONDS)
            try:
                self._wake_if_pending()
            except Exception:  # noqa: BLE001 - _wake_now logs its own failures; the thread must live on
                logger.exception("Outbox wake-up failed; the sweep will send the rows")

    def _wake_if_pending(self) -> None:
        with self._waking:
            if self._pending.is_set():
                self._pending.clear()
                _wake_now()

    def flush(self) -> None:
        """Return once every wake-up requested before the call is done (the thread's, or here)."""
        if self._started_in == os.getpid():
            self._wake_if_pending()


_waker = _Waker()


def outbox_wake_clear() -> None:
    """Clear the wake-up flag (the delivery task, before it reads the due rows)."""
    from django.core.cache import cache

    try:
        cache.delete(WAKE_KEY)
    except Exception:  # noqa: BLE001 - the flag then runs out by itself within WAKE_SECONDS
        logger.warning("Could not clear the outbox wake-up flag")


def outbox_enqueue(message_ids: list[int]) -> None:
    """Queue delivery tasks for these rows; log and carry on when the broker cannot be reached."""
    from .tasks import deliver_outbox_message, deliver_outbox_messages

    policy = _PUBLISH_POLICY
    try:
        if len(message_ids) == 1:
            deliver_outbox_message.apply_async(kwargs={"message_id": message_ids[0]}, retry_policy=policy)
            return
        for start in range(0, len(message_ids), ENQUEUE_CHUNK):
            chunk = message_ids[start : start + ENQUEUE_CHUNK]
            deliver_outbox_messages.apply_async(kwargs={"message_ids": chunk}, retry_policy=policy)
    except Exception:  # noqa: BLE001 - whatever the broker raises, the rows are saved and the sweep sends them
        logger.warning("Could not queue %d outbox row(s); the sweep will send them", len(message_ids), exc_info=True)


def outbox_resend(*, message: OutboxMessage, now: dt.datetime | None = None) -> OutboxMessage:
    """Send a mail again as a new row linked to `message` (rendered afresh); the original is untouched."""
    count = OutboxMessage.objects.filter(resend_of=message).count()
    with transaction.atomic():
        return outbox_add(
            application=message.application,
            kind=message.kind,
            # Unique per resend, so a second resend is a third row rather than a silent no-op.
            key=f"resend:{message.pk}:{count + 1}:{uuid.uuid4().hex[:8]}",
            context=message.context,
            resend_of=message,
            now=now,
        )


# --- rendering ---


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mail_context(message: OutboxMessage) -> dict:
    """Return the template context of a mail: the application, its session and the links it needs."""
    from .selectors import manage_url
    from .services import reference_display

    application = message.application
    session = application.session
    language = application.language
    context = {
        "message": message,
        "kind": message.kind,
        "data": message.context,
        "application": application,
        "reference": reference_display(application.reference),
        "session": session,
        "series": session.series,
        "contact_email": session.series.contact_email,
        "when": format_span(session.starts_at, session.ends_at, language),
        "closes_on": format_day(session.applications_close_on, language),
        "session_url": _site_url(session.get_absolute_url()),
        "calendar_url": _site_url(f"/sessions/{session.slug}/calendar.ics"),
        "manage_url": _site_url(manage_url(application)),
        "window_closed": message.created_at >= session.applications_close_at,
        "is_resend": message.resend_of_id is not None,
    }
    if message.kind == MailKind.ARCHIVE:
        context["archive_url"] = context["session_url"]
        context["materials"] = list(session.materials.all())
    if message.kind == MailKind.CHANGE and message.context.get("previous_session_id"):
        previous = Session.objects.filter(pk=message.context["previous_session_id"]).first()
        if previous is not None:
            context["previous_session"] = previous
            context["previous_when"] = format_span(previous.starts_at, previous.ends_at, language)
    return context


def outbox_render(message: OutboxMessage) -> None:
    """Render the mail's subject, text and HTML into the row, in the applicant's language."""
    with translation.override(message.application.language):
        context = mail_context(message)
        subject = render_to_string(f"mail/{message.kind}.subject.txt", context)
        message.subject = re.sub(r"\s+", " ", subject).strip()[:300]
        text = render_to_string(f"mail/{message.kind}.txt", context)
        message.body_text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        message.body_html = render_to_string(f"mail/{message.kind}.html", context)


# --- waves ---


def _queue_after_commit(rows: list[OutboxMessage]) -> None:
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: outbox_enqueue(ids))


def _per_session_wave(session: Session, kind: str, applications, now: dt.datetime) -> int:
    key = session_key(session)
    has_row = OutboxMessage.objects.filter(application=OuterRef("pk"), kind=kind, key=key)
    pending = applications.filter(~Exists(has_row)).select_related("session__series").order_by("pk")
    added = []
    with transaction.atomic():
        for application in pending:
            application.session = session  # the caller's instance: rendered once per session, not re-fetched
            row = outbox_add(application=application, kind=kind, key=key, now=now, enqueue=False)
            if row is not None:
                added.append(row)
        _queue_after_commit(added)
    return len(added)


def _confirmed(session: Session):
    return Application.objects.filter(
        session=session, status=ApplicationStatus.CONFIRMED, personal_data_erased_at__isnull=True
    )


def confirmation_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add a confirmation (joining details, .ics) for every confirmed application once the window has closed.

    Return how many rows were added; none before the window closes or after the session ended.
    """
    now = now or timezone.now()
    if not (session.applications_close_at <= now < session.ends_at):
        return 0
    return _per_session_wave(session, MailKind.CONFIRMATION, _confirmed(session), now)


def confirmation_if_window_closed(application: Application, *, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Add the confirmation at once for an application confirmed after its session's window closed.

    For the office adding or moving an application, and for a promotion from the
    waiting list. Call inside the transaction of that change; returns the row, or
    None while the window is still open (the wave sends it then), after the
    session, or when the application already has its confirmation for this session.
    """
    now = now or timezone.now()
    session = application.session
    if application.status != ApplicationStatus.CONFIRMED:
        return None
    if not (session.applications_close_at <= now < session.ends_at):
        return None
    return outbox_add(application=application, kind=MailKind.CONFIRMATION, key=session_key(session), now=now)


def reminder_at(session: Session) -> dt.datetime:
    """Return when the reminder goes out: REMINDER_TIME the day before, never before the window closes."""
    day_before = session.starts_at.astimezone(TOKYO).date() - dt.timedelta(days=1)
    return max(dt.datetime.combine(day_before, REMINDER_TIME, tzinfo=TOKYO), session.applications_close_at)


def reminder_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add the day-before reminder (joining link, date and time) for every confirmed application."""
    now = now or timezone.now()
    if not (reminder_at(session) <= now < session.starts_at):
        return 0
    return _per_session_wave(session, MailKind.REMINDER, _confirmed(session), now)


def archive_mail_wave(session: Session, *, now: dt.datetime | None = None) -> int:
    """Add the archive-video mail for every application confirmed for the session, once it is published."""
    now = now or timezone.now()
    if session.archive_published_at is None or session.archive_published_at > now:
        return 0
    return _per_session_wave(session, MailKind.ARCHIVE, _confirmed(session), now)


def mail_waves_open(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every wave that is due at `now` (beat calls this each minute); return rows added per kind."""
    now = now or timezone.now()
    today = now.astimezone(TOKYO).date()
    added = {MailKind.CONFIRMATION: 0, MailKind.REMINDER: 0, MailKind.ARCHIVE: 0}
    sessions = Session.objects.select_related("series")
    for session in sessions.filter(applications_close_on__lt=today, ends_at__gt=now):
        added[MailKind.CONFIRMATION] += confirmation_wave(session, now=now)
    for session in sessions.filter(starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=2)):
        added[MailKind.REMINDER] += reminder_wave(session, now=now)
    recent = now - dt.timedelta(days=ARCHIVE_WAVE_DAYS)
    for session in sessions.filter(archive_published_at__lte=now, archive_published_at__gt=recent):
        added[MailKind.ARCHIVE] += archive_mail_wave(session, now=now)
    return added

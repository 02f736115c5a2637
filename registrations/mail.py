"""Delivery of the outbox: claim a batch of due rows at once and send them over one SMTP connection.

Exactly once, as far as SMTP allows it
--------------------------------------
On PostgreSQL a batch is claimed with session-level advisory locks, one per row,
taken in one statement (`pg_try_advisory_lock` over the batch's ids, skipping
rows another sender holds). A second statement then reads those rows again and
keeps the ones still pending and due: it starts after the locks were granted,
so it sees every "sent" committed by a sender that held them before. Each mail
is then sent and, right after the server's 250, marked sent by one UPDATE by
primary key in autocommit, which commits it on its own: no transaction is open
across a send, and a mail costs one round trip to the database instead of four.
The locks are released when the batch ends.

- Two workers, a sweep racing the on-commit task, or a task delivered twice
  (acks_late) skip rows another one holds, and find them no longer pending once
  that one has marked them.
- A worker killed mid-batch drops its database connections: PostgreSQL releases
  its advisory locks, and the rows it had not marked are claimable at once by
  the next task or sweep; no lease has to run out. Every row marked before the
  kill stays sent, because each mark was committed on its own.
- A slow worker is never overtaken: only its own unlock, or the end of its
  connection, releases a row (a lease with a timeout would let a second worker
  take over a row whose sender is slow but alive).

The marks are committed by a second connection while the next mail is already
being sent (`_MarkOnSecondConnection`), at most one mark in flight. The window
left is the time between the server's 250 after DATA and the commit of that
row's mark (one round trip and a WAL flush, about a millisecond): a worker
killed right there sends that one row again later (the locks, on the first
connection, may be released before the in-flight mark commits). A rare
duplicate of at most one mail per killed worker, never a lost mail; it carries
the same Message-ID as the first copy (every row of a claimed batch gets its
Message-ID committed in one UPDATE before the first send), so receiving servers
and clients can drop it. Marking the batch in bulk after the fact would widen
that window to the whole batch, so it is not done.

A database that goes away instead (a restart, a failover): the mark is retried
on a new connection until it commits, every 50-200 ms for up to
MARK_RETRY_SECONDS; and before each send the batch checks, without a round
trip, that the connection holding its locks is still open, and stops if not,
since another worker may claim its rows now. They go to the next task or sweep.
A copy goes twice only if another worker claims and sends that row in the moment
between the database's return and the retried mark (same Message-ID again).

Advisory locks belong to the database session: the outbox must not be delivered
through a pooler in transaction mode (PgBouncer), and `outbox_deliver` must run
outside a transaction of its caller, or its marks would commit only with it.

SQLite (the newcomer default) has no advisory or row locks: there each row is
claimed in its own transaction that starts with a conditional UPDATE, which
takes the database's write lock across the send, so a second worker waits and
then finds the row no longer pending.

SMTP errors: temporary ones (4xx, a dropped connection, anything unexpected)
keep the row pending with exponential backoff, up to MAX_ATTEMPTS; permanent
ones (5xx for the recipient or the message) mark it failed with the reason.
"""
import base64
import datetime as dt
import email
import functools
import logging
import queue
import re
import secrets
import select
import smtplib
import threading
import time
from collections import Counter
from email.utils import formatdate, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seminars.calendar import session_calendar
from seminars.models import Session

from .enums import ApplicationStatus, MailKind, MailStatus
from .models import OutboxMessage
from .outbox import outbox_render

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
MAX_ATTEMPTS = 8
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=6)
# Mail that only makes sense while the application holds a place; checked again when sending.
FOR_CONFIRMED_ONLY = {MailKind.CONFIRMATION, MailKind.REMINDER, MailKind.ARCHIVE, MailKind.PROMOTION}
WITH_CALENDAR = {MailKind.CONFIRMATION}
# The first key of the outbox's advisory locks (the second is the row's id): "mail" in ASCII,
# so they never meet another use of advisory locks in the same database.
ADVISORY_LOCK_CLASS = 0x6D61696C
# How long a "sent" mark is retried, reconnecting, while the database is unreachable (a restart takes seconds).
MARK_RETRY_SECONDS = 60

SENT, RETRY, FAILED, SKIPPED, STOPPED, NOT_CLAIMED = "sent", "retry", "failed", "skipped", "stopped", "not_claimed"


def outbox_due_ids(
    *, now: dt.datetime, older_than: dt.timedelta = dt.timedelta(0), limit: int = BATCH_SIZE
) -> list[int]:
    """Return the ids of pending rows due at `now` (and waiting at least `older_than`), oldest first."""
    due = OutboxMessage.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now - older_than)
    return list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def outbox_deliver(ids=None, *, now: dt.datetime | None = None, limit: int = BATCH_SIZE) -> Counter:
    """Send the given rows, or the due ones, over one mail connection; return counts per outcome.

    Rows already sent, failed, claimed by another worker or not yet due are left
    alone (counted "not_claimed"). When the server goes away the batch stops; its
    remaining rows stay pending for the next task or sweep. Side effects per row:
    status, attempts, last_error, next_attempt_at, sent_at and message_id; the
    subject and bodies when the row is rendered here. Call outside a transaction.
    """
    clock = (lambda: now) if now else timezone.now
    ids = sorted(set(ids)) if ids is not None else outbox_due_ids(now=clock(), limit=limit)
    if not ids:
        return Counter()
    if connection.vendor == "postgresql":
        return _deliver_locked_batch(ids, clock)
    return _deliver_row_by_row(ids, clock)


def _candidates(ids, now: dt.datetime) -> list[OutboxMessage]:
    """Return these rows if still pending and due, with their applications; sessions are read once per batch.

    A batch is mostly one session's mail: joining the session (its texts in every
    language) and series into every row cost more per mail than the rest of it.
    """
    rows = list(
        OutboxMessage.objects.filter(pk__in=list(ids), status=MailStatus.PENDING, next_attempt_at__lte=now)
        .select_related("application")
        .order_by("pk")
    )
    session_ids = {row.application.session_id for row in rows}
    sessions = Session.objects.select_related("series").in_bulk(session_ids) if session_ids else {}
    for row in rows:
        row.application.session = sessions[row.application.session_id]
    return rows


def _deliver_locked_batch(ids: list[int], clock) -> Counter:
    """PostgreSQL: claim the batch with advisory locks, send, mark each row sent on its own; see the docstring."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    # The lock's second key is an int4; ids past 2^31 share keys, which at worst skips a row until unlocked.
    key = "(id %% 2147483648)::int"
    counts = Counter()
    locked: list[int] = []
    sender = _Sender()
    # Inside a caller's transaction (tests) another connection could not see the rows: mark in line there.
    mark = _Mark(table) if connection.in_atomic_block else _MarkOnSecondConnection(table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM unnest(%s::bigint[]) AS id WHERE pg_try_advisory_lock(%s, {key})",  # noqa: S608
                [ids, ADVISORY_LOCK_CLASS],
            )
            locked = [row[0] for row in cursor.fetchall()]
        counts[NOT_CLAIMED] = len(ids) - len(locked)
        # A new statement after the locks were granted: it sees every mark committed before them.
        batch = list(_candidates(locked, clock())) if locked else []
        counts[NOT_CLAIMED] += len(locked) - len(batch)
        _message_ids_assign(batch)
        calendars: dict[tuple[int, str], bytes] = {}
        for message in batch:
            if not _claims_held():
                break  # the connection holding the locks is gone (a database restart): the rows are not ours now
            outcome = _send_claimed(message, sender, mark, calendars, clock())
            counts[outcome] += 1
            if outcome == STOPPED or mark.claims_lost:
                break
    finally:
        sender.close()
        try:
            mark.close()  # every mark committed (or failed) before any lock is released
        finally:
            if locked:
                _unlock(locked, key)
    return +counts


def _claims_held() -> bool:
    """Whether the connection that holds the batch's advisory locks is still open, without a round trip.

    Idle in autocommit, a PostgreSQL connection receives nothing unless the server
    ends it (a restart, a terminated backend): then its socket turns readable.
    Checked before each send, so a batch stops instead of sending rows that
    another worker may claim once the locks are gone.
    """
    raw = connection.connection
    if raw is None or raw.closed:
        return False
    readable, _, _ = select.select([raw], [], [], 0)
    return not readable


def _message_ids_assign(rows: list[OutboxMessage]) -> None:
    """Give each row without one a Message-ID and commit it before any of them is sent: one UPDATE per batch.

    A mail whose "sent" mark is lost (the database restarts, or the worker is
    killed, between the server's 250 and the mark's commit) is sent again later;
    with the Message-ID already stored the copy carries the same one, and
    receiving servers and mail clients drop it as a duplicate. Written only where
    still empty: on SQLite, where rows are not claimed yet, a second worker's id
    for the same row loses and the claim's re-read picks up the one stored.
    """
    fresh = [row for row in rows if not row.message_id]
    if not fresh:
        return
    domain = DNS_NAME.get_fqdn()
    for row in fresh:
        row.message_id = make_msgid(domain=domain)
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS m SET message_id = v.message_id "  # noqa: S608 - only the table is interpolated
                "FROM unnest(%s::bigint[], %s::text[]) AS v(id, message_id) WHERE m.id = v.id AND m.message_id = ''",
                [[row.pk for row in fresh], [row.message_id for row in fresh]],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET message_id = %s WHERE id = %s AND message_id = ''",  # noqa: S608
                [[row.message_id, row.pk] for row in fresh],
            )


def _unlock(locked: list[int], key: str) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(pg_advisory_unlock(%s, {key})) FROM unnest(%s::bigint[]) AS id",  # noqa: S608
                [ADVISORY_LOCK_CLASS, locked],
            )
    except Exception:  # noqa: BLE001 - e.g. the database went away, which released the locks anyway
        logger.warning("Releasing %d outbox locks failed; closing the connection releases them", len(locked))
        connection.close()


def _deliver_row_by_row(ids: list[int], clock) -> Counter:
    """Databases without advisory locks (SQLite): one transaction per row holds the write lock across its send."""
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    where = "id = %s AND status = %s AND next_attempt_at <= %s"
    # Only the quoted table name is interpolated; every value is a query parameter.
    touch = f"UPDATE {table} SET next_attempt_at = next_attempt_at WHERE {where}"  # noqa: S608
    reread = f"SELECT attempts, message_id FROM {table} WHERE id = %s"  # noqa: S608
    counts = Counter()
    sender = _Sender()
    mark = _Mark(table)
    calendars: dict[tuple[int, str], bytes] = {}
    try:
        candidates = _candidates(ids, clock())
        _message_ids_assign(candidates)
        for message in candidates:
            now = clock()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(touch, [message.pk, MailStatus.PENDING, connection.ops.adapt_datetimefield_value(now)])
                if cursor.rowcount != 1:
                    outcome = NOT_CLAIMED
                else:
                    cursor.execute(reread, [message.pk])
                    message.attempts, message.message_id = cursor.fetchone()
                    outcome = _send_claimed(message, sender, mark, calendars, now)
            counts[outcome] += 1
            if outcome == STOPPED:
                break
    finally:
        sender.close()
    return +counts


def _until_committed(write) -> bool:
    """Run `write()`, a statement in autocommit; while the database is unreachable, reconnect and run it again.

    For the "sent" mark of a mail the server has accepted: lost, the mail would be
    sent a second time. Gives up (raises) after MARK_RETRY_SECONDS, or at once
    inside a transaction, which a new connection could not continue. Return
    True when the connection was lost on the way: the advisory locks of the
    batch went with it.
    """
    deadline = time.monotonic() + MARK_RETRY_SECONDS
    # Often: once the database is back, another worker may claim the row (its locks went with the
    # connection); the sooner the mark lands, the smaller that window.
    delay, lost = 0.05, False
    while True:
        try:
            write()
            return lost
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() + delay > deadline:
                raise
            if not lost:
                logger.warning("Database unreachable while marking a sent mail; retrying for up to %d s",
                               MARK_RETRY_SECONDS)
            lost = True
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


class _Mark:
    """Record a sent row with one UPDATE by primary key, built once per batch (the ORM would cost more per mail)."""

    def __init__(self, table: str):
        self.sql = (
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = %s, message_id = %s, last_error = '' "  # noqa: S608
            "WHERE id = %s"
        )
        # Set once a mark needed a new connection: the batch's claims are gone, so it stops.
        self.claims_lost = False

    def params(self, message: OutboxMessage) -> list:
        sent_at = connection.ops.adapt_datetimefield_value(message.sent_at)
        return [MailStatus.SENT, sent_at, message.attempts, message.message_id, message.pk]

    def _execute(self, params: list) -> None:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)

    def __call__(self, message: OutboxMessage) -> None:
        params = self.params(message)
        self.claims_lost |= _until_committed(lambda: self._execute(params))

    def save(self, message: OutboxMessage, fields: list[str]) -> None:
        """Mark with the ORM when more than the mark is stored (what a row rendered at sending said), in line."""
        self.claims_lost |= _until_committed(lambda: message.save(update_fields=fields))

    def close(self) -> None:
        pass


class _MarkOnSecondConnection(_Mark):
    """Commit each mark on a thread with its own database connection, while the next mail is sent.

    With synchronous_commit on, a mark waits for a WAL flush; done in line that
    wait adds to every mail, done here it overlaps the next SMTP exchange. At most
    one mark is in flight: the next waits for it, so the window between a 250 and
    its committed mark stays one round trip and one flush, as in line.
    """

    def __init__(self, table: str):
        super().__init__(table)
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self._in_flight = False
        self._thread = threading.Thread(target=self._run, name="outbox-mark", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # `connection` is per thread: this thread gets a connection of its own, closed when it ends.
        try:
            while (params := self._jobs.get()) is not None:
                try:
                    lost = _until_committed(lambda params=params: self._execute(params))
                except Exception as exc:  # noqa: BLE001 - handed to the sending thread, which stops the batch
                    self._done.put(exc)
                else:
                    self._done.put(lost)
        finally:
            connection.close()

    def _wait(self) -> None:
        if self._in_flight:
            self._in_flight = False
            result = self._done.get()
            if isinstance(result, Exception):
                raise result
            self.claims_lost |= result

    def save(self, message: OutboxMessage, fields: list[str]) -> None:
        self._wait()  # marks stay in order, one at a time
        super().save(message, fields)

    def __call__(self, message: OutboxMessage) -> None:
        try:
            self._wait()
        finally:
            # This row was sent: its mark goes even when the previous one failed (the batch then stops).
            self._jobs.put(self.params(message))
            self._in_flight = True

    def close(self) -> None:
        try:
            self._wait()
        finally:
            self._jobs.put(None)
            self._thread.join()


def _send_claimed(message: OutboxMessage, sender: "_Sender", mark: _Mark, calendars: dict, now: dt.datetime) -> str:
    """Send one row this worker has claimed and record the outcome on it; return the outcome."""
    application = message.application
    if message.kind in FOR_CONFIRMED_ONLY and (
        application.status != ApplicationStatus.CONFIRMED or application.personal_data_erased_at
    ):
        message.status = MailStatus.SKIPPED
        message.last_error = _("Not sent: the application no longer holds a place.")
        message.save(update_fields=["status", "last_error"])
        return SKIPPED
    message.attempts += 1
    if not message.message_id:
        # Normally stored for the whole batch before any send (_message_ids_assign); kept across retries.
        message.message_id = make_msgid(domain=DNS_NAME.get_fqdn())
    fields = ["status", "attempts", "message_id", "last_error", "next_attempt_at", "sent_at"]
    try:
        if not message.subject:
            # Rows added with render=False (the receipt of an application) are rendered here, once,
            # and what was sent is stored with the mark below.
            outbox_render(message)
            fields += ["subject", "body_text", "body_html"]
        raw = mime_bytes(message, calendar=_calendar(message, calendars))
        sender.send(message, raw)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row, then classified
        outcome = _record_failure(message, exc, now)
        message.save(update_fields=fields)
        if outcome == STOPPED:
            sender.close()
        return outcome
    message.status = MailStatus.SENT
    message.sent_at = now
    message.last_error = ""
    if "subject" in fields:
        mark.save(message, fields)
    else:
        mark(message)
    return SENT


def _record_failure(message: OutboxMessage, exc: Exception, now: dt.datetime) -> str:
    """Mark the row failed (permanent) or due again later (temporary); return the outcome."""
    permanent, stop, reason = classify_error(exc)
    message.last_error = reason[:2000]
    if permanent:
        message.status = MailStatus.FAILED
        logger.warning("Outbox row %s failed permanently: %s", message.pk, reason)
        return FAILED
    if message.attempts >= MAX_ATTEMPTS:
        message.status = MailStatus.FAILED
        message.last_error = _("Gave up after %(count)s attempts. Last error: %(reason)s") % {
            "count": message.attempts,
            "reason": reason,
        }
        logger.warning("Outbox row %s failed after %s attempts: %s", message.pk, message.attempts, reason)
        return FAILED
    message.next_attempt_at = now + min(RETRY_BASE * 2 ** (message.attempts - 1), RETRY_MAX)
    log = logger.exception if not isinstance(exc, smtplib.SMTPException | OSError) else logger.info
    log("Outbox row %s will be retried at %s: %s", message.pk, message.next_attempt_at, reason)
    return STOPPED if stop else RETRY


def _smtp_reason(code: int, text) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def classify_error(exc: Exception) -> tuple[bool, bool, str]:
    """Return (permanent, connection unusable, reason) for a sending error.

    Permanent: the server refused this recipient or this message with a 5xx.
    Everything else, including 5xx at the session level (authentication,
    sender), is temporary: a configuration fault must not fail every mail for good.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return code >= 500, code == 421, _smtp_reason(code, text)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500, exc.smtp_code == 421, _smtp_reason(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        return False, True, _smtp_reason(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return False, True, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ValueError):
        # sanitize_address refuses an address no server would take.
        return True, False, f"{type(exc).__name__}: {exc}"
    return False, False, f"{type(exc).__name__}: {exc}"


def _calendar(message: OutboxMessage, cache: dict) -> bytes | None:
    if message.kind not in WITH_CALENDAR:
        return None
    session = message.application.session
    key = (session.pk, message.application.language)
    if key not in cache:
        with translation.override(message.application.language):
            cache[key] = session_calendar(session, private=True)
    return cache[key]


# --- the message on the wire ---

CRLF = b"\r\n"


@functools.lru_cache(maxsize=256)
def _encoded_words(value: str) -> str:
    """Return `value` as RFC 2047 encoded words (UTF-8, base64), folded; whole characters per word.

    Cached: a batch is mostly one session's mail, whose subjects in each language are the same.
    """
    words, chunk, size = [], [], 0
    for char in value:
        width = len(char.encode())
        if size + width > 39:  # 39 octets -> 52 base64 characters: each line stays under 78
            words.append("".join(chunk))
            chunk, size = [], 0
        chunk.append(char)
        size += width
    words.append("".join(chunk))
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(word.encode()).decode()}?=" for word in words)


def _header(name: str, value: str) -> bytes:
    if not value.isascii():
        value = _encoded_words(value)
    return f"{name}: {value}".encode() + CRLF


@functools.lru_cache(maxsize=8)
def _envelope_from(address: str) -> str:
    return parseaddr(address)[1]


@functools.lru_cache(maxsize=64)
def _address(address: str) -> str:
    """Return an address as a header value; for the sender and reply-to addresses, the same every mail."""
    return sanitize_address(address, "utf-8")


def _recipient(address: str) -> str:
    # Plain ASCII addresses need no encoding; anything else (or anything odd) goes through Django's checks.
    if address.isascii() and _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, "utf-8")


_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


@functools.lru_cache(maxsize=2)
def _date(second: int) -> str:
    # formatdate with the local zone costs more than the rest of the headers: once per second.
    return formatdate(second, localtime=True)


@functools.lru_cache(maxsize=32)
def _calendar_part(calendar: bytes, slug: str) -> bytes:
    # The same .ics for every confirmation of a session in one language: encoded once, not per mail.
    return _part(
        'text/calendar; charset="utf-8"; method=PUBLISH',
        calendar,
        (f'Content-Disposition: attachment; filename="{slug}.ics"',),
    )


def _part(content_type: str, body: bytes, extra: tuple[str, ...] = ()) -> bytes:
    body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if max((len(line) for line in body.split(CRLF)), default=0) > 990:
        # 8bit lines may not exceed 998 octets; base64 has no such limit.
        body, encoding = base64.encodebytes(body).replace(b"\n", CRLF), "base64"
    else:
        encoding = "8bit"
    head = [f"Content-Type: {content_type}", f"Content-Transfer-Encoding: {encoding}", *extra]
    return CRLF.join(line.encode() for line in head) + CRLF + CRLF + body


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    boundary = f"=_{secrets.token_hex(12)}"
    body = b"".join(b"--" + boundary.encode() + CRLF + part + CRLF for part in parts)
    return f'multipart/{subtype}; boundary="{boundary}"', body + b"--" + boundary.encode() + b"--" + CRLF


def mime_bytes(message: OutboxMessage, *, calendar: bytes | None = None) -> bytes:
    """Return the mail as sent: headers, text and HTML alternatives, the .ics attached if given.

    Built directly rather than through email.mime: the same RFC 5322/2045
    structure Django produces (UTF-8, 8bit bodies, encoded-word headers) at a
    tenth of the cost, which is what lets one worker keep up with the SMTP server.
    """
    text = _part('text/plain; charset="utf-8"', message.body_text.encode())
    if message.body_html:
        html = _part('text/html; charset="utf-8"', message.body_html.encode())
        content_type, body = _multipart("alternative", [text, html])
        first = f"Content-Type: {content_type}".encode() + CRLF + CRLF + body
    else:
        first = text
    if calendar is not None:
        content_type, body = _multipart("mixed", [first, _calendar_part(calendar, message.application.session.slug)])
        top = f"Content-Type: {content_type}".encode() + CRLF + CRLF + body
    else:
        top = first
    series = message.application.session.series
    headers = b"".join(
        [
            _header("From", _address(settings.DEFAULT_FROM_EMAIL)),
            _header("To", _recipient(message.to_email)),
            _header("Reply-To", _address(series.contact_email)),
            _header("Subject", message.subject),
            _header("Date", _date(int(time.time()))),
            _header("Message-ID", message.message_id),
            _header("MIME-Version", "1.0"),
            # Tells autoresponders not to answer (RFC 3834).
            _header("Auto-Submitted", "auto-generated"),
        ]
    )
    return headers + top


class _StoredMessage(EmailMultiAlternatives):
    """A Django message whose MIME form is the bytes we built, for non-SMTP backends (file, console, memory)."""

    def __init__(self, raw: bytes, **kwargs):
        super().__init__(**kwargs)
        self._raw = raw

    def message(self):
        return email.message_from_bytes(self._raw)


class _Sender:
    """One connection of the configured mail backend, opened on first use, reused for the batch.

    With Django's SMTP backend (EMAIL_URL / EMAIL_* settings honoured: host,
    port, TLS, login, timeout) the prepared bytes go straight to its smtplib
    connection; any other backend gets a Django message.
    """

    def __init__(self):
        self.backend = None

    def send(self, message: OutboxMessage, raw: bytes) -> None:
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
        if isinstance(self.backend, SMTPBackend):
            if self.backend.connection is None:
                self.backend.open()
            envelope_from = _envelope_from(settings.DEFAULT_FROM_EMAIL)
            self.backend.connection.sendmail(envelope_from, [message.to_email], raw)
            return
        self.backend.open()
        stored = _StoredMessage(
            raw,
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
        )
        if message.body_html:
            stored.attach_alternative(message.body_html, "text/html")
        self.backend.send_messages([stored])

    def close(self) -> None:
        if self.backend is not None:
            try:
                self.backend.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
                logger.debug("Closing the mail connection failed", exc_info=True)
            self.backend = None

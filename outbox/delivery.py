"""Sending the outbox: claim a batch of due rows, send them over one connection, mark each one.

The guarantees
--------------
- **At most once, with one exception.** A batch is claimed in one short
  transaction: the due rows are selected with `select_for_update(skip_locked=True)`
  and set to "sending" until `claimed_until` (now + OUTBOX_CLAIM_SECONDS). Two
  workers, beat's run racing the task queued on commit, or a task delivered twice
  (acks_late) never hold the same row. Each mail is marked sent by its own UPDATE
  right after the server's 250, and that mark is retried on a new connection
  while the database is away (a restart), for up to MARK_RETRY_SECONDS, well
  inside the claim. The exception: a worker killed between the server's 250 and
  its mark leaves the row "sending"; once the claim has run out it goes again,
  with the same Message-ID (given when the row was added), so receiving servers
  and clients can drop the copy.
- **Nothing is lost.** Rows are written with the event that causes them (outbox.services);
  a broker that is down only delays them until beat's next run. A worker killed
  mid-batch leaves its unsent rows "sending" until their claim runs out; then the
  next run takes them. A worker that stops for any other reason puts its unsent
  rows back to pending at once.
- **Temporary and permanent failures.** A 4xx, a dropped connection or anything
  unexpected keeps the row pending with exponential backoff, up to MAX_ATTEMPTS;
  a 5xx for the recipient or the message (or an address no server would take)
  fails the row with the reason, shown to the office. After any error the
  connection is closed and opened again for the next row, so one refused or
  broken recipient never stalls the rows after it; only when the server cannot
  be reached at all does the batch stop and hand its rows back.
- **A slow worker is not overtaken unawares:** before each send it checks that
  its claim still runs; if not, it stops and leaves the rows to the next run.

Why a claim with an expiry rather than locks held across the sends (advisory or
row locks): the claim is two plain statements, works the same on SQLite (whose
transactions are made IMMEDIATE in settings, so claims queue instead of
colliding), and holds no transaction open while talking to the mail server. Its
cost is the wait after a hard kill: the killed worker's rows go out one claim
period later.

Mail goes through Django's mail API (`EmailMultiAlternatives`, the configured
backend, one connection per batch): the SMTP backend in production, a folder of
readable files for a newcomer. EMAIL_MAX_PER_SECOND spaces the sends of each
worker process, for relays that limit senders.
"""
import datetime as dt
import logging
import smtplib
import time
from collections import Counter

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Message, MessageStatus

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
MAX_ATTEMPTS = 8
RETRY_BASE = dt.timedelta(minutes=1)
RETRY_MAX = dt.timedelta(hours=6)
# How long a "sent" mark is retried while the database is away; shorter than any claim.
MARK_RETRY_SECONDS = 60

SENT, RETRY, FAILED, RELEASED = "sent", "retry", "failed", "released"


class Pacer:
    """Space calls to `wait` at least 1/`per_second` apart (no wait when `per_second` is falsy).

    `clock` and `sleep` are parameters so a test can drive it with a clock of its own.
    """

    def __init__(self, per_second: float | None, *, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1 / per_second if per_second else 0
        self.clock, self.sleep = clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def messages_due(now: dt.datetime):
    """Return the rows that may be claimed at `now`: pending and due, or sending with their claim run out."""
    return Message.objects.filter(
        Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=MessageStatus.SENDING, claimed_until__lt=now)
    )


def outbox_claim(*, now: dt.datetime, limit: int = BATCH_SIZE) -> list[Message]:
    """Claim up to `limit` due rows for this worker until now + OUTBOX_CLAIM_SECONDS; return them, oldest first."""
    with transaction.atomic():
        rows = list(
            messages_due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")[:limit]
        )
        until = now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
        Message.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=MessageStatus.SENDING, claimed_until=until
        )
    for row in rows:
        row.status, row.claimed_until = MessageStatus.SENDING, until
    return rows


def outbox_send_due(*, clock=timezone.now, pacer: Pacer | None = None, limit: int = BATCH_SIZE) -> Counter:
    """Claim one batch of due rows and send it over one mail connection; return counts per outcome.

    Call outside a transaction: each mark must commit on its own.
    """
    batch = outbox_claim(now=clock(), limit=limit)
    if not batch:
        return Counter()
    pacer = pacer or Pacer(settings.EMAIL_MAX_PER_SECOND)
    counts = Counter()
    mail = get_connection(fail_silently=False)
    opened = False
    try:
        for index, row in enumerate(batch):
            # Wait for the rate first, so the claim is checked after the wait, right before the send.
            pacer.wait()
            now = clock()
            if now >= row.claimed_until:
                counts[RELEASED] += _release(batch[index:])
                break
            try:
                if not opened:
                    mail.open()
                    opened = True
                mail.send_messages([_email(row)])
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row, then classified
                opened = _close(mail)
                outcome, unreachable = _record_failure(row, exc, now)
                counts[outcome] += 1
                if unreachable:
                    counts[RELEASED] += _release(batch[index + 1 :])
                    break
                continue
            _mark_sent(row, now)
            counts[SENT] += 1
    finally:
        _close(mail)
    return +counts


def _email(row: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to_email],
        reply_to=[row.reply_to] if row.reply_to else None,
        # Auto-Submitted tells autoresponders not to answer (RFC 3834).
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
    )
    if row.body_html:
        email.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return email


def _close(mail) -> bool:
    try:
        mail.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
        logger.debug("Closing the mail connection failed", exc_info=True)
    return False


def _mark_sent(row: Message, now: dt.datetime) -> None:
    """Record the row as sent; while the database is unreachable, reconnect and try again (see the docstring)."""
    deadline = time.monotonic() + MARK_RETRY_SECONDS
    delay = 0.05
    while True:
        try:
            Message.objects.filter(pk=row.pk).update(
                status=MessageStatus.SENT, sent_at=now, attempts=F("attempts") + 1, last_error="", claimed_until=None
            )
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() + delay > deadline:
                raise
            logger.warning("Database unreachable while marking a sent mail; trying again")
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def _release(rows: list[Message]) -> int:
    """Hand claimed rows back, unsent, to the next run."""
    return Message.objects.filter(pk__in=[row.pk for row in rows], status=MessageStatus.SENDING).update(
        status=MessageStatus.PENDING, claimed_until=None
    )


def _record_failure(row: Message, exc: Exception, now: dt.datetime) -> tuple[str, bool]:
    """Mark the row failed (permanent) or due again later (temporary); return (outcome, server unreachable)."""
    permanent, unreachable, reason = classify_error(exc)
    attempts = row.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        status, outcome, next_at = MessageStatus.FAILED, FAILED, row.next_attempt_at
        if not permanent:
            reason = f"Gave up after {attempts} attempts. Last error: {reason}"
        logger.warning("Outbox row %s failed: %s", row.pk, reason)
    else:
        status, outcome = MessageStatus.PENDING, RETRY
        next_at = now + min(RETRY_BASE * 2 ** (attempts - 1), RETRY_MAX)
        log = logger.info if isinstance(exc, smtplib.SMTPException | OSError) else logger.exception
        log("Outbox row %s will be tried again at %s: %s", row.pk, next_at, reason)
    Message.objects.filter(pk=row.pk).update(
        status=status, attempts=attempts, last_error=reason[:2000], next_attempt_at=next_at, claimed_until=None
    )
    return outcome, unreachable


def _smtp_reason(code: int, text) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}".strip()


def classify_error(exc: Exception) -> tuple[bool, bool, str]:
    """Return (permanent, server unreachable, reason) for a sending error.

    Permanent: the server refused this recipient or this message with a 5xx, or the
    address cannot be written in an envelope. A 5xx at the session level
    (authentication, sender) is temporary: a configuration fault must not fail
    every mail for good. Unreachable: the connection could not be made or was
    dropped, or the server said 421 (closing).
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return code >= 500, code == 421, _smtp_reason(code, text)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500, exc.smtp_code == 421, _smtp_reason(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        # Refused at the session level (sender, authentication): every other row would be too.
        return False, True, _smtp_reason(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return False, True, f"{type(exc).__name__}: {exc}"
    if isinstance(exc, ValueError):
        # Django's sanitize_address refuses an address no server would take.
        return True, False, f"{type(exc).__name__}: {exc}"
    return False, False, f"{type(exc).__name__}: {exc}"

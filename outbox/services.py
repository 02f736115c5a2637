"""Adding mail to the outbox, and what the app that added it may do with its rows later.

`outbox_add` is the one way a mail comes into being: call it inside the
transaction of the event that causes the mail, so both commit or neither does.
After commit a delivery task is queued (outbox.tasks.send_due); a broker that
is down loses nothing, because beat runs the same task every 30 seconds and it
sends whatever is due.
"""
import datetime as dt
import logging
import uuid
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.mail import make_msgid
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .models import Message, MessageStatus

logger = logging.getLogger(__name__)

# A broker that refuses must not keep a request waiting: one quick retry, then beat's turn.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def outbox_add(
    *,
    key: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    reply_to: str = "",
    attachments: Iterable[dict] = (),
    kind: str = "",
    about: models.Model | None = None,
    data: dict | None = None,
    resend_of: Message | None = None,
    now: dt.datetime | None = None,
    queue: bool = True,
) -> Message | None:
    """Add one mail unless a mail with `key` exists; return the new row, or None if the key was taken.

    `about` is what caused the mail (e.g. an application): the row keeps a generic
    reference to it. `attachments` are dicts with filename, mimetype and text content.
    The row gets its Message-ID now, so a copy sent twice (see outbox.delivery) carries the same one.
    Side effects: the row; after commit, a delivery task unless `queue` is False
    (a caller adding many rows queues once with `outbox_queue_on_commit`).
    """
    now = now or timezone.now()
    message = Message(
        key=key,
        kind=kind,
        about=about,
        resend_of=resend_of,
        to_email=to,
        reply_to=reply_to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=list(attachments),
        data=data or {},
        message_id=make_msgid(domain=DNS_NAME.get_fqdn()),
        created_at=now,
        next_attempt_at=now,
    )
    try:
        # A savepoint, so a key that exists leaves the caller's transaction usable.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if Message.objects.filter(key=key).exists():
            return None
        raise
    if queue:
        outbox_queue_on_commit()
    return message


def outbox_resend(message: Message, *, now: dt.datetime | None = None, **changes) -> Message:
    """Send a mail again as a new row linked to `message`, with `changes` (e.g. a new body); the original stays.

    Each resend gets a key of its own, so a second resend is a third row rather than nothing.
    """
    fields = {
        "to": message.to_email, "subject": message.subject, "body_text": message.body_text,
        "body_html": message.body_html, "reply_to": message.reply_to, "attachments": message.attachments,
        "kind": message.kind, "about": message.about, "data": message.data,
    }
    fields.update(changes)
    key = f"{message.key}:resend:{uuid.uuid4().hex[:12]}"
    return outbox_add(key=key, resend_of=message, now=now, **fields)


def outbox_queue_on_commit() -> None:
    """Queue a delivery task once the current transaction commits (at once outside one)."""
    transaction.on_commit(outbox_queue)


def outbox_queue() -> None:
    """Queue a task that sends every due row; log and carry on when the broker cannot be reached."""
    from .tasks import send_due

    try:
        send_due.apply_async(retry_policy=PUBLISH_RETRY_POLICY)
    except Exception:  # noqa: BLE001 - whatever the broker raises, the rows are saved and beat sends them
        logger.warning("Could not queue an outbox delivery task; beat's run will send the mail", exc_info=True)


def messages_about(objects: models.QuerySet) -> models.QuerySet:
    """Return the outbox rows about the objects of this queryset."""
    content_type = ContentType.objects.get_for_model(objects.model)
    return Message.objects.filter(content_type=content_type, object_id__in=objects.values("pk"))


def outbox_skip(messages: models.QuerySet, *, reason: str) -> int:
    """Mark the rows among `messages` still waiting as not to be sent, with `reason`; return how many."""
    return messages.filter(status=MessageStatus.PENDING).update(status=MessageStatus.SKIPPED, last_error=reason)


def outbox_erase(messages: models.QuerySet, *, reason: str) -> int:
    """Erase what identifies a person in these rows: address, texts, attachments, error; skip those still waiting.

    Return how many rows were erased. The key, kind, reference, status and times stay.
    """
    outbox_skip(messages, reason=reason)
    return messages.update(
        to_email="", reply_to="", subject="", body_text="", body_html="", attachments=[], data={},
        last_error=models.Case(
            models.When(status=MessageStatus.SKIPPED, then=models.Value(reason)), default=models.Value("")
        ),
    )

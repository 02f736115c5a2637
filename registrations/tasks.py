"""Celery tasks for the outbox: thin wrappers, IDs only; the services do the work.

acks_late with reject_on_worker_lost: a task whose worker dies is delivered again,
which is safe because delivery skips rows already sent (registrations/mail.py).
"""
import datetime as dt
import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .mail import STOPPED, outbox_deliver, outbox_due_ids
from .outbox import mail_waves_open, outbox_wake_clear

# A sweep stops starting new batches after this long, so beat's next sweep never queues behind it.
SWEEP_BUDGET_SECONDS = 50


@shared_task(name="registrations.deliver_outbox_message", acks_late=True, reject_on_worker_lost=True)
def deliver_outbox_message(*, message_id: int) -> None:
    """Send one outbox row (queued by outbox_enqueue; outbox_add now queues deliver_due_outbox)."""
    outbox_deliver([message_id])


@shared_task(name="registrations.deliver_due_outbox", acks_late=True, reject_on_worker_lost=True)
def deliver_due_outbox() -> None:
    """Send every due row (queued after commit by outbox_wake when no such task was waiting)."""
    # Cleared before the rows are read: a row whose writer found the flag set is then always read here.
    outbox_wake_clear()
    _deliver_due(grace=dt.timedelta(0))


@shared_task(name="registrations.deliver_outbox_messages", acks_late=True, reject_on_worker_lost=True)
def deliver_outbox_messages(*, message_ids: list[int]) -> None:
    """Send a chunk of outbox rows over one connection (queued on commit by a mail wave)."""
    outbox_deliver(message_ids)


@shared_task(name="registrations.sweep_outbox", acks_late=True)
def sweep_outbox() -> None:
    """Send every row still pending a while after it was due: broker was down, worker died, retry is due."""
    _deliver_due(grace=dt.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS))


def _deliver_due(*, grace: dt.timedelta) -> None:
    """Send due rows (pending at least `grace`) batch after batch, for at most SWEEP_BUDGET_SECONDS."""
    started = time.monotonic()
    while time.monotonic() - started < SWEEP_BUDGET_SECONDS:
        ids = outbox_due_ids(now=timezone.now(), older_than=grace)
        if not ids:
            return
        counts = outbox_deliver(ids)
        if counts[STOPPED] or not (counts.total() - counts["not_claimed"]):
            # The server went away, or other workers hold all these rows: the next sweep tries again.
            return


@shared_task(name="registrations.open_mail_waves", acks_late=True)
def open_mail_waves() -> None:
    """Add the confirmation, reminder and archive mail that is due now (each row once)."""
    mail_waves_open()

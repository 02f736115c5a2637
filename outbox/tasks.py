"""The outbox's one task: send what is due, batch after batch (queued on commit, and by beat every 30 s).

acks_late with reject_on_worker_lost: a task whose worker dies is delivered again,
which is safe because rows are claimed (outbox.delivery).
"""
import time

from celery import shared_task
from django.conf import settings

from .delivery import Pacer, outbox_send_due

# A run stops starting new batches after this long, so beat's next run never queues behind it.
RUN_BUDGET_SECONDS = 50


@shared_task(name="outbox.send_due", acks_late=True, reject_on_worker_lost=True)
def send_due() -> None:
    """Send every due row, one claimed batch at a time, until none is left or the budget is spent."""
    started = time.monotonic()
    pacer = Pacer(settings.EMAIL_MAX_PER_SECOND)  # one for the run: the rate holds across batches too
    while time.monotonic() - started < RUN_BUDGET_SECONDS:
        counts = outbox_send_due(pacer=pacer)
        if not counts or counts["released"]:
            # Nothing due, or the server cannot be reached: the next run tries again.
            return

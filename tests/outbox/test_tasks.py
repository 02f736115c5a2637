"""The outbox's task in a real Celery worker: a worker killed mid-batch, then restarted, sends each mail exactly once.

Counting happens at the SMTP server. The kill is placed deterministically: the
server holds the 60th recipient's RCPT unanswered (so that mail is never
accepted), the test SIGKILLs the whole worker process group, then releases the server.
"""
import asyncio
import threading

import pytest
from django.db import transaction
from django.utils import timezone

from outbox.models import Message, MessageStatus
from outbox.services import outbox_add, outbox_queue_on_commit
from outbox.tasks import send_due
from tests.registrations.mailservers import Worker, purge_queue, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROWS = 200
KILL_AT = 60


def test_worker_killed_mid_batch_sends_each_of_200_exactly_once_after_restart(smtp, worker_var):
    reached, released = threading.Event(), threading.Event()
    seen = []

    async def hold_the_sixtieth(address):
        seen.append(address)
        if len(seen) == KILL_AT:
            reached.set()
            while not released.is_set():
                await asyncio.sleep(0.05)
        return None

    smtp.handler.rcpt_hook = hold_the_sixtieth
    purge_queue()
    first = Worker(smtp, worker_var).start()
    try:
        with transaction.atomic():
            for number in range(ROWS):
                outbox_add(
                    key=f"test:{number}", to=f"person{number}@example.jp", subject=f"Mail {number}",
                    body_text="Hello.\n", queue=False,
                )
            outbox_queue_on_commit()  # one task for all of them, as a wave queues
        wait_for(reached.is_set, what=f"the worker to reach mail {KILL_AT}")
        first.kill()
    finally:
        released.set()
        first.stop()

    # 59 sent and marked; the rest of the killed worker's batch stays claimed; the next batch was never claimed.
    assert smtp.handler.count() == KILL_AT - 1
    assert Message.objects.filter(status=MessageStatus.SENT).count() == KILL_AT - 1
    assert Message.objects.filter(status=MessageStatus.SENDING).exists()
    # The dead worker's claims run out after OUTBOX_CLAIM_SECONDS (5 s in the worker's env).
    wait_for(
        lambda: not Message.objects.filter(status=MessageStatus.SENDING, claimed_until__gte=timezone.now()).exists(),
        timeout=30,
        what="the killed worker's claims to run out",
    )

    second = Worker(smtp, worker_var).start()
    try:
        send_due.delay()  # beat's run after the restart
        wait_for(
            lambda: not Message.objects.exclude(status=MessageStatus.SENT).exists(),
            timeout=120,
            what=f"all {ROWS} mails to be sent",
        )
    finally:
        second.stop()
        purge_queue()

    assert smtp.handler.per_recipient() == {f"person{number}@example.jp": 1 for number in range(ROWS)}

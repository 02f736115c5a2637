"""A worker killed in the middle of a batch: after a restart every mail is sent exactly once.

Counting happens at the SMTP server. The kill is placed deterministically: the
server holds the 60th recipient's RCPT unanswered, the test SIGKILLs the whole
worker process group, then releases the server.
"""
import asyncio
import threading

import pytest
from django.db import transaction

from registrations.enums import MailKind, MailStatus
from registrations.models import OutboxMessage
from registrations.outbox import outbox_add, outbox_enqueue
from registrations.tasks import sweep_outbox
from tests.factories import ApplicationFactory, SessionFactory
from tests.registrations.mailservers import Worker, purge_queue, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BATCH = 200
KILL_AT = 60


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """Replaces the package's cache-clearing fixture, which would empty the broker's Redis database."""
    yield


def test_worker_killed_mid_batch_sends_each_of_200_exactly_once_after_restart(smtp, worker_var):
    session = SessionFactory()
    with transaction.atomic():
        rows = [
            outbox_add(application=application, kind=MailKind.RECEIPT, context={"status": "confirmed"}, enqueue=False)
            for application in ApplicationFactory.create_batch(BATCH, session=session)
        ]
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
        outbox_enqueue([row.pk for row in rows])
        wait_for(reached.is_set, what=f"the worker to reach mail {KILL_AT}")
        first.kill()
    finally:
        released.set()
        first.stop()

    assert smtp.handler.count() == KILL_AT - 1
    assert OutboxMessage.objects.filter(status=MailStatus.SENT).count() == KILL_AT - 1

    second = Worker(smtp, worker_var).start()
    try:
        sweep_outbox.delay()  # beat's sweep after the restart
        wait_for(
            lambda: not OutboxMessage.objects.exclude(status=MailStatus.SENT).exists(),
            timeout=120,
            what="all 200 mails to be sent",
        )
    finally:
        second.stop()
        purge_queue()

    counts = smtp.handler.per_recipient()
    assert sorted(counts) == sorted(row.to_email for row in rows)
    assert set(counts.values()) == {1}

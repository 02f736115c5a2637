"""A worker that is connected but no longer consumes restarts itself, and the mail that waited goes out.

The stuck state is made the way Celery's remote control allows: the worker is told to
stop consuming its queue (as the Redis-reconnection bug leaves it, config/worker_watchdog.py).
"""
import socket
import time

import pytest
from django.db import transaction

from outbox.services import outbox_queue
from registrations.enums import MailKind
from registrations.notifications import application_notify
from tests.factories import ApplicationFactory
from tests.registrations.mailservers import Worker, purge_queue, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

STALL_SECONDS = 3


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """Replaces the package's cache-clearing fixture, which would empty the broker's Redis database."""
    yield


def test_a_worker_that_stops_consuming_restarts_itself_and_sends_the_waiting_receipt(smtp, worker_var):
    from config.celery import app

    purge_queue()
    worker = Worker(smtp, worker_var)
    worker.env["WORKER_STALL_SECONDS"] = str(STALL_SECONDS)
    worker.start()
    try:
        # Idle with an empty queue for longer than the stall time: that is not stuck.
        time.sleep(STALL_SECONDS + 2)
        assert b"restarting it" not in worker.log_path.read_bytes()

        hostname = worker.name.replace("%h", socket.gethostname())
        replies = app.control.cancel_consumer(app.conf.task_default_queue, destination=[hostname], reply=True)
        assert replies, "the worker did not answer the remote control"
        with transaction.atomic():
            row = application_notify(ApplicationFactory(), MailKind.RECEIPT, data={"status": "confirmed"}, queue=False)
        outbox_queue()

        wait_for(lambda: smtp.handler.count() >= 1, timeout=90, what="the receipt after the worker restarted")
    finally:
        worker.stop()
        purge_queue()

    log = worker.log_path.read_bytes()
    assert b"received no task" in log and b"restarting it" in log
    assert log.count(b" ready.") == 2  # started, then started again by itself
    assert smtp.handler.per_recipient() == {row.to_email: 1}

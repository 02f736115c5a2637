"""Restart a Celery worker that is connected but no longer takes tasks from its queue.

After the Redis broker restarts, a Celery 5 worker sometimes reconnects and then
never consumes again (celery/celery#8091, #9054, #10205; seen here in bench/drill.py's
Redis drill: 1,307 receipts waited until another worker started). No mail is lost,
since the rows stay pending, but none goes out either.

The watchdog is a thread in the worker's main process. A worker is stuck when,
for WORKER_STALL_SECONDS:
- it holds no task (none running, none reserved);
- it has received none;
- and messages wait in its queue (beat's outbox sweep queues one every 30 s).

The thread then asks Celery for a warm restart, the SIGHUP Celery documents
("restart the worker": running tasks finish, then the worker executes itself
again; in a terminal Celery installs no such handler and SIGHUP ends the worker).
acks_late and the sweep send what was pending. If the worker has not
restarted a minute later (its event loop frozen), the process exits with status 70,
so that its process manager starts a new one.
"""
import logging
import os
import signal
import threading
import time

from celery import signals

logger = logging.getLogger(__name__)

EXIT_STUCK = 70  # EX_SOFTWARE
HARD_EXIT_AFTER_SECONDS = 60


class Watchdog:
    def __init__(self, app, *, stall_seconds: float):
        self.app = app
        self.stall_seconds = stall_seconds
        self.last_received = time.monotonic()
        self.restart_asked_at = None

    def task_received(self, **_kwargs) -> None:
        self.last_received = time.monotonic()

    def start(self) -> None:
        threading.Thread(target=self._run, name="worker-watchdog", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(max(1.0, self.stall_seconds / 4))
            try:
                self.check()
            except Exception:  # noqa: BLE001 - the watchdog must never take the worker down by itself
                logger.warning("Worker watchdog check failed", exc_info=True)

    def check(self) -> bool:
        """Return whether the worker is stuck; if it is, restart it (see the module's docstring)."""
        now = time.monotonic()
        if self.restart_asked_at is not None:
            if now - self.restart_asked_at > HARD_EXIT_AFTER_SECONDS:
                logger.error("Celery worker did not restart after %d s; exiting for its process manager",
                             HARD_EXIT_AFTER_SECONDS)
                os._exit(EXIT_STUCK)
            return True
        if now - self.last_received < self.stall_seconds or self._holds_tasks():
            return False
        waiting = self._waiting_messages()
        if not waiting:
            return False
        logger.error(
            "Celery worker received no task for %d s while %d wait in its queue; restarting it",
            self.stall_seconds, waiting,
        )
        self.restart_asked_at = now
        os.kill(os.getpid(), signal.SIGHUP)
        return True

    @staticmethod
    def _holds_tasks() -> bool:
        from celery.worker import state

        return bool(state.active_requests or state.reserved_requests)

    def _waiting_messages(self) -> int:
        queue = self.app.conf.task_default_queue
        with self.app.connection_for_read() as connection:
            try:
                return connection.default_channel.queue_declare(queue=queue, passive=True).message_count
            except connection.channel_errors:
                return 0  # Redis keeps no empty list: a queue with nothing waiting is "not found"


def install(app) -> None:
    """Start a watchdog in each worker's main process once it is ready (WORKER_STALL_SECONDS=0: none)."""

    def on_ready(**_kwargs):
        from django.conf import settings

        stall_seconds = settings.WORKER_STALL_SECONDS
        if stall_seconds <= 0:
            return
        watchdog = Watchdog(app, stall_seconds=stall_seconds)
        signals.task_received.connect(watchdog.task_received, weak=False)
        watchdog.start()

    signals.worker_ready.connect(on_ready, weak=False)

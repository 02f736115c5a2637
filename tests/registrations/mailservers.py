"""Real servers for mail tests: an aiosmtpd SMTP server on loopback and Celery worker processes.

Imported by the conftest modules of tests/registrations and tests/outbox, and by their mail tests.
"""
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float = 60, what: str = "condition"):
    """Poll until `predicate()` is truthy; fail the test after `timeout` seconds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@dataclass
class Recorder:
    """An SMTP handler that keeps every accepted message; replies to DATA can be scripted."""

    received: list = field(default_factory=list)
    envelope_senders: list = field(default_factory=list)
    data_replies: list = field(default_factory=list)
    rcpt_hook: object = None
    # Called (in the server's thread) with the recipients of each message accepted, before the 250 goes out.
    accepted_hook: object = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_hook is not None:
            reply = await self.rcpt_hook(address)
            if reply:
                return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.data_replies.pop(0) if self.data_replies else "250 OK"
            if reply.startswith("250"):
                self.received.append((list(envelope.rcpt_tos), envelope.original_content or envelope.content))
                self.envelope_senders.append(envelope.mail_from)
            hook = self.accepted_hook if reply.startswith("250") else None
        if hook is not None:
            hook(list(envelope.rcpt_tos))
        return reply

    def reset(self):
        with self.lock:
            self.received.clear()
            self.envelope_senders.clear()
            self.data_replies.clear()
            self.rcpt_hook = None
            self.accepted_hook = None
            self.connections = 0

    def senders(self) -> list[str]:
        """Return the envelope sender (MAIL FROM) of each accepted message."""
        with self.lock:
            return list(self.envelope_senders)

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def to(self, address: str) -> list:
        """Return the parsed messages received for `address`."""
        with self.lock:
            return [
                email.message_from_bytes(raw, policy=policy.default) for rcpts, raw in self.received if address in rcpts
            ]

    def per_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for rcpts, _raw in self.received:
                for rcpt in rcpts:
                    counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts


class SMTPServer:
    def __init__(self):
        self.handler = Recorder()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def smtp_settings(settings, server: SMTPServer) -> None:
    """Point this process's Django mail at `server` (pytest-django sets the memory backend otherwise)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10


class Worker:
    """A `celery -A config worker` process on the test database, Redis and the test SMTP server."""

    def __init__(self, smtp: SMTPServer, var_dir: Path, *, concurrency: int = 1):
        db = connection.settings_dict
        self.name = f"mailtest-{uuid.uuid4().hex[:8]}@%h"
        self.log_path = var_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.env = os.environ | {
            "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": settings.REDIS_URL,
            "EMAIL_URL": smtp.url,
            "VAR_DIR": str(var_dir),
            # A killed worker's claimed rows go again after this; short, so the tests need not wait long.
            "OUTBOX_CLAIM_SECONDS": "5",
            "PYTHONUNBUFFERED": "1",
        }
        self.concurrency = concurrency
        self.process = None

    def start(self) -> "Worker":
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            # The `celery` command, as the Procfile runs it (a SIGHUP restart re-executes this command line).
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-n", self.name,
             "--loglevel", "INFO", "--concurrency", str(self.concurrency),
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: b" ready." in self.log_path.read_bytes() or self.process.poll() is not None,
                 timeout=60, what="the Celery worker to start")
        assert self.process.poll() is None, self.log_path.read_text(errors="replace")[-3000:]
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as an OOM killer or a lost host would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def purge_queue() -> None:
    from config.celery import app

    app.control.purge()


@pytest.fixture(scope="module")
def smtp_sink():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_sink, settings):
    """The module's SMTP server, emptied, with this process's mail pointed at it."""
    smtp_sink.handler.reset()
    smtp_settings(settings, smtp_sink)
    yield smtp_sink
    smtp_sink.handler.reset()


@pytest.fixture(scope="module")
def worker_var(tmp_path_factory):
    path = tmp_path_factory.mktemp("worker-var")
    return path


@pytest.fixture
def celery_worker(django_db_setup, django_db_blocker, smtp_sink, worker_var):
    """A worker process for one test.

    Not shared across tests: each transactional test's flush creates the content types
    again under new ids, and a worker kept from an earlier test would still use the old
    ones from its cache (outbox rows refer to what caused them by content type).
    """
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        yield None  # the test's own markers skip or fail it
        return
    purge_queue()
    worker = Worker(smtp_sink, worker_var).start()
    yield worker
    worker.stop()

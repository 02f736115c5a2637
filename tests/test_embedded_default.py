"""The embedded default stays up: web, Celery worker and beat on SQLite and the SQLite broker, for minutes.

No marker: it needs no server (no PostgreSQL, no Redis), so it runs in every plain pytest run, CI's
included. It takes about two and a half minutes: applications arrive once a second for two minutes
while beat publishes the receipt task every 2 seconds and the worker consumes it, the load under which
kombu's folder transport lost its worker to a half-written message within minutes.

The three processes run the commands scripts/start runs (config/supervisord.conf), each a plain
subprocess of this test, not under supervisor: a worker that exits must be seen, not started again.
"""
import configparser
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import REPO
from tests.registrations.conftest import applicant_data

APPLYING_SECONDS = 120

SESSION_SCRIPT = """
import datetime as dt
import django
django.setup()
from django.utils import timezone
from tests.factories import SessionFactory
today = timezone.localdate()
session = SessionFactory(
    starts_at=timezone.now() + dt.timedelta(days=20),
    applications_open_on=today - dt.timedelta(days=1),
    applications_close_on=today + dt.timedelta(days=10),
)
print(session.slug)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _programs(port: int) -> dict[str, list[str]]:
    """Return each program's command line as scripts/start runs it (config/supervisord.conf)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "config" / "supervisord.conf")
    return {
        section.removeprefix("program:"): shlex.split(parser[section]["command"].replace("%(ENV_PORT)s", str(port)))
        for section in parser.sections()
        if section.startswith("program:")
    }


def _wait_for(predicate, *, timeout: float, what: str):
    """Poll until `predicate()` is truthy; fail after `timeout` seconds (a wait, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _mails_per_recipient(mail_dir: Path) -> dict[str, list[str]]:
    """Return the subjects of the mails written to var/mail (Django's file backend), by recipient."""
    separator = b"\n" + b"-" * 79 + b"\n"
    subjects: dict[str, list[str]] = {}
    for path in sorted(mail_dir.glob("*.log")):
        for raw in path.read_bytes().split(separator):
            if raw.strip():
                message = message_from_bytes(raw.strip(b"\n"), policy=policy.default)
                subjects.setdefault(str(message["To"]), []).append(str(message["Subject"]))
    return subjects


class Portal:
    """The embedded default's processes on a VAR_DIR of their own, with the test's environment but no servers."""

    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items()
               if k not in ("DATABASE_URL", "REDIS_URL", "CACHE_URL", "EMAIL_URL", "REQUIRE_SERVICES")},
            "VAR_DIR": str(var_dir),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PORT": str(self.port),
            "SITE_URL": self.base,
            # As scripts/start: production's settings, over plain http on this machine.
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "false",
            # One client address sends every application here.
            "APPLY_RATE_LIMIT": "100000/h",
            "APPLY_POST_RATE_LIMIT": "100000/h",
            "PYTHONUNBUFFERED": "1",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=180
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self) -> None:
        for name, command in _programs(self.port).items():
            with open(self.log(name), "wb") as log:
                self.processes[name] = subprocess.Popen(
                    command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                )

    def log(self, name: str) -> Path:
        return self.var_dir / f"{name}.log"

    def exited(self) -> dict[str, int]:
        return {name: process.returncode for name, process in self.processes.items() if process.poll() is not None}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Applicant:
    """A browser of one's own: reads the form (and so gets its CSRF cookie), then sends it."""

    def __init__(self, base: str, apply_path: str):
        self.url = base + apply_path
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def apply(self, data: dict) -> int:
        """Send the application form; return the status (302: accepted, on to the "received" page)."""
        self.opener.open(self.url, timeout=30).read()
        csrf = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": csrf}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Referer": self.url})  # noqa: S310 - http on loopback
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_worker_and_beat_stay_up_and_write_every_receipt_once(tmp_path):
    portal = Portal(tmp_path)
    portal.run("manage.py", "migrate", "--noinput", "-v0")
    slug = portal.run("-c", SESSION_SCRIPT).strip().splitlines()[-1]
    portal.start()
    try:
        _wait_for(lambda: b" ready." in portal.log("worker").read_bytes() or portal.exited(),
                  timeout=120, what="the Celery worker to start")
        applicant = Applicant(portal.base, reverse("registrations:apply", kwargs={"slug": slug}))
        _wait_for(lambda: _answers(portal.base) or portal.exited(), timeout=120, what="the web process to answer")
        assert not portal.exited(), portal.exited()

        addresses, refused, started = [], [], time.monotonic()
        for second in range(APPLYING_SECONDS):
            time.sleep(max(0.0, started + second - time.monotonic()))
            address = f"applicant-{second}@example.org"
            status = applicant.apply(applicant_data(email=address, email_again=address))
            (addresses if status == 302 else refused).append((address, status))
            assert not portal.exited(), f"exited after {second} s: {portal.exited()}"

        assert not refused, refused
        mail_dir = tmp_path / "mail"
        _wait_for(lambda: len(_mails_per_recipient(mail_dir)) >= len(addresses) or portal.exited(),
                  timeout=120, what="a receipt for every application")
        time.sleep(5)  # a second receipt to anyone would be written within the next runs of beat's task
        mails = _mails_per_recipient(mail_dir)
        exited = portal.exited()
    finally:
        portal.stop()

    worker_log = portal.log("worker").read_text(errors="replace")
    assert not exited, f"{exited}\n{worker_log[-3000:]}"
    assert "Unrecoverable error" not in worker_log and "CRITICAL" not in worker_log, worker_log[-3000:]
    assert len(addresses) == APPLYING_SECONDS
    assert {address: len(subjects) for address, subjects in mails.items()} == {a: 1 for a, _ in addresses}


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/archive/", timeout=5).read()  # noqa: S310 - http on loopback
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def test_delivered_messages_leave_the_broker_file_and_waiting_ones_stay(tmp_path):
    """beat's hourly task keeps var/broker.sqlite3 small: what was delivered goes, what waits is still delivered."""
    from kombu import Connection

    from config.broker import delivered_messages_delete

    database = tmp_path / "broker.sqlite3"
    with Connection(f"sqla+sqlite:///{database}", transport_options={"connect_args": {"timeout": 30}}) as connection:
        queue = connection.SimpleQueue("celery")
        for number in range(3):
            queue.put({"number": number})
        for _ in range(2):
            queue.get(timeout=5).ack()

        assert delivered_messages_delete(database) == 2
        assert delivered_messages_delete(database) == 0
        assert queue.get(timeout=5).payload == {"number": 2}
        queue.close()

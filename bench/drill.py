"""Failure drills, run by hand: Redis stopped mid-surge, the mail worker killed during a wave, PostgreSQL restarted.

    .venv/bin/python bench/drill.py all                 # the three, about 8 minutes
    .venv/bin/python bench/drill.py redis --applicants 1500 --seconds 40
    .venv/bin/python bench/drill.py worker --applicants 1000
    .venv/bin/python bench/drill.py postgres

Every server is the drill's own, so stopping one disturbs nobody: a PostgreSQL cluster
made with initdb in a temporary folder (database seminars_drill), a Redis on a free port
(broker database 0, cache 1), an aiosmtpd SMTP sink in this process that counts messages
per recipient (a confirmation is told from a receipt by its text/calendar part), real
`celery -A config worker` and `celery -A config beat` processes (beat's outbox run every
30 s; OUTBOX_CLAIM_SECONDS=10, so a killed worker's claimed mail goes out 10 s later), started
again when they exit by themselves, as the
README asks of production's process manager, and gunicorn through bench/apply.py's launcher (sync
workers, persistent database connections, plain static storage). Applicants arrive open
loop as in bench/surge.py, each with their own email address.

- redis: Redis is shut down (nosave: whatever was queued is gone) --outage-at seconds into
  the surge and started again --outage seconds later. Checks: every applicant answered 302
  has exactly one application; an applicant who got an error has no row or re-submits and
  gets 302 or "duplicate" (409); after Redis returns, exactly one receipt per application.
- worker: applications made in this process (all confirmed, receipts delivered first),
  then the window closes and beat's wave task is sent; the worker's process group is
  SIGKILLed when the sink has about 15 % and again at about 50 % of the confirmations, a new
  worker started each time. Check: exactly one confirmation per application.
- postgres: `pg_ctl restart -m fast` --restart-at seconds into the surge. Checks: those who
  got an error re-submit (302, or 409 when their first try had been saved); no applicant
  has two applications; confirmed + waitlisted = applicants; places counter = confirmed;
  exactly one receipt per application. A receipt delivered again with the Message-ID of its
  first copy (the database went away between the server's 250 and the "sent" mark) is
  reported, but counts as one mail: that is how mail systems file it.

Prints /proc/loadavg at the start and end of each drill; exit status 1 if any check failed.
"""
import argparse
import asyncio
import glob
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email.parser import BytesHeaderParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.apply import _csrf, _form, _prepare_database, _request, _start_gunicorn  # noqa: E402
from bench.surge import (  # noqa: E402
    SUCCESS,
    gunicorn_stop,
    loadavg,
    print_summary,
    summarise,
    surge,
    surge_env,
)

CELERY = str(REPO / ".venv" / "bin" / "celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.2):
    """Poll `predicate` until it is truthy or `timeout` passes; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)


# --- the drill's own servers ---


class MailSink:
    """An aiosmtpd server on loopback that keeps (recipient, is confirmation, Message-ID) per accepted message."""

    def __init__(self, *, delay: float = 0.0, slow_data: float = 0.0):
        from aiosmtpd.controller import Controller

        self.delay = delay
        self.slow_data = slow_data
        self.lock = threading.Lock()
        self.received: list[tuple[str, bool, str]] = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook
        if self.delay:
            # A relay's round trip, so a wave lasts long enough to interrupt. Here rather than in DATA: a server
            # slow between the end of the data and its 250 widens the window for a duplicate (see the report
            # of --slow-data).
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.slow_data:
            await asyncio.sleep(self.slow_data)
        confirmation = b"text/calendar" in envelope.original_content
        message_id = BytesHeaderParser().parsebytes(envelope.original_content).get("Message-ID", "")
        with self.lock:
            self.received.extend((rcpt.lower(), confirmation, message_id) for rcpt in envelope.rcpt_tos)
        return "250 OK"

    def counts(self, *, confirmation: bool, ignore: frozenset = frozenset()) -> dict[str, int]:
        """Return the mails of the kind per recipient, leaving out those whose Message-ID is in `ignore`."""
        counts: dict[str, int] = {}
        with self.lock:
            for rcpt, is_confirmation, message_id in self.received:
                if is_confirmation == confirmation and message_id not in ignore:
                    counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts

    def message_ids(self, *, confirmation: bool, ignore: frozenset = frozenset()) -> dict[str, set[str]]:
        """Return the distinct Message-IDs each recipient received (copies of one mail share one)."""
        ids: dict[str, set[str]] = {}
        with self.lock:
            for rcpt, is_confirmation, message_id in self.received:
                if is_confirmation == confirmation and message_id not in ignore:
                    ids.setdefault(rcpt, set()).add(message_id)
        return ids

    def total(self, *, confirmation: bool) -> int:
        with self.lock:
            return sum(1 for _rcpt, c, _message_id in self.received if c == confirmation)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()

    def start(self) -> "MailSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class RedisServer:
    """A redis-server of the drill's own: no persistence, so a restart loses whatever was queued."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            check=True, stdout=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=10, interval=0.05)
        return self

    def ping(self) -> bool:
        result = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True)
        wait_until(lambda: not self.ping(), timeout=10, interval=0.05)


class PostgresCluster:
    """A PostgreSQL cluster of the drill's own (initdb as the postgres user), on a free port."""

    def __init__(self, folder: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise SystemExit("no PostgreSQL binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(bins[-1])
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / "pg_ctl"), "-D", str(self.data),
             "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder}", "-l", str(self.folder / "postgres.log"),
             "-w", *args],
            check=True, stdout=subprocess.DEVNULL,
        )

    def start(self) -> "PostgresCluster":
        shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8"],
            check=True, stdout=subprocess.DEVNULL,
        )
        self._ctl("start")
        return self

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def create_database(self, name: str) -> None:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()


class Worker:
    """A `celery -A config worker` (or beat) process in its own process group, logging to a file.

    Supervised as production runs it (README: a process manager that starts it again): when
    the process exits without being told to, it is started again and the drill says so.
    """

    def __init__(self, env: dict, sink: MailSink | None, folder: Path, *, concurrency: int = 2, beat: bool = False):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        if sink is not None:
            self.env["EMAIL_URL"] = sink.url
        self.folder = folder
        self.concurrency = concurrency
        self.beat = beat
        self.process = None
        self.starts = 0
        self.exit_expected = True
        self.supervisor = None

    def _supervise(self) -> None:
        while True:
            time.sleep(0.5)
            process = self.process
            if not self.exit_expected and process.poll() is not None:
                print(f"  {'beat' if self.beat else 'worker'} exited by itself (status {process.returncode}): "
                      f"started again, as its process manager would")
                self.log.close()
                self.start(wait=False)

    def start(self, *, wait: bool = True) -> "Worker":
        self.starts += 1
        name = "beat" if self.beat else f"worker-{self.starts}"
        self.log_path = self.folder / f"{name}.log"
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop() and kill()
        if self.beat:
            command = [CELERY, "-A", "config", "beat", "--loglevel", "INFO",
                       "--schedule", str(self.folder / "celerybeat-schedule")]
        else:
            command = [CELERY, "-A", "config", "worker", "-n", f"drill-{self.starts}@%h", "--loglevel", "INFO",
                       "--concurrency", str(self.concurrency), "--without-gossip", "--without-mingle",
                       "--without-heartbeat"]
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.exit_expected = False
        if self.supervisor is None:
            self.supervisor = threading.Thread(target=self._supervise, daemon=True)
            self.supervisor.start()
        if wait and not self.beat:
            ready = wait_until(
                lambda: b" ready." in self.log_path.read_bytes() or self.process.poll() is not None, timeout=60
            )
            if not ready or self.process.poll() is not None:
                raise SystemExit(f"the worker did not start: see {self.log_path}")
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as an OOM killer or a lost host would."""
        self.exit_expected = True  # the worker drill starts the next worker itself
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self) -> None:
        self.exit_expected = True
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Stack:
    """The drill's servers and processes for one database: sink, Redis, PostgreSQL, worker, beat, gunicorn."""

    def __init__(
        self, folder: Path, cluster: PostgresCluster, redis: RedisServer, *, sink_delay: float = 0.0,
        web_workers: int = 4,
    ):
        self.folder = folder
        self.cluster = cluster
        self.redis = redis
        subprocess.run(["redis-cli", "-p", str(redis.port), "flushall"], check=True, stdout=subprocess.DEVNULL)
        self.sink = MailSink(delay=sink_delay).start()
        self.env = surge_env(
            database_url=cluster.url("seminars_drill"),
            redis_url=self.redis.url,
            static_root=str(folder / "static"),
            extra={
                # Templates resolve {% static %} without a manifest: the drills measure no static files.
                "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
                "EMAIL_URL": self.sink.url,
                "OUTBOX_CLAIM_SECONDS": "10",
                "VAR_DIR": str(folder / "var"),
                # Quiet web logs: each refused Redis call logs a warning with its traceback (ERRORs still show).
                "LOG_LEVEL": "ERROR",
            },
        )
        self.web_workers = web_workers
        self.worker = Worker(self.env, self.sink, folder)
        self.beat = Worker(self.env, self.sink, folder, beat=True)
        self.server = None

    @property
    def base(self) -> str:
        return self.server[1]

    def start(self) -> "Stack":
        self.worker.start()
        self.beat.start()
        self.server = _start_gunicorn(self.env, self.web_workers)
        wait_until(self._up, timeout=30)
        return self

    def _up(self) -> bool:
        try:
            return _request(self.base, "GET", "/healthz")[0] == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.server:
            gunicorn_stop(self.server)
        self.worker.stop()
        self.beat.stop()
        self.sink.stop()


# --- checks shared by the drills ---


def resubmit(base: str, slug: str, emails: list[str]) -> dict[str, int]:
    """Send each email's application again (as an applicant who saw an error would); return status per email."""
    cookie, token = _csrf(base, slug)
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en"}
    statuses = {}
    for email in emails:
        for _attempt in range(3):
            try:
                statuses[email] = _request(base, "POST", f"/sessions/{slug}/apply/", _form(token, email), headers)[0]
                break
            except OSError:
                time.sleep(1)
        else:
            statuses[email] = 0
    return statuses


def rows_per_email(session_pk: int) -> dict[str, int]:
    from django.db.models import Count
    from django.db.models.functions import Lower

    from registrations.models import Application

    return dict(
        Application.objects.filter(session_id=session_pk).annotate(e=Lower("email")).values("e")
        .annotate(n=Count("pk")).values_list("e", "n")
    )


def check_applications(
    session_pk: int, outcomes, rows_before: dict[str, int], resubmitted: dict[str, int], problems: list[str]
) -> dict:
    """Check one row per applicant who succeeded (first try, or re-submission answered 302/409).

    `rows_before` are the rows per address before those who got an error re-submitted.
    """
    from bench.surge import session_counts

    rows = rows_per_email(session_pk)
    ok_first = {o.email.lower() for o in outcomes if o.status == SUCCESS}
    errored = [o for o in outcomes if o.status != SUCCESS]
    errored_with_row = sum(1 for o in errored if o.email.lower() in rows_before)
    lost = [e for e in ok_first if rows.get(e) != 1]
    doubled = [e for e, n in rows.items() if n > 1]
    unresolved = {e: s for e, s in resubmitted.items() if s not in (SUCCESS, 409)}
    dup_without_row = [e for e, s in resubmitted.items() if s == 409 and rows.get(e.lower()) != 1]
    missing_after = [o.email for o in errored if rows.get(o.email.lower()) != 1]
    counts = session_counts(session_pk)
    confirmed = counts["by_status"].get("confirmed", 0)
    waitlisted = counts["by_status"].get("waitlisted", 0)
    print(
        f"  applications: {len(ok_first)} answered 302 at first, {len(errored)} got an error "
        f"({errored_with_row} of them had been saved anyway); re-submitted {len(resubmitted)}: "
        f"{sum(1 for s in resubmitted.values() if s == SUCCESS)} x 302, "
        f"{sum(1 for s in resubmitted.values() if s == 409)} x 409 duplicate, {len(unresolved)} other"
    )
    print(
        f"  rows: {sum(rows.values())} for {len(rows)} addresses; {confirmed} confirmed, {waitlisted} waitlisted, "
        f"places_taken {counts['places_taken']} of {counts['capacity']}"
    )
    if lost:
        problems.append(f"{len(lost)} applicants answered 302 without exactly one row")
    if doubled:
        problems.append(f"{len(doubled)} applicants with two or more rows")
    if unresolved:
        problems.append(f"{len(unresolved)} re-submissions neither 302 nor 409: {sorted(set(unresolved.values()))}")
    if dup_without_row:
        problems.append(f"{len(dup_without_row)} re-submissions answered 409 without a row")
    if missing_after:
        problems.append(f"{len(missing_after)} applicants with an error have no row even after re-submitting")
    if confirmed + waitlisted != len(rows):
        problems.append(f"confirmed + waitlisted = {confirmed + waitlisted}, rows {len(rows)}")
    if counts["places_taken"] != confirmed or confirmed > counts["capacity"]:
        problems.append(f"places_taken {counts['places_taken']} vs {confirmed} confirmed of {counts['capacity']}")
    return rows


def check_mail(
    sink: MailSink, expected: set[str], *, confirmation: bool, timeout: float, problems: list[str],
    ignore: frozenset = frozenset(),
) -> None:
    """Wait for one mail of the kind per expected address (the sweep's interval included), then check counts.

    `ignore`: Message-IDs of other mail without a calendar that the drill caused on purpose (the private
    link sent again to someone who applied twice), so they are not taken for receipts.
    """
    what = "confirmations" if confirmation else "receipts"
    began = time.monotonic()
    wait_until(lambda: expected <= set(sink.counts(confirmation=confirmation, ignore=ignore)), timeout=timeout,
               interval=1)
    time.sleep(3)  # anything sent twice arrives now rather than after the check
    ignore = ignore | manage_link_message_ids()  # and any sent since
    counts = sink.counts(confirmation=confirmation, ignore=ignore)
    missing = [e for e in expected if counts.get(e, 0) == 0]
    twice = {e: n for e, n in counts.items() if n > 1}
    # A copy with the Message-ID of the one before is the same mail delivered again (the database went away
    # between the server's 250 and the "sent" mark): mail systems file it once. Two IDs are two mails.
    ids = sink.message_ids(confirmation=confirmation, ignore=ignore)
    distinct = {e: len(ids[e]) for e in twice if len(ids[e]) > 1}
    strangers = [e for e in counts if e not in expected]
    print(
        f"  {what}: {sum(counts.values())} at the sink for {len(expected)} applications "
        f"(all in {time.monotonic() - began:.0f} s after the check began); missing {len(missing)}, "
        f"sent more than once {len(twice)} (as different mails, by Message-ID: {len(distinct)}), "
        f"to addresses without an application {len(strangers)}"
    )
    if missing:
        problems.append(f"{len(missing)} applications without a {what[:-1]}")
    if distinct:
        problems.append(f"{len(distinct)} applications with more than one {what[:-1]}: {sorted(distinct.values())}")
    if strangers:
        problems.append(f"{len(strangers)} {what} to addresses without an application")


def manage_link_message_ids() -> frozenset:
    """The Message-IDs of every "private link sent again" mail (applying twice with one address sends one)."""
    from outbox.models import Message

    return frozenset(Message.objects.filter(kind="manage_link").values_list("message_id", flat=True))


def outbox_status(session_pk: int, kind: str) -> dict[str, int]:
    from django.db.models import Count

    from outbox.services import messages_about
    from registrations.models import Application

    rows = messages_about(Application.objects.filter(session_id=session_pk)).filter(kind=kind)
    return dict(rows.values("status").annotate(n=Count("pk")).values_list("status", "n"))


def close_connection() -> None:
    from django.db import connection

    connection.close()


# --- the drills ---


def drill_redis(stack: Stack, args) -> list[str]:
    problems: list[str] = []
    session_pk, slug = _prepare_database(capacity=args.capacity)
    close_connection()
    stack.start()
    events = []

    def on_progress(elapsed: float) -> None:
        if not events and elapsed >= args.outage_at:
            events.append(("redis stopped", elapsed))
            stack.redis.stop()
        elif len(events) == 1 and elapsed >= args.outage_at + args.outage:
            stack.redis.start()
            events.append(("redis started", elapsed))

    stamp = int(time.time())
    emails = [f"redis-{stamp}-{i}@example.jp" for i in range(args.applicants)]
    print(f"  surge: {args.applicants} applicants over {args.seconds:g} s; Redis down from {args.outage_at:g} s "
          f"for {args.outage:g} s")
    outcomes, start = surge(stack.base, slug, emails, args.seconds, clients=args.clients, on_progress=on_progress)
    if len(events) == 1:  # the surge ended before the outage did
        time.sleep(max(0.0, start + args.outage_at + args.outage - time.monotonic()))
        stack.redis.start()
        events.append(("redis started", time.monotonic() - start))
    print("  " + ", ".join(f"{name} at {at:.1f} s" for name, at in events))
    summary = summarise(outcomes, start, args.seconds)
    print_summary("  surge", summary)
    during = [o for o in outcomes if o.ended is not None and events[0][1] <= o.ended - start < events[1][1]]
    print(f"  answered while Redis was down: {len(during)} applicants, "
          f"{sum(1 for o in during if o.status == SUCCESS)} x 302")
    errored = [o.email for o in outcomes if o.status != SUCCESS]
    rows_before = rows_per_email(session_pk)
    resubmitted = resubmit(stack.base, slug, errored) if errored else {}
    rows = check_applications(session_pk, outcomes, rows_before, resubmitted, problems)
    check_mail(stack.sink, set(rows), confirmation=False, timeout=args.mail_timeout, problems=problems)
    print(f"  receipt rows by status: {outbox_status(session_pk, 'receipt')}")
    close_connection()
    return problems


def drill_worker(stack: Stack, args) -> list[str]:
    import datetime as dt

    from django.utils import timezone

    from registrations.services import application_create
    from seminars.models import Session

    problems: list[str] = []
    session_pk, slug = _prepare_database(capacity=args.wave)
    stack.start()
    session = Session.objects.select_related("series").get(pk=session_pk)
    stamp = int(time.time())
    data = {
        "name": "山田 花子", "name_reading": "ヤマダ ハナコ", "organisation": "株式会社サンプル商事",
        "department": "人事部", "position": "課長", "industry": "retail", "organisation_size": "100-299",
        "prefecture": "13", "phone": "0312345678", "attendance": "online", "question": "", "consent": True,
    }
    began = time.monotonic()
    for i in range(args.wave):
        session.refresh_from_db(fields=["places_taken"])
        application_create(session=session, data={**data, "email": f"wave-{stamp}-{i}@example.jp"}, language="ja")
    rows = rows_per_email(session_pk)
    print(f"  {len(rows)} applications made in {time.monotonic() - began:.0f} s (this process, the service)")
    check_mail(stack.sink, set(rows), confirmation=False, timeout=args.mail_timeout, problems=problems)
    today = timezone.localdate()
    Session.objects.filter(pk=session_pk).update(
        applications_open_on=today - dt.timedelta(days=3), applications_close_on=today - dt.timedelta(days=1)
    )
    close_connection()
    from registrations.tasks import open_mail_waves

    stack.sink.delay = args.sink_delay
    stack.sink.slow_data = args.slow_data
    wave_began = time.monotonic()
    open_mail_waves.delay()
    print(f"  window closed; wave task sent (the sink takes {args.sink_delay * 1000:.0f} ms per recipient, "
          f"{args.slow_data * 1000:.0f} ms between the end of the data and its 250)")
    for fraction in (0.15, 0.5):
        reached = wait_until(
            lambda f=fraction: stack.sink.total(confirmation=True) >= f * args.wave, timeout=120, interval=0.002
        )
        if args.kill_timing == "random":
            # Anywhere in a message's cycle, as an OOM kill would land; "accepted" kills right after the sink
            # accepted a message, inside the window between the server's 250 and the sender's commit.
            time.sleep(random.uniform(0, args.sink_delay + args.slow_data + 0.005))
        sent = stack.sink.total(confirmation=True)
        stack.worker.kill()
        print(f"  worker SIGKILLed at {sent} confirmations at the sink ({time.monotonic() - wave_began:.1f} s, "
              f"timing {args.kill_timing})" + ("" if reached else " (timed out waiting for that many)"))
        stack.worker.start()
        print(f"  new worker ready ({time.monotonic() - wave_began:.1f} s)")
    check_mail(stack.sink, set(rows), confirmation=True, timeout=args.mail_timeout, problems=problems)
    print(f"  confirmation rows by status: {outbox_status(session_pk, 'confirmation')}; "
          f"wave done {time.monotonic() - wave_began:.0f} s after it was sent")
    close_connection()
    return problems


def drill_postgres(stack: Stack, args) -> list[str]:
    problems: list[str] = []
    session_pk, slug = _prepare_database(capacity=args.capacity)
    close_connection()
    stack.start()
    events = []
    start_holder = [0.0]

    def restart():
        stack.cluster.restart()
        events.append(("PostgreSQL back", time.monotonic() - start_holder[0]))

    def on_progress(elapsed: float) -> None:
        if not events and elapsed >= args.restart_at:
            start_holder[0] = time.monotonic() - elapsed
            events.append(("pg_ctl restart -m fast", elapsed))
            threading.Thread(target=restart, daemon=True).start()

    stamp = int(time.time())
    emails = [f"pg-{stamp}-{i}@example.jp" for i in range(args.applicants)]
    print(f"  surge: {args.applicants} applicants over {args.seconds:g} s; PostgreSQL restarted at "
          f"{args.restart_at:g} s")
    outcomes, start = surge(stack.base, slug, emails, args.seconds, clients=args.clients, on_progress=on_progress)
    wait_until(lambda: len(events) == 2, timeout=60)
    print("  " + ", ".join(f"{name} at {at:.1f} s" for name, at in events))
    print_summary("  surge", summarise(outcomes, start, args.seconds))
    errored = [o.email for o in outcomes if o.status != SUCCESS]
    rows_before = rows_per_email(session_pk)
    resubmitted = resubmit(stack.base, slug, errored) if errored else {}
    # A few who succeeded try again too: the duplicate check must refuse them.
    again = resubmit(stack.base, slug, [o.email for o in outcomes if o.status == SUCCESS][:20])
    if any(s != 409 for s in again.values()):
        problems.append(f"re-submission after a 302 not refused as duplicate: {sorted(set(again.values()))}")
    print(f"  20 applicants who had a 302 re-submit: {sum(1 for s in again.values() if s == 409)} x 409 duplicate")
    rows = check_applications(session_pk, outcomes, rows_before, resubmitted, problems)
    check_mail(stack.sink, set(rows), confirmation=False, timeout=args.mail_timeout, problems=problems)
    print(f"  receipt rows by status: {outbox_status(session_pk, 'receipt')}")
    close_connection()
    return problems


DRILLS = {"redis": drill_redis, "postgres": drill_postgres, "worker": drill_worker}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drill", choices=[*DRILLS, "all"])
    parser.add_argument("--applicants", type=int, default=1500, help="surge size of the redis/postgres drills")
    parser.add_argument("--seconds", type=float, default=40.0, help="their arrivals spread over this long")
    parser.add_argument("--capacity", type=int, default=1000, help="places of their session (waiting list on)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--outage-at", type=float, default=5.0)
    parser.add_argument("--outage", type=float, default=30.0)
    parser.add_argument("--restart-at", type=float, default=15.0)
    parser.add_argument("--wave", type=int, default=1000, help="applications in the worker drill's wave")
    parser.add_argument("--sink-delay", type=float, default=0.02, help="seconds the sink takes per confirmation")
    parser.add_argument(
        "--slow-data", type=float, default=0.0,
        help="worker drill: seconds the sink waits between the end of the data and its 250 (a slow relay)",
    )
    parser.add_argument(
        "--kill-timing", choices=["random", "accepted"], default="random",
        help="worker drill: kill at a random point of a message's cycle, or right after the sink accepted one",
    )
    parser.add_argument("--mail-timeout", type=float, default=150.0)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the drill's folder (its servers' and workers' logs)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="drill-"))
    folder.chmod(0o755)  # the postgres user reaches its cluster's folder inside
    cluster = PostgresCluster(folder / "pg")
    (folder / "pg").mkdir()
    cluster.start()
    cluster.create_database("seminars_drill")
    redis = RedisServer(folder).start()
    os.environ.update(surge_env(
        database_url=cluster.url("seminars_drill"), redis_url=redis.url,
        static_root=str(folder / "static"),
        extra={"STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    ))
    import django

    django.setup()
    failed = False
    try:
        for name in DRILLS if args.drill == "all" else [args.drill]:
            print(f"\n## drill: {name}   loadavg at start: {loadavg()}")
            drill_folder = folder / name
            drill_folder.mkdir()
            stack = Stack(drill_folder, cluster, redis, web_workers=args.web_workers)
            try:
                problems = DRILLS[name](stack, args)
            finally:
                stack.stop()
            print(f"  RESULT {name}: " + ("OK" if not problems else "FAILED: " + "; ".join(problems)))
            print(f"  loadavg at end: {loadavg()}")
            failed = failed or bool(problems)
    finally:
        close_connection()
        redis.stop()
        cluster.stop()
        if args.keep:
            print(f"# logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

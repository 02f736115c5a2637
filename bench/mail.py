"""Measure confirmation mail delivery against the SMTP ceiling (not a test).

    .venv/bin/python bench/mail.py [--count 5000] [--database-url postgres://postgres@127.0.0.1:5432/seminars_bench_mail]

Creates a throwaway database (the PostgreSQL database named in --database-url is
dropped and created again; without PostgreSQL, SQLite in a temporary folder),
5,000 confirmed applications to one session whose application period has closed,
and an aiosmtpd sink in its own process on loopback. Then it times:

1. the confirmation wave (rendering 5,000 rows into the outbox; beat does this);
2. our delivery: `outbox_send_due` batch after batch, as the queued task runs it
   (claim a batch, send each mail through Django's mail API, mark each one;
   one SMTP connection per batch);
3. the ceiling: plain smtplib sending the same 5,000 messages (prebuilt bytes)
   over one connection, no database. 2 and 3 alternate batch by batch, so a
   machine whose load changes during the run (other people's test suites) weighs
   on both alike; the ratio of their summed times is the figure that matters;
4. Django's SMTP backend sending the same EmailMultiAlternatives over one
   connection, no database, interleaved batch by batch with 2 and 3: the issue's
   yardstick for what our delivery adds (claim, per-mail mark, message build);
5. our delivery again in --processes processes side by side (a worker's pool).
"""
import argparse
import datetime as dt
import multiprocessing
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench_mail"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sink(port: int) -> subprocess.Popen:
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return sink
        except OSError:
            time.sleep(0.05)
    sink.kill()
    raise SystemExit("the aiosmtpd sink did not start")


def fresh_postgres(url: str) -> bool:
    """Drop and create the database named in `url`; return False when PostgreSQL is not reachable."""
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    try:
        admin = psycopg2.connect(
            dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
            host=config["HOST"], port=config["PORT"] or 5432, connect_timeout=3,
        )
    except psycopg2.OperationalError:
        return False
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()
    return True


def deliver_all() -> None:
    """Run in a forked process: send batches until nothing is due, as a queued task would."""
    from django.db import connection

    from outbox.delivery import outbox_send_due

    while outbox_send_due():
        pass
    connection.close()


def as_email(row):
    """The message Django's backend would send for an outbox row (as outbox.delivery builds it: the same sender,
    whose Japanese display name is encoded in every message, and the same headers)."""
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(
        row.subject, row.body_text, settings.DEFAULT_FROM_EMAIL, [row.to_email],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers={"Message-ID": row.message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:8.1f} mails/s  ({seconds:6.2f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument(
        "--processes", type=int, default=2,
        help="also time this many delivery processes side by side, as a worker with that concurrency runs",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    for folder in ("queue", "processed", "control"):
        (var_dir / "broker" / folder).mkdir(parents=True)
    database_url = args.database_url
    if not (database_url.startswith("postgres") and fresh_postgres(database_url)):
        database_url = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    port = free_port()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "VAR_DIR": str(var_dir),  # the filesystem broker's folder: the wave's queued tasks land here
            "SECRET_KEY": "bench-only-not-secret",
            "LOG_LEVEL": "WARNING",
            "REDIS_URL": "",
            "CACHE_URL": "",
        }
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.mail import get_connection
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from outbox.delivery import BATCH_SIZE, outbox_send_due
    from outbox.models import Message, MessageStatus
    from registrations.enums import ApplicationStatus, MailKind
    from registrations.models import Application
    from registrations.notifications import confirmation_wave
    from seminars.models import Series, Session

    call_command("migrate", verbosity=0)
    now = timezone.now()
    series = Series.objects.create(
        slug="bench", title_en="Bench series", overview_en="-", audience_en="-", fee_note_en="Free",
        application_rule_en="-", contact_email="office@example.org",
    )
    session = Session.objects.create(
        series=series, number=1, slug="bench-1", level_en="Basic", title_en="Preventing customer harassment",
        overview_en="What participants will learn.", starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=2), applications_open_on=(now - dt.timedelta(days=30)).date(),
        applications_close_on=(now - dt.timedelta(days=1)).date(), joining_url="https://meet.example.org/j/123",
        joining_instructions="Meeting ID 123 456 789, passcode 4321",
    )
    Application.objects.bulk_create(
        Application(
            session=session, reference=f"B{i:07d}", manage_secret=f"bench-secret-{i:08d}",
            status=ApplicationStatus.CONFIRMED,
            name="山田 花子", email=f"applicant{i}@example.jp", organisation="株式会社サンプル", industry="retail",
            organisation_size="100-299", prefecture="13", consented_at=now, privacy_notice_version="2025-06",
            language="ja" if i % 3 else "en",
        )
        for i in range(args.count)
    )
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}   CPUs: {os.cpu_count()}")
    print(f"database: {database_url.split('@')[-1]}   sink: aiosmtpd in its own process on 127.0.0.1:{port}")
    print(f"{args.count} confirmed applications; confirmations with text, HTML and .ics\n")

    sink = start_sink(port)
    try:
        started = time.perf_counter()
        added = confirmation_wave(session, now=now)
        print(f"confirmation wave (render + insert):  {rate(added, time.perf_counter() - started)}")

        rows = list(Message.objects.filter(kind=MailKind.CONFIRMATION).order_by("next_attempt_at", "pk"))
        # The ceiling's messages, prebuilt from the rendered rows: only the SMTP exchange is left to time.
        prebuilt = [(row.to_email, as_email(row).message().as_bytes(linesep="\r\n")) for row in rows]
        client = smtplib.SMTP("127.0.0.1", port)
        for to, raw in prebuilt[:50]:  # warm-up
            client.sendmail("seminars@example.org", [to], raw)
        django_messages = [as_email(row) for row in rows]
        backend = get_connection()
        backend.open()
        ours = ceiling = django_one = 0.0
        for start in range(0, len(prebuilt), BATCH_SIZE):
            started = time.perf_counter()
            outbox_send_due()
            ours += time.perf_counter() - started
            started = time.perf_counter()
            for to, raw in prebuilt[start : start + BATCH_SIZE]:
                client.sendmail("seminars@example.org", [to], raw)
            ceiling += time.perf_counter() - started
            started = time.perf_counter()
            for message in django_messages[start : start + BATCH_SIZE]:
                backend.send_messages([message])
            django_one += time.perf_counter() - started
        client.quit()
        backend.close()
        sent = Message.objects.filter(status=MessageStatus.SENT).count()
        assert sent == args.count, f"only {sent} of {args.count} sent"

        # The same mail again through N processes (a worker with --concurrency N): reset the rows first.
        Message.objects.update(status=MessageStatus.PENDING, sent_at=None, attempts=0)
        connection.close()
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=deliver_all) for _ in range(args.processes)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        parallel = time.perf_counter() - started
        sent = Message.objects.filter(status=MessageStatus.SENT).count()
        assert sent == args.count, f"only {sent} of {args.count} sent by {args.processes} processes"
    finally:
        sink.terminate()
        sink.wait()

    print(f"our delivery (outbox_send_due):       {rate(args.count, ours)}   (alternating with the two below)")
    print(f"our delivery, {args.processes} processes:          {rate(args.count, parallel)}")
    print(f"ceiling (smtplib, one connection):    {rate(args.count, ceiling)}   (alternating with ours)")
    print(f"Django SMTP backend, one connection:  {rate(args.count, django_one)}   (alternating with ours)")
    print(f"load average at end:   {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"\nRATIO ours / Django's backend = {django_one / ours:.0%} in one process (target 80 %)"
        f"\nRATIO ours / ceiling = {ceiling / ours:.0%} in one process   [Django's backend / ceiling:"
        f" {ceiling / django_one:.0%}; {args.processes} processes / ceiling: {ceiling / parallel:.0%}, not interleaved]"
    )


if __name__ == "__main__":
    main()

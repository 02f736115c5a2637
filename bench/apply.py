"""Measure applying under load: N concurrent applicants posting the form of one hot session.

Prints applications per second, p50/p99 latency and errors for POST /sessions/<slug>/apply/,
next to the same figures for /bench/ceiling/ (a POST through the same middleware that
inserts one row: the most any write request can do on this server), and their ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seminars_bench \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/apply.py --applicants 16

By default it prepares the database (migrate, a series, one open session with a large
capacity and its waiting list on), starts gunicorn (sync workers, settings bench.settings,
persistent database connections) on a free port and stops it at the end. With --url it
drives a server you started yourself with DJANGO_SETTINGS_MODULE=bench.settings (pass
--slug of an open session). Not a test: it asserts nothing but prints what it measured,
and checks afterwards that no session holds more confirmed places than its capacity.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=16, help="concurrent applicants (default 16)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per endpoint (default 10)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each run (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="ceiling/apply pairs, alternated (default 2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers when started here (default 4)")
    parser.add_argument("--url", help="a running server (started with DJANGO_SETTINGS_MODULE=bench.settings)")
    parser.add_argument("--slug", help="with --url: the slug of an open session")
    parser.add_argument(
        "--only", choices=("ceiling", "apply"), help="run one endpoint only (for profiling a server under load)"
    )
    args = parser.parse_args()

    env = _server_env()
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    if not args.url:
        database_create(env["DATABASE_URL"], fresh=False)
    import django

    django.setup()
    if args.url:
        if not args.slug:
            parser.error("--url needs --slug")
        base, slug = args.url.rstrip("/"), args.slug
        session_pk = None
    else:
        session_pk, slug = _prepare_database(capacity=10_000_000)
    server = None if args.url else _start_gunicorn(env, args.workers)
    base = args.url.rstrip("/") if args.url else server[1]
    try:
        _wait_until_up(base)
        print(
            f"# {args.applicants} concurrent applicants, {args.seconds:g} s per run after {args.warmup:g} s warm-up, "
            f"{'server at ' + base if args.url else f'gunicorn {args.workers} sync workers'}, {os.cpu_count()} CPUs"
        )
        print(
            f"# server: bench.settings, CONN_MAX_AGE={env['CONN_MAX_AGE']}, PostgreSQL synchronous_commit="
            f"{_synchronous_commit()} (both endpoints alike); load average at start: {_load()}"
        )
        client_cpu = time.process_time()
        results = {"ceiling": [], "apply": []}
        for round_number in range(args.rounds):
            for name, path in (("ceiling", "/bench/ceiling/"), ("apply", f"/sessions/{slug}/apply/")):
                if args.only and name != args.only:
                    continue
                figures = _run(base, slug, path, name, round_number, args)
                results[name].append(figures)
                print(_line(f"{name} (round {round_number + 1})", figures))
        if args.only:
            return 0
        print()
        best = {name: max(runs, key=lambda f: f["rate"]) for name, runs in results.items()}
        print(_line("ceiling (best)", best["ceiling"]))
        print(_line("apply (best)", best["apply"]))
        pairs = [a["rate"] / c["rate"] for c, a in zip(results["ceiling"], results["apply"], strict=True)]
        print(f"apply / ceiling throughput per round: {', '.join(f'{r:.0%}' for r in pairs)}")
        print(
            f"RATIO apply / ceiling throughput (best runs): {best['apply']['rate'] / best['ceiling']['rate']:.0%}"
            f"   (target 35 % with apply p99 < 100 ms)"
        )
        print(f"# load average at end: {_load()}; this client used {time.process_time() - client_cpu:.1f} s of CPU")
        if session_pk is not None:
            _report_session(session_pk)
    finally:
        if server:
            server[0].terminate()
            server[0].wait(timeout=30)
    return 0


def database_create(database_url: str, *, fresh: bool) -> None:
    """Create the database named in `database_url` if it is missing; `fresh` drops it first.

    Connects to its server's `postgres` database. Refuses names that are not plain identifiers.
    """
    import psycopg2

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.strip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"refusing to create or drop a database named {name!r}")
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or "", dbname="postgres",
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _synchronous_commit() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        value = cursor.fetchone()[0]
    connection.close()
    return value


def _server_env() -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # The bench speaks plain HTTP to gunicorn directly, with no proxy in front.
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        # Persistent connections, as production runs; both endpoints get the same.
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600"),
        # Every applicant posts from 127.0.0.1: the per-address limit would stop the bench.
        "APPLY_RATE_LIMIT": "100000000/h",
        "APPLY_POST_RATE_LIMIT": "100000000/h",
        "LOG_LEVEL": "WARNING",
    }


def _prepare_database(*, capacity: int) -> tuple[int, str]:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from seminars.models import Series, Session

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, email varchar(254))")
    series = Series.objects.order_by("pk").first() or Series.objects.create(
        title="Bench series", slug="bench-series", overview="-", audience="-", fee_note="-",
        application_rule="-", contact_email="office@example.org",
    )
    today = timezone.localdate()
    stamp = int(time.time())
    starts = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + dt.timedelta(days=10)
    numbers = Session.objects.filter(series=series).order_by("-number").values_list("number", flat=True)
    number = (numbers.first() or 0) + 1
    session = Session.objects.create(
        series=series, number=number, slug=f"bench-{stamp}", level="Bench", title=f"Bench session {stamp}",
        overview="-", starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
        applications_open_on=today - dt.timedelta(days=1), applications_close_on=today + dt.timedelta(days=7),
        capacity=capacity, waitlist_enabled=True,
    )
    connection.close()
    return session.pk, session.slug


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_gunicorn(env: dict, workers: int):
    port = _free_port()
    command = [
        str(REPO / ".venv" / "bin" / "gunicorn"), "config.wsgi",
        # An empty config file: not the project's gunicorn.conf.py (its access log would be measured too).
        "--config", os.devnull,
        "--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning", "--backlog", "2048",
    ]
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env})
    return process, f"http://127.0.0.1:{port}"


def _wait_until_up(base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _request(base, "GET", "/privacy/")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no server answering at {base}")


def _request(base: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """Send one request in one write (headers and body together, TCP_NODELAY), read to the close.

    http.client writes the headers and the body separately; with Nagle's algorithm and
    delayed ACKs that costs 40 ms per POST, which would measure the client, not the server.
    """
    parts = urllib.parse.urlsplit(base)
    body = body or b""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall("\r\n".join(lines).encode("latin-1") + b"\r\n\r\n" + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, content = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status = int(head_lines[0].split()[1])
    cookies = "; ".join(
        line.split(":", 1)[1].strip() for line in head_lines[1:] if line.lower().startswith("set-cookie:")
    )
    return status, cookies, content


def _csrf(base: str, slug: str) -> tuple[str, str]:
    """Return (cookie header, form token) as a browser gets them from the form page."""
    status, cookie, body = _request(base, "GET", f"/sessions/{slug}/apply/", headers={"Accept-Language": "en"})
    if status != 200:
        raise SystemExit(f"the form of session {slug} answers {status}: is it open?")
    secret = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return f"csrftoken={secret}", token


def _form(token: str, email: str) -> bytes:
    return urllib.parse.urlencode({
        "csrfmiddlewaretoken": token, "name": "山田 花子", "name_reading": "ヤマダ ハナコ", "email": email,
        "email_again": email, "organisation": "株式会社サンプル商事", "department": "人事部", "position": "課長",
        "industry": "retail", "organisation_size": "100-299", "prefecture": "13", "phone": "03-1234-5678",
        "attendance": "online", "question": "", "consent": "on",
    }).encode()


def _run(base, slug, path, name, round_number, args) -> dict:
    cookie, token = _csrf(base, slug)
    latencies, errors, lock = [], [], threading.Lock()
    start_at = time.monotonic() + 0.5
    measure_from = start_at + args.warmup
    stop_at = measure_from + args.seconds

    def applicant(number: int):
        headers = {
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "en",
        }
        i = 0
        time.sleep(max(0.0, start_at - time.monotonic()))
        while (now := time.monotonic()) < stop_at:
            email = f"{name}-{round_number}-{number}-{i}-{int(start_at)}@example.jp"
            i += 1
            began = time.perf_counter()
            try:
                status, _cookie, _body = _request(base, "POST", path, _form(token, email), headers)
                failure = None if status == 302 else f"HTTP {status}"
            except OSError as exc:
                failure = type(exc).__name__
            took = time.perf_counter() - began
            if now >= measure_from:
                with lock:
                    (errors.append(failure) if failure else latencies.append(took))

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(args.applicants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rate": len(latencies) / args.seconds,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
        "ok": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def _line(label: str, f: dict) -> str:
    kinds = f" {f['error_kinds']}" if f["error_kinds"] else ""
    return (
        f"{label:<20} {f['rate']:7.1f} req/s   p50 {f['p50']:6.1f} ms   p99 {f['p99']:6.1f} ms   "
        f"ok {f['ok']:6d}   errors {f['errors']}{kinds}"
    )


def _report_session(session_pk: int) -> None:
    from django.db.models import Count

    from registrations.models import Application
    from seminars.models import Session

    session = Session.objects.get(pk=session_pk)
    by_status = dict(
        Application.objects.filter(session=session).values_list("status").annotate(n=Count("pk")).values_list(
            "status", "n"
        )
    )
    print(
        f"session {session.slug}: places_taken {session.places_taken} of {session.capacity}, "
        f"applications by status {by_status}"
    )


if __name__ == "__main__":
    sys.exit(main())

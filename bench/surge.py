"""The opening surge: 10,000 applicants arriving over 30 seconds for a session of 5,000 places with a waiting list.

    .venv/bin/python bench/surge.py                      # 10,000 over 30 s, 4 sync workers
    .venv/bin/python bench/surge.py --workers 3 --threads 4   # gthread workers instead

Open loop: the arrival times are fixed in advance (uniform over --seconds, or --poisson);
a pool of client threads takes each applicant at its scheduled time. Latency is measured
from the SCHEDULED time, so time spent waiting for a free client thread or in the server's
queue counts (no coordinated omission); service time (send to last byte) is printed too.
Each client thread reads the form once for its CSRF cookie and token and reuses them; each
applicant has its own email address. Success is the 302 to the completion page.

Afterwards it checks exactly --capacity applications confirmed, the rest waitlisted, one
row per successful applicant, and the session's counter. Then, closed loop (--page-clients
concurrent, --page-seconds each), the throughput of `/` and the session page next to a
static file (/static/css/portal.css, hashed name) served by WhiteNoise from the same
gunicorn: the most a request to this server can do, so pages / static is the ratio to read.

Servers: a fresh database (DATABASE_URL, default seminars_surge on the shared PostgreSQL,
dropped and created again), Redis for broker and cache (REDIS_URL, default database 13 on
the shared Redis, so the cache is 14; both flushed at the end), gunicorn started here
through bench/apply.py's launcher (settings bench.surge_settings: the portal's settings,
persistent connections, the apply rate limit raised since every applicant is 127.0.0.1,
manifest static storage collected into a temporary folder). No Celery worker runs unless
--worker is given (then a worker and an SMTP sink run during the surge, as in production,
and share the two cores). Prints /proc/loadavg at the start and end, the client's CPU use, and each
gunicorn worker's resident memory after the surge and after the pages (target < 300 MB each).
--no-surge measures the pages alone (for a lever's on/off runs). Last, an office user (signed in with
a session made here; the server runs with STAFF_SECOND_FACTOR_REQUIRED=false) posts a --upload-mb
(default 20) MB attendee report to the attendance import twice, and the workers' memory is printed again.
Not a test: targets are printed with the figures (0 errors, p99 < 250 ms, pages >= 50 % of
static); the exit status is 1 when the counts are wrong.
"""
import argparse
import itertools
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.apply import (  # noqa: E402 - the repository must be importable first
    _csrf,
    _form,
    _prepare_database,
    _request,
    _server_env,
    _start_gunicorn,
    _wait_until_up,
    database_create,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_surge"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
SUCCESS = 302


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip()


def machine_cpu() -> tuple[float, float]:
    """Return (busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return total - idle, total


def tree_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system) of a process and its live children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        after_name = stat.rsplit(")", 1)[1].split()
        seconds += (int(after_name[11]) + int(after_name[12])) / ticks
        todo.extend(int(c) for c in children)
    return seconds


def workers_resident_mb(pid: int) -> list[float]:
    """Return the resident memory (MB, VmRSS) of each child of process `pid` (gunicorn's workers), from /proc."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for child in children:
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        kilobytes = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        sizes.append(kilobytes / 1024)
    return sizes


def print_resident(pid: int, when: str) -> None:
    sizes = workers_resident_mb(pid)
    worst = max(sizes, default=0)
    print(
        f"  gunicorn workers resident {when}: {', '.join(f'{mb:.0f}' for mb in sizes)} MB"
        f"  (target every worker < 300 MB: {'met' if worst < 300 else 'MISSED'})"
    )


def upload_attendance(base: str, session_pk: int, megabytes: int) -> int:
    """Post an attendee report of `megabytes` MB to the session's attendance import, as a signed-in office user.

    The user is signed in by a session made here (the server runs with the second factor off); the
    page's CSRF cookie and token are read first. Return the status of the POST.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        username="bench-office", defaults={"is_staff": True, "is_superuser": True}
    )
    browser = Client()
    browser.force_login(user)
    session_cookie = f"{browser.cookies[settings_value('SESSION_COOKIE_NAME')].value}"
    connection.close()
    path = f"/admin/seminars/session/{session_pk}/attendance/import/"
    cookie_name = settings_value("SESSION_COOKIE_NAME")
    status, cookies, body = _request(base, "GET", path, headers={"Cookie": f"{cookie_name}={session_cookie}"})
    if status != 200:
        raise SystemExit(f"the attendance import page answers {status}")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookies).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    boundary = "bench-boundary-7d1f"
    line = b"user@example.jp,Yamada Hanako,2026-12-17 14:00,2026-12-17 16:00,120\r\n"
    report = b"email,name,join,leave,minutes\r\n" + line * (megabytes * 1024 * 1024 // len(line))
    form = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"report\"; filename=\"report.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n"
    ).encode() + report + f"\r\n--{boundary}--\r\n".encode()
    status, _cookies, _body = _request(base, "POST", path, body=form, headers={
        "Cookie": f"{cookie_name}={session_cookie}; csrftoken={csrf_cookie}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    })
    return status


def settings_value(name: str):
    from django.conf import settings

    return getattr(settings, name)


# --- servers ---


def surge_env(*, database_url: str, redis_url: str, static_root: str, extra: dict | None = None) -> dict:
    """Return the environment of the bench's gunicorn (and worker): bench/apply.py's, with manifest static files."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    env = _server_env()
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.surge_settings",
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "BENCH_STATIC_ROOT": static_root,
        "VAR_DIR": str(Path(static_root).parent / "var"),
        **(extra or {}),
    })
    return env


def collectstatic(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO, env={**os.environ, **env}, check=True,
    )


def gunicorn_start(env: dict, *, workers: int, threads: int):
    """Start gunicorn through bench/apply.py's launcher; more than one thread makes it gthread workers."""
    if threads > 1:
        # gunicorn turns its sync worker into gthread when threads > 1 (the launcher names "sync").
        env = {**env, "GUNICORN_CMD_ARGS": f"--threads {threads}"}
    server = _start_gunicorn(env, workers)
    _wait_until_up(server[1])
    return server


def gunicorn_stop(server) -> None:
    server[0].terminate()
    try:
        server[0].wait(timeout=40)
    except subprocess.TimeoutExpired:
        server[0].kill()
        server[0].wait()


def redis_flush(redis_url: str) -> None:
    """Empty the bench's broker database and the cache database after it (never any other)."""
    import redis

    from config.settings import _next_redis_db

    for url in (redis_url, _next_redis_db(redis_url)):
        redis.Redis.from_url(url).flushdb()


# --- the open-loop surge ---


class Outcome:
    __slots__ = ("index", "email", "scheduled", "started", "ended", "status", "error")

    def __init__(self, index, email, scheduled):
        self.index, self.email, self.scheduled = index, email, scheduled
        self.started = self.ended = None
        self.status = None
        self.error = None

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS

    @property
    def kind(self) -> str:
        return "ok" if self.ok else (self.error or f"HTTP {self.status}")


def schedule(count: int, seconds: float, *, poisson: bool, seed: int = 9) -> list[float]:
    """Return `count` arrival offsets over `seconds`: evenly spaced, or a Poisson process scaled to end in time."""
    if not poisson:
        return [i * seconds / count for i in range(count)]
    rng = random.Random(seed)
    gaps = list(itertools.accumulate(rng.expovariate(1.0) for _ in range(count)))
    return [gap * seconds / gaps[-1] for gap in gaps]


def surge(
    base: str,
    slug: str,
    emails: list[str],
    seconds: float,
    *,
    clients: int,
    poisson: bool = False,
    on_progress=None,
) -> tuple[list[Outcome], float]:
    """Send one application per email at its scheduled time; return the outcomes and the start (monotonic).

    `on_progress(elapsed)` is called by a side thread about ten times a second while the surge runs
    (the drills stop and start servers from it).
    """
    offsets = schedule(len(emails), seconds, poisson=poisson)
    outcomes = [Outcome(i, email, offset) for i, (email, offset) in enumerate(zip(emails, offsets, strict=True))]
    path = f"/sessions/{slug}/apply/"
    tickets = itertools.count()  # next() on a count is atomic under the GIL: each index goes to one thread
    start = [0.0]

    def set_start():
        # Run once every client has read its form: the schedule starts 0.2 s after the last is ready,
        # so the clients' own setting-up is never counted as the server's latency.
        start[0] = time.monotonic() + 0.2

    ready = threading.Barrier(clients + 1, action=set_start)

    def client():
        cookie, token = _csrf(base, slug)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "ja"}
        ready.wait()
        while (i := next(tickets)) < len(outcomes):
            outcome = outcomes[i]
            delay = start[0] + outcome.scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            outcome.started = time.monotonic()
            try:
                outcome.status = _request(base, "POST", path, _form(token, outcome.email), headers)[0]
            except OSError as exc:
                outcome.error = type(exc).__name__
            outcome.ended = time.monotonic()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    watcher_stop = threading.Event()
    if on_progress is not None:
        def watch():
            while not watcher_stop.wait(0.1):
                on_progress(time.monotonic() - start[0])

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    for thread in threads:
        thread.join()
    watcher_stop.set()
    return outcomes, start[0]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, math.ceil(fraction * len(values)) - 1))]


def summarise(outcomes: list[Outcome], start: float, seconds: float) -> dict:
    done = [o for o in outcomes if o.ended is not None]
    latency = sorted((o.ended - (start + o.scheduled)) * 1000 for o in done if o.ok)
    service = sorted((o.ended - o.started) * 1000 for o in done if o.ok)
    late_start = sorted((o.started - (start + o.scheduled)) * 1000 for o in done)
    kinds: dict[str, int] = {}
    for o in outcomes:
        if not o.ok:
            kinds[o.kind] = kinds.get(o.kind, 0) + 1
    last = max((o.ended for o in done), default=start)
    return {
        "sent": len(outcomes),
        "ok": len(latency),
        "errors": len(outcomes) - len(latency),
        "error_kinds": kinds,
        "offered_rate": len(outcomes) / seconds,
        "throughput": len(latency) / (last - start) if last > start else float("nan"),
        "wall": last - start,
        "latency": {p: percentile(latency, p / 100) for p in (50, 95, 99)} | {"max": latency[-1] if latency else 0},
        "service": {p: percentile(service, p / 100) for p in (50, 95, 99)} | {"max": service[-1] if service else 0},
        "client_wait_p99": percentile(late_start, 0.99),
    }


def print_timeline(outcomes: list[Outcome], start: float) -> None:
    """Print, per second of the schedule, the applicants due, the slowest latency and the slowest service time."""
    seconds: dict[int, list[Outcome]] = {}
    for o in outcomes:
        if o.ended is not None:
            seconds.setdefault(int(o.scheduled), []).append(o)
    print("  timeline (second: due, max latency from scheduled time / max service time, ms):")
    cells = []
    for second, due in sorted(seconds.items()):
        worst = max((o.ended - (start + o.scheduled)) * 1000 for o in due)
        service = max((o.ended - o.started) * 1000 for o in due)
        cells.append(f"{second:>3}: {len(due)} {worst:.0f}/{service:.0f}")
    for row in range(0, len(cells), 6):
        print("    " + "   ".join(cells[row:row + 6]))


def print_summary(label: str, s: dict) -> None:
    lat, svc = s["latency"], s["service"]
    print(
        f"{label}: {s['sent']} applicants offered at {s['offered_rate']:.0f}/s; "
        f"{s['ok']} answered 302 in {s['wall']:.1f} s = {s['throughput']:.0f} applications/s; "
        f"errors {s['errors']} {s['error_kinds'] or ''}"
    )
    print(
        f"  latency from scheduled time: p50 {lat[50]:.0f} ms  p95 {lat[95]:.0f} ms  p99 {lat[99]:.0f} ms  "
        f"max {lat['max']:.0f} ms"
    )
    print(
        f"  service time (send to last byte): p50 {svc[50]:.0f} ms  p95 {svc[95]:.0f} ms  p99 {svc[99]:.0f} ms  "
        f"max {svc['max']:.0f} ms;  p99 wait for a free client thread {s['client_wait_p99']:.0f} ms"
    )


# --- pages next to a static file (closed loop) ---


def closed_loop(base: str, path: str, *, clients: int, seconds: float, warmup: float = 1.0) -> dict:
    """Hammer one GET path with `clients` concurrent loops; return requests/s, p50/p99 and errors."""
    latencies, errors, lock = [], [], threading.Lock()
    begin = time.monotonic() + 0.2
    measure_from, stop_at = begin + warmup, begin + warmup + seconds
    headers = {"Accept-Language": "ja", "Accept-Encoding": "gzip, br"}

    def loop():
        time.sleep(max(0.0, begin - time.monotonic()))
        mine, bad = [], []
        while (now := time.monotonic()) < stop_at:
            try:
                status = _request(base, "GET", path, headers=headers)[0]
                failure = None if status == 200 else f"HTTP {status}"
            except OSError as exc:
                failure = type(exc).__name__
            if now >= measure_from:
                (bad.append(failure) if failure else mine.append(time.monotonic() - now))
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rate": len(latencies) / seconds,
        "p50": percentile(latencies, 0.5) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
    }


def static_path(static_root: str) -> str:
    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/portal.css"]


def pages_vs_static(base: str, slug: str, static: str, *, clients: int, seconds: float, rounds: int) -> None:
    paths = {"static": static, "home": "/", "session": f"/sessions/{slug}/"}
    best: dict[str, float] = {}
    print(f"\n# pages vs static: closed loop, {clients} concurrent, {seconds:g} s each, {rounds} rounds")
    for round_number in range(rounds):
        for name, path in paths.items():
            f = closed_loop(base, path, clients=clients, seconds=seconds)
            best[name] = max(best.get(name, 0.0), f["rate"])
            kinds = f" {f['error_kinds']}" if f["error_kinds"] else ""
            print(
                f"  {name:<8} (round {round_number + 1}) {f['rate']:7.0f} req/s  p50 {f['p50']:6.1f} ms  "
                f"p99 {f['p99']:6.1f} ms  errors {f['errors']}{kinds}   {path}"
            )
    for name in ("home", "session"):
        ratio = best[name] / best["static"] if best["static"] else float("nan")
        verdict = "meets" if ratio >= 0.5 else "MISSES"
        print(f"  {name} / static (best of rounds): {best[name]:.0f} / {best['static']:.0f} = {ratio:.0%}  "
              f"({verdict} the >= 50 % target)")


# --- checking the database ---


def session_counts(session_pk: int) -> dict:
    from django.db.models import Count

    from registrations.models import Application
    from seminars.models import Session

    session = Session.objects.get(pk=session_pk)
    by_status = dict(
        Application.objects.filter(session=session).values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {"places_taken": session.places_taken, "capacity": session.capacity, "by_status": by_status}


def check_surge(session_pk: int, outcomes: list[Outcome], capacity: int) -> bool:
    """Print and check: `capacity` confirmed, the rest waitlisted, one row per 302 and none for an error."""
    from django.db.models import Count
    from django.db.models.functions import Lower

    from registrations.models import Application

    counts = session_counts(session_pk)
    rows = dict(
        Application.objects.filter(session_id=session_pk).annotate(e=Lower("email")).values("e")
        .annotate(n=Count("pk")).values_list("e", "n")
    )
    ok = {o.email.lower() for o in outcomes if o.ok}
    failed = {o.email.lower() for o in outcomes if not o.ok}
    confirmed = counts["by_status"].get("confirmed", 0)
    waitlisted = counts["by_status"].get("waitlisted", 0)
    expected_waitlisted = len(ok) - capacity
    problems = []
    if confirmed != capacity:
        problems.append(f"{confirmed} confirmed, expected {capacity}")
    if waitlisted != expected_waitlisted:
        problems.append(f"{waitlisted} waitlisted, expected {expected_waitlisted}")
    if counts["places_taken"] != capacity:
        problems.append(f"places_taken {counts['places_taken']}, expected {capacity}")
    missing = [e for e in ok if rows.get(e) != 1]
    if missing:
        problems.append(f"{len(missing)} successful applicants without exactly one row")
    extra = [e for e in rows if e not in ok]
    if extra:
        problems.append(f"{len(extra)} rows for applicants who got an error ({len(failed)} errors)")
    print(
        f"\nsession: {confirmed} confirmed, {waitlisted} waitlisted (of {len(outcomes)} applicants, "
        f"{len(ok)} answered 302); places_taken {counts['places_taken']} of {capacity}; "
        f"rows per successful applicant all 1: {not missing}"
    )
    print("CHECK " + ("OK" if not problems else "FAILED: " + "; ".join(problems)))
    return not problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="arrivals spread over this long (default 30)")
    parser.add_argument("--capacity", type=int, default=5_000)
    parser.add_argument("--poisson", action="store_true", help="Poisson arrivals instead of evenly spaced")
    parser.add_argument("--clients", type=int, default=96, help="client threads taking the arrivals (default 96)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 4)))
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (>1: gthread)")
    parser.add_argument("--worker", action="store_true", help="run a Celery worker and SMTP sink during the surge")
    parser.add_argument("--page-clients", type=int, default=16)
    parser.add_argument("--page-seconds", type=float, default=6.0)
    parser.add_argument("--page-rounds", type=int, default=2)
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-surge", action="store_true", help="only the pages against the static file")
    parser.add_argument(
        "--upload-mb", type=int, default=20,
        help="then an attendee report this large to the attendance import (0: none)",
    )
    parser.add_argument("--timeline", action="store_true", help="print the slowest latency of each second")
    args = parser.parse_args()

    print(f"# loadavg at start: {loadavg()}  ({os.cpu_count()} CPUs)")
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    redis_url = os.environ.get("REDIS_URL", DEFAULT_REDIS)
    tmp = tempfile.TemporaryDirectory(prefix="surge-")
    static_root = str(Path(tmp.name) / "static")
    # The office's upload is made with a session made here, without the second factor's steps.
    env = surge_env(
        database_url=database_url, redis_url=redis_url, static_root=static_root,
        extra={"STAFF_SECOND_FACTOR_REQUIRED": "false"},
    )
    os.environ.update(env)
    database_create(database_url, fresh=True)
    collectstatic(env)
    import django

    django.setup()
    session_pk, slug = _prepare_database(capacity=args.capacity)
    from django.db import connection

    connection.close()
    redis_flush(redis_url)
    mail = None
    if args.worker:
        from bench.drill import MailSink, Worker

        sink = MailSink().start()
        mail = (sink, Worker(env, sink, Path(tmp.name), concurrency=1).start())
    server = gunicorn_start(env, workers=args.workers, threads=args.threads)
    worker_kind = f"gthread x{args.threads}" if args.threads > 1 else "sync"
    try:
        print(
            f"# gunicorn {args.workers} {worker_kind} workers (bench/apply.py launcher, no access log), "
            f"PostgreSQL {urllib.parse.urlsplit(database_url).path.strip('/')}, Redis {redis_url}, "
            f"Celery worker during the surge: {'yes, 1 process + SMTP sink' if mail else 'no'}"
        )
        print(
            f"# {args.applicants} applicants over {args.seconds:g} s "
            f"({'Poisson' if args.poisson else 'evenly spaced'}), {args.clients} client threads, "
            f"session of {args.capacity} places with its waiting list"
        )
        stamp = int(time.time())
        emails = [f"surge-{stamp}-{i}@example.jp" for i in range(0 if args.no_surge else args.applicants)]
        good = True
        if not args.no_surge:
            good = run_surge(args, server, slug, emails, session_pk)
        if not args.no_pages:
            pages_vs_static(
                server[1], slug, static_path(static_root),
                clients=args.page_clients, seconds=args.page_seconds, rounds=args.page_rounds,
            )
            print_resident(server[0].pid, "after the pages")
        if args.upload_mb:
            for _ in range(2):  # two workers at least take one each, most likely
                status = upload_attendance(server[1], session_pk, args.upload_mb)
            print(f"\n# {args.upload_mb} MB attendee report posted twice to the attendance import: {status}")
            print_resident(server[0].pid, f"after the {args.upload_mb} MB uploads")
    finally:
        gunicorn_stop(server)
        if mail:
            mail[1].stop()
            mail[0].stop()
        redis_flush(redis_url)
        tmp.cleanup()
    print(f"# loadavg at end: {loadavg()}")
    return 0 if good else 1


def run_surge(args, server, slug: str, emails: list[str], session_pk: int) -> bool:
    """Run the surge against `server`, print its figures and check the session's counts; return whether they hold."""
    from django.db import connection

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    machine_before, server_before = machine_cpu(), tree_cpu(server[0].pid)
    wall_before = time.monotonic()
    outcomes, start = surge(server[1], slug, emails, args.seconds, clients=args.clients, poisson=args.poisson)
    wall = time.monotonic() - wall_before
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    machine_after, server_after = machine_cpu(), tree_cpu(server[0].pid)
    summary = summarise(outcomes, start, args.seconds)
    print()
    print_summary("surge", summary)
    if args.timeline:
        print_timeline(outcomes, start)
    client_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    print(f"  client CPU: {client_cpu:.1f} s over {wall:.1f} s = {client_cpu / wall:.0%} of one core")
    busy = (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1])
    server_cpu = server_after - server_before
    print(
        f"  gunicorn CPU: {server_cpu:.1f} s = {server_cpu / wall:.0%} of one core, "
        f"{server_cpu * 1000 / max(1, summary['ok']):.1f} ms per application; "
        f"machine busy {busy:.0%} of {os.cpu_count()} cores (everything: us, PostgreSQL, Redis, others' runs)"
    )
    p99 = summary["latency"][99]
    print(
        f"  targets: errors {summary['errors']} (target 0: {'met' if summary['errors'] == 0 else 'MISSED'}), "
        f"p99 {p99:.0f} ms (target < 250 ms: {'met' if p99 < 250 else 'MISSED'})"
    )
    print_resident(server[0].pid, "after the surge")
    good = check_surge(session_pk, outcomes, args.capacity)
    connection.close()
    return good


if __name__ == "__main__":
    sys.exit(main())

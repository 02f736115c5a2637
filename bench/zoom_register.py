"""Measure registering applicants in Zoom through a real Celery worker against the fake Zoom (not a test).

    .venv/bin/python bench/zoom_register.py [--count 1000] [--concurrency 8] [--delay 0.1] [--rate 30]
        [--database-url postgres://postgres@127.0.0.1:5432/seminars_bench_zoom] [--redis-url redis://127.0.0.1:6379/13]

Creates a throwaway PostgreSQL database, a session with a Zoom webinar ID and
--count confirmed applications (window still open: no mail), starts the fake Zoom
(tests/zoom/fake_zoom.py) answering each request after --delay seconds (Zoom's
own answers take about 100 ms) and refusing more than --rate requests a second
with 429 and Retry-After: 1 (Zoom Pro's "Light" limit, which "Add a webinar
registrant" is under, is 30 a second), and a Celery worker with --concurrency
processes. Then runs the sweep beat runs each minute and waits until every
application has its personal link. Prints the wall time and the requests made
(registrant adds, tokens, 429s).
"""
import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/seminars_bench_zoom"
sys.path.insert(0, str(REPO))

from bench.mail import fresh_postgres  # noqa: E402
from tests.zoom.fake_zoom import FakeZoom  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--rate", type=int, default=30)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"))
    args = parser.parse_args()
    if not fresh_postgres(args.database_url):
        sys.exit("needs PostgreSQL (the worker and this script share the database)")

    fake = FakeZoom(delay=args.delay, rate=args.rate).start()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-zoom-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url, "VAR_DIR": str(var_dir), "SECRET_KEY": "bench-only-not-secret",
        "LOG_LEVEL": "WARNING", "EMAIL_URL": "consolemail://", **fake.settings_env(),
    })
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from config.celery import app
    from registrations.enums import ApplicationStatus
    from registrations.models import Application
    from seminars.models import Series, Session
    from zoom.models import RegistrationState, ZoomRegistration
    from zoom.services import registrations_sweep

    call_command("migrate", verbosity=0)
    app.control.purge()
    now = timezone.now()
    series = Series.objects.create(slug="bench", title_en="Bench series", overview_en="-", audience_en="-",
                                   fee_note_en="Free", application_rule_en="-", contact_email="office@example.org")
    session = Session.objects.create(
        series=series, number=1, slug="bench-1", level_en="Basic", title_en="Preventing customer harassment",
        overview_en="-", starts_at=now + dt.timedelta(days=20), ends_at=now + dt.timedelta(days=20, hours=2),
        applications_open_on=(now - dt.timedelta(days=3)).date(),
        applications_close_on=(now + dt.timedelta(days=10)).date(), zoom_webinar_id="81234567890",
    )
    Application.objects.bulk_create(
        Application(session=session, reference=f"Z{i:07d}", manage_secret=f"bench-secret-{i:08d}",
                    status=ApplicationStatus.CONFIRMED, name="山田 花子", email=f"applicant{i}@example.jp",
                    organisation="株式会社サンプル", industry="retail", organisation_size="100-299", prefecture="13",
                    consented_at=now, privacy_notice_version="2025-06")
        for i in range(args.count)
    )
    log = open(var_dir / "worker.log", "wb")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "--loglevel", "WARNING",
         "--concurrency", str(args.concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=REPO, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    time.sleep(4)  # the worker's start is not part of the figure
    try:
        started = time.monotonic()
        registrations_sweep()
        registered = ZoomRegistration.objects.filter(state=RegistrationState.REGISTERED)
        while registered.count() < args.count:
            if time.monotonic() - started > 1800:
                sys.exit("gave up after 30 minutes")
            time.sleep(0.2)
        wall = time.monotonic() - started
    finally:
        os.killpg(worker.pid, 15)
        worker.wait()
        log.close()
        fake.stop()
    with fake.lock:
        adds = sum(1 for route, _p, _b in fake.requests if route == "add")
        tokens = sum(1 for route, _p, _b in fake.requests if route == "token")
        total = len(fake.requests)
    registrants = len(fake.registrants.get("81234567890", {}))
    limited = adds - args.count
    print(f"{args.count} applicants, worker concurrency {args.concurrency}, {args.delay * 1000:.0f} ms answers, "
          f"rate limit {args.rate}/s")
    print(f"wall time {wall:.1f} s ({args.count / wall:.1f} registrations/s); requests {total}: {adds} adds "
          f"(about {limited} answered 429 or retried), {tokens} tokens; registrants in Zoom {registrants}")


if __name__ == "__main__":
    main()

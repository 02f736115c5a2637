"""Time and profile one kind of request in-process, through Django's whole middleware stack (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/seminars_bench REDIS_URL=redis://127.0.0.1:6379/6 \\
      .venv/bin/python bench/profile_requests.py apply [--count 1000] [--top 60] [--sort tottime]
    ... bench/profile_requests.py pages                 # a cached home page and session page, per iteration

Prepares the database as bench/apply.py does (bench.settings, an open session with room for all),
then runs --count iterations of one kind through Django's test client, once under cProfile and
once plain, and prints the wall and CPU milliseconds per iteration of the plain run (the figure
to compare between a lever's on and off, alternating runs) and the profile's top functions.
`apply` is one application POST (valid form, distinct address); `pages` is a GET of the home
page and of the session's page, served from the page cache after the warm-up. No network, no
gunicorn: the CPU figure is what one request costs the process, whatever else the machine runs.
"""
import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.apply import _form, _prepare_database, _server_env, database_create  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("apply", "pages"))
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (default cumulative)")
    args = parser.parse_args()

    env = _server_env()
    os.environ.update(env)
    database_create(env["DATABASE_URL"], fresh=False)
    import django

    django.setup()
    from django.test import Client

    _pk, slug = _prepare_database(capacity=10_000_000)
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1")
    form = browser.get(f"/sessions/{slug}/apply/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.content).group(1).decode()

    def apply(count: int) -> None:
        for _ in range(count):
            body = _form(token, f"profile-{time.time_ns()}@example.org")
            response = browser.post(
                f"/sessions/{slug}/apply/", data=body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code == 302, response.status_code

    def pages(count: int) -> None:
        for _ in range(count):
            for path in ("/", f"/sessions/{slug}/"):
                response = browser.get(path)
                assert response.status_code == 200, (path, response.status_code)

    run = apply if args.kind == "apply" else pages
    run(50)  # warm-up: connections, caches, the page cache filled
    profile = cProfile.Profile()
    profile.enable()
    run(args.count)
    profile.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    run(args.count)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{args.kind}: {wall / args.count * 1000:.2f} ms wall, {cpu / args.count * 1000:.2f} ms CPU per iteration"
          f" ({args.count} iterations, unprofiled)")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()

"""Shared fixtures. Tests marked postgres/redis need those servers: skipped when the
run has none, a failure when REQUIRE_SERVICES=1 (CI), so CI never skips them silently."""
import contextlib
import datetime as dt
import os
import socket
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from seminars.models import TOKYO

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "var" / "test-artifacts"


def _missing(what: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required in this run (REQUIRE_SERVICES=1) but not configured or not reachable")
    pytest.skip(f"needs {what}")


@contextlib.contextmanager
def database_out_of_reach():
    """Point the default database connection at a port nothing listens on (as a stopped server), then back."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def redis_reachable() -> bool:
    if not settings.REDIS_URL:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def redis_url_of_worker(url: str, worker: str, *, cache: bool = False) -> str:
    """Return the Redis URL a pytest-xdist worker uses: its own pair of databases (broker, then cache).

    Worker gwN takes the database 2*N after the one `url` names for its broker, and the one after
    that for its cache (as config.settings puts the cache on the broker's database + 1): two workers
    never consume each other's tasks, purge each other's queue or clear each other's cache.
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + 2 * int(worker.removeprefix("gw")) + int(cache)
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Hash test passwords with a fast hasher, as Django's testing docs advise ("Speeding up the tests").

    The default PBKDF2 takes about 0.2 s per hash on a small machine, paid at every user created and every
    sign-in. What the tests check (who may sign in, the lockout, the second factor) does not depend on the hash.
    """
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _redis_of_this_worker():
    """Under pytest-xdist, give this worker's Django cache, Celery app and worker processes a Redis of their own.

    Without Redis (the embedded defaults), the worker gets a cache folder of its own instead: one worker's
    cache.clear() or count must not land in another's. PostgreSQL needs nothing here: pytest-django already
    gives each xdist worker its own test database.
    """
    from django.test import override_settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and not settings.REDIS_URL and settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache"):
        folder = f"{settings.CACHES['default']['LOCATION']}-{worker}"
        with override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": folder}}):
            yield
        return
    if not worker or not settings.REDIS_URL:
        yield
        return

    from config.celery import app

    broker = redis_url_of_worker(settings.REDIS_URL, worker)
    cache_url = redis_url_of_worker(settings.REDIS_URL, worker, cache=True)
    caches = {"default": {**settings.CACHES["default"], "LOCATION": cache_url}}
    original_broker = app.conf.broker_url
    with override_settings(REDIS_URL=broker, CELERY_BROKER_URL=broker, CACHE_URL=cache_url, CACHES=caches):
        app.conf.broker_url = broker
        yield
    app.conf.broker_url = original_broker


def compile_catalogues() -> bool:
    """Compile each locale/*/LC_MESSAGES/*.po whose .mo is missing or older (the .mo is built, never committed).

    msgfmt writes to a temporary file that replaces the .mo in one step, under a lock: other test
    processes in the same tree (xdist workers, other runs) never read a half-written catalogue.
    """
    import fcntl
    import subprocess

    stale = [
        po for po in sorted((REPO / "locale").glob("*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return False
    (REPO / "var").mkdir(exist_ok=True)
    with open(REPO / "var" / "compilemessages.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for po in stale:
            mo = po.with_suffix(".mo")
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue  # another process compiled it while this one waited for the lock
            partial = mo.with_name(f".{mo.name}.{os.getpid()}")
            subprocess.run(["msgfmt", "--check-format", "-o", str(partial), str(po)], check=True)
            os.replace(partial, mo)
    return True


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """Pages and mail in Japanese need the compiled catalogue; compile it when missing or out of date."""
    if compile_catalogues():
        import gettext

        from asgiref.local import Local
        from django.utils.translation import trans_real

        # Django setup may have read the old catalogue already: drop every cached copy (as Django's
        # own setting_changed handler for LOCALE_PATHS does, plus the gettext module's file cache).
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in the default language (Japanese), whatever an earlier request activated.

    LocaleMiddleware activates a request's language for the thread and leaves it active; with the
    language in the URL, `reverse()` and `get_absolute_url()` follow it (/en/… after an English page).
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """Run the test's own code (services, forms, templates, commands) in English, as its assertions read.

    Outside a request the active language is Japanese; a page in English is asked for at its
    English URL instead (tests/languages.py).
    """
    with translation.override("en"):
        yield


def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_SERVICES=1 (CI) a skipped test fails the run: CI never passes with a part of it left out.

    (Skips of a missing server already fail through `_missing`; this catches any other skip too.)
    Runs in the process that reports, the pytest-xdist controller when there are workers.
    """
    if os.environ.get("REQUIRE_SERVICES") != "1" or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"FAILED: {len(skipped)} tests skipped in a run that requires every test (REQUIRE_SERVICES=1)", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL (DATABASE_URL=postgres://...)")
    if request.node.get_closest_marker("redis") and not redis_reachable():
        _missing("Redis (REDIS_URL=redis://...)")


@pytest.fixture
def plain_http(settings):
    """Serve plain HTTP as the portal does behind its TLS proxy (tests run with DEBUG off,
    so production's HTTPS redirect would otherwise answer every request with a 301)."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def tokyo(*args) -> dt.datetime:
    """Return an aware datetime in Asia/Tokyo: tokyo(2025, 7, 31, 14, 0)."""
    return dt.datetime(*args, tzinfo=TOKYO)


# --- browser tests (Playwright on Debian's Chromium; see shared RECIPES) ---

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists()), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is required in this run but /usr/bin/chromium is missing")
        pytest.skip("needs Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = REPO / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail("axe-core is missing: scripts/test installs it from the npm registry")
    return path.read_text()


@pytest.fixture
def axe_check(axe_source):
    """Run axe-core in a page and fail on any serious or critical violation."""

    def check(page):
        # Evaluated through DevTools: the portal's CSP (script-src 'self') blocks an inline <script> tag.
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document)")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
        )
        return result

    return check

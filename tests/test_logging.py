"""What reaches the logs: JSON lines in production, and never an applicant's personal data or a joining link.

The tests route every logger through the production configuration (LOG_FORMAT=json) into a
buffer, act as applicants and the system would, and read what an operator would read.
This module is also the ROOT_URLCONF: the portal's URLs plus one view that fails with
personal data in its exception, to prove the formatter's safety net.
"""
import datetime as dt
import io
import json
import logging
import logging.config
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core import mail
from django.core.management import call_command
from django.urls import path, reverse
from django.utils import timezone

from config.logging import logging_config, redact
from config.urls import handler500  # noqa: F401 - this module is the ROOT_URLCONF in these tests
from config.urls import urlpatterns as portal_urlpatterns
from outbox.delivery import outbox_send_due
from registrations.enums import ApplicationStatus, MailKind
from registrations.models import Application
from registrations.notifications import application_notify
from registrations.retention import applications_erase_personal_data
from registrations.selectors import manage_token
from tests.conftest import REPO
from tests.factories import AppearanceFactory, ApplicationFactory, SessionFactory
from tests.languages import EnglishClient
from tests.registrations.conftest import applicant_data

JOINING_URL = "https://meet.example.org/j/8812345678?pwd=JoinSecret42"
APPLICANT = applicant_data()
PERSONAL_FIELDS = ("name", "name_reading", "email", "organisation", "department", "position", "phone", "question")
NEVER_LOGGED = [
    APPLICANT["name"],
    APPLICANT["name_reading"],
    APPLICANT["email"],
    "hanako.yamada",
    APPLICANT["organisation"],
    APPLICANT["phone"],
    "1234-5678",
    APPLICANT["question"],
    JOINING_URL,
    "8812345678",
    "JoinSecret42",
]


def _fail_with_personal_data(request):
    raise ValueError(f"Could not process {APPLICANT['email']} ({APPLICANT['phone']}), link {JOINING_URL}")


# In each language, as the portal's pages are: /test-only/fail/ and /en/test-only/fail/.
urlpatterns = [
    *portal_urlpatterns,
    *i18n_patterns(path("test-only/fail/", _fail_with_personal_data), prefix_default_language=False),
]


@pytest.fixture
def production_log(settings):
    """Send every log record through the production JSON configuration; return a reader of the lines."""
    settings.ROOT_URLCONF = __name__
    settings.SECURE_SSL_REDIRECT = False
    buffer = io.StringIO()
    logging.config.dictConfig(logging_config(log_format="json", level="DEBUG"))
    console = next(handler for handler in logging.getLogger().handlers if handler.name == "console")
    console.setStream(buffer)
    yield buffer.getvalue
    logging.config.dictConfig(settings.LOGGING)


def assert_clean(output: str, *also_secret: str):
    records = [json.loads(line) for line in output.splitlines()]
    assert records, "nothing was logged: the test exercised nothing"
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys(), record
    for secret in (*NEVER_LOGGED, *also_secret):
        assert secret not in output, secret
    return records


def _open_session():
    today = timezone.localdate()
    return SessionFactory(
        starts_at=timezone.now() + dt.timedelta(days=10),
        applications_open_on=today - dt.timedelta(days=3),
        applications_close_on=today + dt.timedelta(days=7),
        joining_url=JOINING_URL,
        joining_instructions="Passcode JoinSecret42",
    )


@pytest.mark.django_db
def test_public_pages_and_failures_log_no_personal_data(production_log):
    appearance = AppearanceFactory(session=_open_session())
    client = EnglishClient(raise_request_exception=False)

    for url in ("/", appearance.session.get_absolute_url(), appearance.speaker.get_absolute_url(), "/archive/"):
        assert client.get(url).status_code == 200, url
    client.get(f"/sessions/{APPLICANT['email']}/")  # a 404 whose path is an address
    client.get("/applications/AbCdEfGhIjKlMnOp1234:QrStUvWxYz_987654/?email=" + APPLICANT["email"])
    failed = client.get("/test-only/fail/")

    assert failed.status_code == 500
    records = assert_clean(production_log(), "AbCdEfGhIjKlMnOp1234")
    errors = [r for r in records if r["level"] == "ERROR"]
    assert errors and "exc_info" in errors[0]  # the traceback is there, redacted
    assert "meet.example.org/[redacted]" in errors[0]["exc_info"]


@pytest.mark.django_db
def test_applying_and_cancelling_log_no_personal_data(production_log):
    session = _open_session()
    client = EnglishClient()

    applied = client.post(reverse("registrations:apply", kwargs={"slug": session.slug}), APPLICANT, follow=True)
    application = Application.objects.get(email=APPLICANT["email"])
    token = manage_token(application)
    client.get(reverse("registrations:manage", kwargs={"token": token}))
    client.post(reverse("registrations:cancel", kwargs={"token": token}), {"confirm": "on"})
    call_command("erase_personal_data", "--dry-run")

    assert applied.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CANCELLED
    assert_clean(production_log(), token, application.manage_secret)


@pytest.mark.django_db
def test_mail_delivery_logs_no_personal_data(production_log):
    session = _open_session()
    application = ApplicationFactory(session=session, **{k: APPLICANT[k] for k in PERSONAL_FIELDS})
    application_notify(application, MailKind.RECEIPT)
    application_notify(application, MailKind.CONFIRMATION)

    outbox_send_due()

    assert len(mail.outbox) == 2
    assert_clean(production_log(), manage_token(application))


@pytest.mark.django_db
def test_retention_logs_counts_only(production_log):
    application = ApplicationFactory(phone=APPLICANT["phone"], email=APPLICANT["email"], name=APPLICANT["name"])

    applications_erase_personal_data(now=application.session.ends_at + dt.timedelta(days=365))

    records = assert_clean(production_log())
    assert any(r["message"] == "Erased the personal data of 1 applications" for r in records)


def test_redact_keeps_what_operators_need():
    line = (
        "GET /sessions/customer-harassment-basics-2025/ 200; ref T0000001 application 123 at "
        "2025-07-31T14:00:00+09:00; https://seminars.example.org/archive/ via smtp.example.jp"
    )

    assert redact(line) == line.replace("https://seminars.example.org/archive/", "https://seminars.example.org/[redacted]")


def test_redact_keeps_static_file_names_readable():
    # The demo's own request log printed "GET /static/admin/css/[redacted]": a hashed name with '_' is no secret.
    line = '"GET /static/admin/css/nav_sidebar.dd925738f4cc.css HTTP/1.1" 200 627'
    assert redact(line) == line
    line = '"GET /static/admin/js/admin/RelatedObjectLookups.ed6240809a40.js HTTP/1.1" 200 2112'
    assert redact(line) == line


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("mail to Hanako.Yamada+seminar@example.co.jp refused", "Hanako.Yamada+seminar@example.co.jp"),
        ("call 090 1234 5678", "1234 5678"),
        ("call +81-3-1234-5678", "1234-5678"),
        ("call 0312345678", "0312345678"),
        ("Not Found: /applications/x3Jk9_QpL2mN8vR4tY6wZ1aB5cD7eF0gH:1tXyZa:AbCdEfGh123/", "x3Jk9_QpL2mN8vR4"),
        ("GET /applications/abc/?name=Hanako&email=x 404", "Hanako"),
        # A path that starts with /static/ but climbs out of it is no static file.
        ("GET /static/../applications/x3Jk9_QpL2mN8vR4tY6wZ1aB5cD7eF0gH:1tXyZa:AbCdEfGh123/ 404", "x3Jk9_QpL2mN8vR4"),
        ("join https://us02web.zoom.us/j/8812345678?pwd=JoinSecret42", "8812345678"),
    ],
)
def test_redact_removes_personal_data_and_secrets(text, secret):
    assert secret not in redact(text)
    assert "[redacted]" in redact(text)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_is_json_without_query_strings_or_tokens(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")},
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "test-only-not-secret",
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_FORMAT": "json",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=120)
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "gunicorn.conf.py"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - http on loopback
                break
            except urllib.error.HTTPError:  # 503 without a broker: the server is up all the same
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # TimeoutError: a first request still slow
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("gunicorn did not start:\n" + log_path.read_text())
                time.sleep(0.2)
        for url in (
            "/applications/AbCdEfGhIjKlMnOp1234:QrStUvWxYz_987654/?email=hanako.yamada@example.jp",
            "/archive/?name=Hanako",
        ):
            try:
                urllib.request.urlopen(base + url, timeout=10)  # noqa: S310 - http on loopback
            except urllib.error.HTTPError:
                pass
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    output = log_path.read_text()
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    access = [r["message"] for r in records if r["logger"] == "gunicorn.access"]
    assert any(line.startswith("GET /applications/[redacted]/ 404 ") for line in access), access
    assert any(line.startswith("GET /archive/ 200 ") for line in access), access
    for secret in ("AbCdEfGhIjKlMnOp1234", "hanako.yamada", "Hanako", "?"):
        assert secret not in "\n".join(access), secret
    assert "hanako.yamada" not in output and "AbCdEfGhIjKlMnOp1234" not in output


def test_tracebacks_keep_their_source_file_paths(production_log):
    """An operator reading a traceback sees which files failed; the message's secrets are still redacted."""
    from django.utils.module_loading import import_string

    try:
        import_string("config.no_such_module.Thing")
    except ImportError:
        logging.getLogger("config").exception(
            "Failed for %s (%s) at /applications/AbCdEfGhIjKlMnOp1234:QrStUvWxYz_987654/",
            APPLICANT["email"], APPLICANT["phone"],
        )

    [record] = assert_clean(production_log(), "AbCdEfGhIjKlMnOp1234")
    assert "/django/utils/module_loading.py\", line " in record["exc_info"], record["exc_info"]
    assert "/applications/[redacted]/" in record["message"]


def test_runserver_request_log_redacts_tokens_and_query_strings(tmp_path):
    """scripts/start serves with runserver: its request lines go through the same redacting formatter."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")},
        "VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": "test-only-not-secret",
        "SECURE_SSL_REDIRECT": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=120)
    log_path = tmp_path / "runserver.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/archive/", timeout=5)  # noqa: S310 - http on loopback
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("runserver did not start:\n" + log_path.read_text())
                time.sleep(0.2)
        try:
            urllib.request.urlopen(  # noqa: S310 - http on loopback
                f"{base}/applications/AbCdEfGhIjKlMnOp1234:QrStUvWxYz_987654/?email=hanako.yamada@example.jp",
                timeout=10,
            )
        except urllib.error.HTTPError:
            pass
        # runserver writes the request's line after the response has gone out.
        deadline = time.monotonic() + 10
        while " 404 " not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    output = log_path.read_text()
    assert '"GET /applications/[redacted]/?[redacted] HTTP/1.1" 404' in output, output
    assert '"GET /archive/ HTTP/1.1" 200' in output, output
    assert "AbCdEfGhIjKlMnOp1234" not in output and "hanako.yamada" not in output

"""Fixtures for the zoom app: the fake Zoom server, the portal's settings pointing at it, a worker that uses it."""
import pytest
from django.core.cache import cache

# Real SMTP server and Celery worker processes (tests/registrations/mailservers.py).
from tests.registrations.mailservers import Worker, celery_worker, purge_queue, smtp, smtp_sink, worker_var  # noqa: F401, I001
from tests.zoom.fake_zoom import FakeZoom


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""


@pytest.fixture
def fake_zoom(settings):
    """A fake Zoom on loopback, and this process's ZOOM_* settings pointing at it (short timeouts and retries)."""
    server = FakeZoom(timeout_sleep=1.5).start()
    for name, value in server.settings_env().items():
        setattr(settings, name, value)
    settings.ZOOM_TIMEOUT_SECONDS = 1
    settings.ZOOM_RETRY_SECONDS = 1
    cache.clear()  # no token of another test's fake
    yield server
    server.stop()
    cache.clear()


@pytest.fixture
def zoom_worker(django_db_setup, django_db_blocker, smtp_sink, worker_var, fake_zoom, monkeypatch):  # noqa: F811
    """A Celery worker process whose ZOOM_* settings point at the fake (retries after 1 s, timeouts of 1 s)."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        yield None
        return
    for name, value in fake_zoom.settings_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ZOOM_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("ZOOM_RETRY_SECONDS", "1")
    purge_queue()
    worker = Worker(smtp_sink, worker_var, concurrency=2).start()
    yield worker
    worker.stop()

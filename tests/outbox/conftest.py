"""Fixtures for the outbox's tests: the real SMTP server and Celery worker, and a quick way to add mail."""
import pytest

from outbox.models import Message
from outbox.services import outbox_add
from tests.conftest import tokyo

# Real SMTP server and Celery worker processes (tests/registrations/mailservers.py).
from tests.registrations.mailservers import celery_worker, smtp, smtp_sink, worker_var  # noqa: F401

T0 = tokyo(2025, 7, 10, 9, 0)


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """The admin pages here are fetched over plain HTTP (see tests/conftest.py)."""


def add_mail(to: str, *, now=T0, **fields) -> Message:
    """Add one mail to `to`, due at `now`, without queueing a task (these tests send it themselves)."""
    defaults = {"key": f"test:{to}", "subject": f"Mail for {to}", "body_text": f"Hello {to}.\n"}
    return outbox_add(to=to, now=now, queue=False, **(defaults | fields))

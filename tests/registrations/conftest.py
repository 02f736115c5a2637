"""Fixtures for applying: sessions open now, valid form data, a clean rate-limit store."""
import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import SessionFactory


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    """Each test starts with no submissions counted against its client address."""
    cache.clear()
    yield
    cache.clear()


def open_session(**kwargs):
    """Create a session whose application period runs today (Tokyo) and ends in a week."""
    today = timezone.localdate()
    starts = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + dt.timedelta(days=10)
    defaults = {
        "applications_open_on": today - dt.timedelta(days=3),
        "applications_close_on": today + dt.timedelta(days=7),
        "starts_at": starts,
    }
    return SessionFactory(**(defaults | kwargs))


def applicant_data(**overrides) -> dict:
    """Return what a form posts for a complete, valid application (Japanese names)."""
    data = {
        "name": "山田 花子",
        "name_reading": "ヤマダ ハナコ",
        "email": "hanako.yamada@example.jp",
        "email_again": "hanako.yamada@example.jp",
        "organisation": "株式会社サンプル商事",
        "department": "人事部",
        "position": "課長",
        "industry": "retail",
        "organisation_size": "100-299",
        "prefecture": "13",
        "phone": "03-1234-5678",
        "attendance": "online",
        "question": "カスタマーハラスメントの線引きについて教えてください。",
        "consent": "on",
    }
    return data | overrides


def service_data(**overrides) -> dict:
    """Return cleaned data as the form hands it to the service."""
    data = applicant_data(**overrides)
    data["consent"] = bool(data["consent"])
    data["phone"] = data["phone"].replace("-", "")
    data.pop("email_again")
    return data


# Real SMTP server and Celery worker processes for the mail tests (tests/registrations/mailservers.py).
from tests.registrations.mailservers import celery_worker, smtp, smtp_sink, worker_var  # noqa: E402, F401, I001

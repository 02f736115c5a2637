"""Fixtures for the office's tools: an office user and a client logged in as them, sessions in every state."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from tests.registrations.conftest import applicant_data, open_session, service_data  # noqa: F401

PASSWORD = "a-long-office-password-2025"


@pytest.fixture(autouse=True)
def _plain_http(plain_http):
    """Every test here talks plain HTTP (see tests/conftest.py)."""


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(db):
    """An office user as the command creates them: staff, in the office group, no superuser."""
    call_command("create_office_user", "desk", "desk@example.org", password=PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username="desk")


@pytest.fixture
def office_client(office):
    client = Client()
    client.force_login(office)
    return client


# Real SMTP server and Celery worker processes for the mail tests (tests/registrations/mailservers.py).
from tests.registrations.mailservers import celery_worker, smtp, smtp_sink, worker_var  # noqa: E402, F401, I001

"""Fixtures for the browser tests."""
import re

import pytest
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer


@pytest.fixture
def server(settings, transactional_db):
    """A live server of its own, built after these settings: plain HTTP, as production is behind its proxy.

    (The shared live_server's middleware is built once, with production's HTTPS redirect and
    secure cookies, which a browser on plain HTTP cannot get through to post a form.)
    """
    settings.SECURE_SSL_REDIRECT = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    cache.clear()
    server = LiveServer("localhost")
    yield server
    server.stop()


def required(label):
    """Match a required field's label exactly, with the asterisk crispy adds."""
    return re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$")

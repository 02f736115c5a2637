"""Hostile or unlucky input at the edges: the proxy's headers, the application limits, a cache that is away."""
import logging

import pytest
from django.test import Client
from django.urls import reverse

from registrations.models import Application
from tests.languages import EnglishClient
from tests.registrations.conftest import applicant_data, open_session

pytestmark = pytest.mark.django_db

# Where nothing listens: as a Redis server that was stopped (CACHE_URL=redis://127.0.0.1:1/0).
UNREACHABLE_CACHE = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.fixture(autouse=True)
def _hardening_settings(plain_http, _clean_rate_limits):
    """Plain HTTP (see tests/conftest.py) and no submission counted yet."""


@pytest.fixture
def _clean_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return EnglishClient()


def apply_url(session):
    return reverse("registrations:apply", kwargs={"slug": session.slug})


def apply(client, session, n, **extra):
    """Post a valid application with an address of its own (`n`); return the status."""
    email = f"applicant{n}@example.jp"
    return client.post(apply_url(session), applicant_data(email=email, email_again=email), **extra).status_code


def apply_invalid(client, session, **extra):
    """Post an application the form refuses (the two addresses differ); return the response."""
    return client.post(apply_url(session), applicant_data(email_again="typo@example.jp"), **extra)


# --- the limits on applying: applications, and all POSTs ---


def test_invalid_submissions_do_not_use_up_the_application_limit(client, settings):
    settings.APPLY_RATE_LIMIT = "2/h"
    session = open_session()

    typos = [apply_invalid(client, session).status_code for _ in range(5)]
    applications = [apply(client, session, n) for n in range(3)]

    assert typos == [400] * 5
    assert applications == [302, 302, 429]
    assert Application.objects.count() == 2


def test_every_post_counts_against_the_higher_ceiling(client, settings):
    settings.APPLY_RATE_LIMIT = "20/h"
    settings.APPLY_POST_RATE_LIMIT = "3/h"
    session = open_session()

    statuses = [apply_invalid(client, session).status_code for _ in range(3)]
    over = apply_invalid(client, session)
    valid = apply(client, session, 1)

    assert statuses == [400, 400, 400]
    assert over.status_code == 429
    assert "You have sent this form too many times in a short time." in over.content.decode()
    assert valid == 429
    assert not Application.objects.exists()


# --- the client address behind the proxy ---


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("198.51.100.7:4321", "198.51.100.7:5555", id="ipv4-with-port"),
        pytest.param("[2001:db8::7]:4321", "2001:db8::7", id="ipv6-with-port"),
        pytest.param("203.0.113.9, 198.51.100.7:4321", "198.51.100.7", id="last-entry-with-port"),
    ],
)
def test_a_forwarded_address_with_a_port_counts_as_that_address(client, settings, first, second):
    settings.APPLY_RATE_LIMIT = "1/h"
    session = open_session()

    statuses = [
        apply(client, session, 1, HTTP_X_FORWARDED_FOR=first),
        apply(client, session, 2, HTTP_X_FORWARDED_FOR=second),
        apply(client, session, 3, HTTP_X_FORWARDED_FOR="192.0.2.50"),
    ]

    assert statuses == [302, 429, 302]


def test_junk_in_x_forwarded_for_falls_back_to_the_peer_with_a_warning(client, settings, caplog):
    settings.APPLY_RATE_LIMIT = "1/h"
    session = open_session()

    with caplog.at_level(logging.WARNING, logger="config.client_ip"):
        statuses = [
            apply(client, session, 1, HTTP_X_FORWARDED_FOR="unknown"),
            apply(client, session, 2, HTTP_X_FORWARDED_FOR="<script>\x1b[31m"),
            apply(client, session, 3, REMOTE_ADDR="127.0.0.1"),  # the peer's own address: already counted
        ]

    assert statuses == [302, 429, 429]
    warnings = {r.getMessage() for r in caplog.records if r.name == "config.client_ip"}
    assert warnings == {
        "X-Forwarded-For ends in 'unknown', which is no address: using the peer's address",
        # Escaped: the raw control sequence never reaches the log.
        "X-Forwarded-For ends in '<script>\\x1b[31m', which is no address: using the peer's address",
    }


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("forwarded", "recorded"),
    [("198.51.100.7:4321", "198.51.100.7"), ("[2001:db8::7]:443", "2001:db8::7"), ("not-an-address", "127.0.0.1")],
)
def test_admin_login_behind_the_proxy_survives_any_forwarded_address(forwarded, recorded):
    """django-axes stores the address in an inet column: a port or junk there was a 500 on every login."""
    from axes.models import AccessAttempt

    client = Client(raise_request_exception=False)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "office", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded
    )

    assert response.status_code == 200
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]


# --- the cache away ---


def test_applying_and_pages_go_on_while_the_cache_is_away_with_one_warning(client, settings, caplog):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    session = open_session()
    working = settings.CACHES
    client.get("/")  # the cache answers: any earlier outage is over

    with caplog.at_level(logging.INFO, logger="config.cache_outage"):
        try:
            settings.CACHES = UNREACHABLE_CACHE
            pages = [client.get(path).status_code for path in ("/", session.get_absolute_url(), "/archive/") * 3]
            applications = [apply(client, session, n) for n in range(3)]
            settings.CACHES = working
            back = client.get("/").status_code
            settings.CACHES = UNREACHABLE_CACHE
            away_again = client.get("/").status_code
        finally:
            settings.CACHES = working  # so the rate limits can be cleared after the test

    assert pages == [200] * 9
    assert applications == [302, 302, 302]
    assert Application.objects.count() == 3
    assert (back, away_again) == (200, 200)
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "config.cache_outage"]
    assert [level for level, _message in lines] == ["WARNING", "INFO", "WARNING"], lines
    assert lines[0][1].startswith("Cache unreachable (ConnectionError")


# --- bodies Django cannot read, on every URL ---

# Each shape of body Django refuses to read: (content type, body).
UNREADABLE_BODIES = {
    "latin1-charset": ("application/x-www-form-urlencoded; charset=latin1", b"a=%ff"),
    "shift_jis-charset": ("application/x-www-form-urlencoded; charset=shift_jis", b"name=%8E%52%93%63"),
    "too-many-fields": ("application/x-www-form-urlencoded", b"&".join(b"f%d=1" % n for n in range(1001))),
    "empty-boundary": ("multipart/form-data; boundary=", b"--\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n"),
    "no-boundary": ("multipart/form-data", b"a=b"),
    "too-large": ("application/x-www-form-urlencoded", b"a=" + b"x" * (2_621_440 + 1)),
    "too-many-parts": (
        "multipart/form-data; boundary=xyz",
        b"".join(b"--xyz\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n1\r\n" % n for n in range(1001))
        + b"--xyz--\r\n",
    ),
}
# A page that exists, a form, the admin, private links and URLs that do not exist, in both languages.
UNREADABLE_URLS = [
    "/nope/", "/en/nope/", "/", "/admin/login/", "/en/applications/not-a-token/", "/healthz", "/static/x",
]


def _bad_request_page(status: int, body: str, url: str) -> bool:
    """Whether this is the 400 page in the URL's language: English under /en/, Japanese elsewhere."""
    heading = "Bad request" if url.startswith("/en/") else "不正なリクエスト"
    return status == 400 and f"<h1>{heading}</h1>" in body


@pytest.mark.parametrize("shape", sorted(UNREADABLE_BODIES))
def test_a_body_django_cannot_read_answers_the_400_page_on_every_url(shape):
    content_type, body = UNREADABLE_BODIES[shape]
    session = open_session()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32

    answers = {
        url: client.generic("POST", url, body, content_type=content_type)
        for url in [*UNREADABLE_URLS, apply_url(session)]
    }

    wrong = {
        url: response.status_code for url, response in answers.items()
        if not _bad_request_page(response.status_code, response.content.decode(), url)
    }
    assert wrong == {}


def test_a_readable_post_to_an_unknown_url_still_answers_its_usual_page():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post("/en/nope/", {"a": "b"})

    assert response.status_code == 404


@pytest.fixture
def live(settings, transactional_db):
    """A live server of its own, on plain HTTP as production is behind its proxy (see tests/browser/conftest.py)."""
    from pytest_django.live_server_helper import LiveServer

    settings.SECURE_SSL_REDIRECT = False
    server = LiveServer("localhost")
    yield server
    server.stop()


def _raw_post(url: str, path: str, content_type: str, body: bytes) -> tuple[int, str]:
    """POST as curl does, with the cookie of the issue's example; return (status, body)."""
    import http.client
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", path, body, {
            "Content-Type": content_type, "Cookie": "csrftoken=" + "a" * 32, "Accept-Language": "ja",
        })
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_through_a_live_server_every_unreadable_body_answers_the_400_page(live):
    answers = {
        (shape, path): _raw_post(live.url, path, *UNREADABLE_BODIES[shape])
        for shape in ("latin1-charset", "too-many-fields", "empty-boundary", "too-large")
        for path in ("/nope/", "/en/nope/", "/admin/login/")
    }

    wrong = {key: status for key, (status, body) in answers.items() if not _bad_request_page(status, body, key[1])}
    assert wrong == {}

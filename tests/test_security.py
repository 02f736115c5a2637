"""Security headers on every public page, under the production settings (DEBUG off, HTTPS)."""
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import AppearanceFactory, SessionFactory

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-src": {"https://www.youtube-nocookie.com", "https://player.vimeo.com"},
    "media-src": {"'self'", "https:"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'self'"},
    "object-src": {"'none'"},
}


def open_session():
    """Create a session whose application period runs today, so its form page is shown."""
    today = timezone.localdate()
    return SessionFactory(
        starts_at=timezone.now() + dt.timedelta(days=10),
        applications_open_on=today - dt.timedelta(days=3),
        applications_close_on=today + dt.timedelta(days=7),
    )


def public_urls() -> list[str]:
    appearance = AppearanceFactory(session=open_session())
    session = appearance.session
    return [
        "/",
        session.get_absolute_url(),
        appearance.speaker.get_absolute_url(),
        "/archive/",
        "/healthz",
        "/admin/login/",
        "/sessions/no-such-session/",  # the 404 page
        reverse("registrations:privacy"),
        reverse("registrations:apply", kwargs={"slug": session.slug}),
    ]


def expected_status(url: str) -> set[int]:
    """The status each public URL answers: /healthz says 503 when the broker is away (no broker in this run)."""
    if url == "/healthz":
        return {200, 503}
    return {404} if "no-such" in url else {200}


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def test_production_settings_are_in_force(settings):
    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True


def test_every_public_page_sends_the_security_headers(client):
    for url in public_urls():
        response = client.get(url, secure=True)

        assert response.status_code in expected_status(url), url
        assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_plain_http_is_redirected_to_https(client):
    response = client.get("/archive/?page=2", HTTP_HOST="localhost")

    assert response.status_code == 301
    assert response["Location"] == "https://localhost/archive/?page=2"


def test_forwarded_https_from_the_proxy_counts_as_secure(client):
    response = client.get("/archive/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def test_forwarded_https_from_anyone_but_the_proxy_is_ignored(client, settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]

    stranger = client.get("/archive/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.5")
    proxy = client.get("/archive/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.1")

    assert stranger.status_code == 301
    assert stranger["Location"] == "https://testserver/archive/"
    assert proxy.status_code == 200


def test_cookies_are_secure_and_the_session_cookie_is_http_only(client):
    get_user_model().objects.create_user("office", password="a-long-office-password", is_staff=True)

    form = client.get("/admin/login/", secure=True)
    csrf_cookie = form.cookies["csrftoken"]
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "office", "password": "a-long-office-password", "csrfmiddlewaretoken": csrf_cookie.value},
        secure=True,
    )

    assert login.status_code == 302
    session_cookie = login.cookies["sessionid"]
    assert csrf_cookie["secure"] is True
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_admin_pages_send_the_same_policy(admin_client):
    SessionFactory()
    for url in ("/admin/", "/admin/seminars/session/", "/admin/seminars/session/add/"):
        response = admin_client.get(url, secure=True)

        assert response.status_code == 200, url
        assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP, url

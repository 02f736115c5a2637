"""Friendly error pages (400, 403, CSRF failure, 404, 500) in the visitor's language, without debug details.

Runs with this module as ROOT_URLCONF: the portal's URLs plus two views that fail on purpose.
"""
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path
from django.utils import translation

from config.urls import handler400, handler500  # noqa: F401 - this module is the ROOT_URLCONF in these tests
from config.urls import urlpatterns as portal_urlpatterns

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "internal-detail-4417 /srv/portal/config/settings.py"


def _fail(request):
    raise RuntimeError(SECRET_DETAIL)


def _forbidden(request):
    raise PermissionDenied(SECRET_DETAIL)


urlpatterns = [
    *portal_urlpatterns,
    path("test-only/fail/", _fail),
    path("test-only/forbidden/", _forbidden),
]

LEAKS = ("Traceback", SECRET_DETAIL, "internal-detail", "RuntimeError", "URLconf", "DEBUG", "SECRET_KEY", "settings.py")


@pytest.fixture(autouse=True)
def _error_settings(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False


def _translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _assert_friendly(response, *, status: int, language: str, heading: str):
    body = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in body
    assert f"<h1>{_translated(language, heading)}</h1>" in body
    assert 'href="/"' in body  # a way back to the sessions
    for leak in LEAKS:
        assert leak not in body, leak


LANGUAGES = [
    pytest.param({"HTTP_ACCEPT_LANGUAGE": "en"}, "en", id="accept-language-en"),
    pytest.param({"HTTP_ACCEPT_LANGUAGE": "ja,en;q=0.5"}, "ja", id="accept-language-ja"),
    pytest.param({}, "ja", id="default-ja"),
]


@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
def test_404_is_friendly_in_the_visitors_language(client, headers, language):
    response = client.get("/sessions/no-such-session/", **headers)

    _assert_friendly(response, status=404, language=language, heading="Page not found")


@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
def test_500_is_friendly_in_the_visitors_language_and_needs_no_database(
    headers, language, django_assert_max_num_queries
):
    client = Client(raise_request_exception=False)

    with django_assert_max_num_queries(0):
        response = client.get("/test-only/fail/", **headers)

    _assert_friendly(response, status=500, language=language, heading="Something went wrong")


def test_language_cookie_wins_over_the_browser_language(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    not_found = client.get("/sessions/no-such-session/", HTTP_ACCEPT_LANGUAGE="ja")
    failed = client.get("/test-only/fail/", HTTP_ACCEPT_LANGUAGE="ja")

    _assert_friendly(not_found, status=404, language="en", heading="Page not found")
    _assert_friendly(failed, status=500, language="en", heading="Something went wrong")


def test_403_is_friendly(client):
    response = client.get("/test-only/forbidden/", HTTP_ACCEPT_LANGUAGE="en")

    _assert_friendly(response, status=403, language="en", heading="Access denied")


def test_csrf_failure_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "en"}, HTTP_ACCEPT_LANGUAGE="en")

    _assert_friendly(response, status=403, language="en", heading="The form has expired")
    assert "CSRF" not in response.content.decode()


def test_400_for_an_unknown_host_is_friendly(client):
    response = client.get("/", HTTP_HOST="attacker.example", HTTP_ACCEPT_LANGUAGE="en")

    _assert_friendly(response, status=400, language="en", heading="Bad request")
    assert "attacker.example" not in response.content.decode()


@pytest.mark.parametrize("charset", ["latin-1", "shift_jis", "utf-16", "x-no-such-charset"])
def test_a_form_in_another_charset_is_a_friendly_400_not_a_500(charset):
    """Django 5.2 refuses a urlencoded body in any charset but UTF-8; its 400 page must not read the body again.

    With CSRF checks on, as in production: the check is what reads the body first.
    """
    from tests.registrations.conftest import open_session

    session = open_session()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False, headers={"accept-language": "en"})
    for url in (f"/sessions/{session.slug}/apply/", "/admin/login/"):
        client.get(url)
        body = f"csrfmiddlewaretoken={client.cookies['csrftoken'].value}&name=%E9t%E9&email=a%40example.jp"

        response = client.generic(
            "POST", url, body.encode(), content_type=f"application/x-www-form-urlencoded; charset={charset}"
        )

        if charset == "x-no-such-charset":
            # Django ignores a charset it does not know and reads UTF-8: the form answers as usual.
            assert response.status_code in (200, 400), url
            assert "Bad request" not in response.content.decode(), url
        else:
            _assert_friendly(response, status=400, language="en", heading="Bad request")


def test_500_falls_back_to_plain_html_when_the_error_template_cannot_render(settings):
    # The manifest storage without a collectstatic run: {% static %} in 500.html raises.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    client = Client(raise_request_exception=False)

    response = client.get("/test-only/fail/", HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in body
    assert "<h1>Something went wrong</h1>" in body
    for leak in (*LEAKS, "manifest", "portal.css"):
        assert leak not in body, leak


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("headers", "language"), LANGUAGES)
def test_a_database_out_of_reach_is_a_friendly_503_with_retry_after(headers, language):
    """A PostgreSQL restart or failover: a page that needs the database says to try again, in the visitor's language."""
    from tests.conftest import database_out_of_reach
    from tests.factories import SessionFactory

    session = SessionFactory()
    with database_out_of_reach():
        response = Client(raise_request_exception=False).get(f"/sessions/{session.slug}/", **headers)

    _assert_friendly(response, status=503, language=language, heading="Temporarily unavailable")
    assert response["Retry-After"] == "30"

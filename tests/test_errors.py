"""Friendly error pages (400, 403, CSRF failure, 404, 500) in the language of their URL, without debug details.

Runs with this module as ROOT_URLCONF: the portal's URLs plus two views that fail on purpose, each in
both languages as every page of the portal is (Japanese at the root, English under /en/).
"""
import re

import pytest
from django.conf.urls.i18n import i18n_patterns
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
    *i18n_patterns(
        path("test-only/fail/", _fail),
        path("test-only/forbidden/", _forbidden),
        prefix_default_language=False,
    ),
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
    home = "/en/" if language == "en" else "/"
    assert f'href="{home}"' in body  # a way back to the sessions, in the same language
    for leak in LEAKS:
        assert leak not in body, leak


# (the path's prefix, the browser's Accept-Language, the language of the page): the URL decides.
LANGUAGES = [
    pytest.param("/en", {}, "en", id="en"),
    pytest.param("/en", {"HTTP_ACCEPT_LANGUAGE": "ja,en;q=0.5"}, "en", id="en-whatever-the-browser"),
    pytest.param("", {"HTTP_ACCEPT_LANGUAGE": "en"}, "ja", id="root-whatever-the-browser"),
    pytest.param("", {}, "ja", id="default-ja"),
]


@pytest.mark.parametrize(("prefix", "headers", "language"), LANGUAGES)
def test_404_is_friendly_in_the_language_of_its_url(client, prefix, headers, language):
    response = client.get(f"{prefix}/sessions/no-such-session/", **headers)

    _assert_friendly(response, status=404, language=language, heading="Page not found")


@pytest.mark.parametrize(("prefix", "headers", "language"), LANGUAGES)
def test_500_is_friendly_in_the_language_of_its_url_and_needs_no_database(
    prefix, headers, language, django_assert_max_num_queries
):
    client = Client(raise_request_exception=False)

    with django_assert_max_num_queries(0):
        response = client.get(f"{prefix}/test-only/fail/", **headers)

    _assert_friendly(response, status=500, language=language, heading="Something went wrong")


def test_an_old_language_cookie_no_longer_chooses_the_language(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    not_found = client.get("/sessions/no-such-session/")
    failed = client.get("/test-only/fail/")

    _assert_friendly(not_found, status=404, language="ja", heading="Page not found")
    _assert_friendly(failed, status=500, language="ja", heading="Something went wrong")


def test_403_is_friendly(client):
    response = client.get("/en/test-only/forbidden/")

    _assert_friendly(response, status=403, language="en", heading="Access denied")


def test_csrf_failure_explains_what_to_do():
    """A real form whose token has expired: the cancel form, sent after the browser lost its CSRF cookie.

    (The application form comes back filled in instead: tests/registrations/test_form_expired.py.)
    """
    from registrations.selectors import manage_token
    from registrations.services import application_create
    from tests.registrations.conftest import open_session, service_data

    application = application_create(session=open_session(), data=service_data(), language="en")
    client = Client(enforce_csrf_checks=True)
    form = f"/en/applications/{manage_token(application)}/cancel/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(form).content.decode()).group(1)
    client.cookies.clear()

    response = client.post(form, {"confirm": "on", "csrfmiddlewaretoken": token})

    _assert_friendly(response, status=403, language="en", heading="The form has expired")
    assert "CSRF" not in response.content.decode()
    # Under the series' own header, not a generic one.
    header = response.content.decode().split('class="site-title"')[1][:300]
    assert application.session.series.title_en in header


def test_400_for_an_unknown_host_is_friendly(client):
    response = client.get("/en/", HTTP_HOST="attacker.example")

    _assert_friendly(response, status=400, language="en", heading="Bad request")
    assert "attacker.example" not in response.content.decode()


@pytest.mark.parametrize("charset", ["latin-1", "shift_jis", "utf-16", "x-no-such-charset"])
def test_a_form_in_another_charset_is_a_friendly_400_not_a_500(charset):
    """Django 5.2 refuses a urlencoded body in any charset but UTF-8; its 400 page must not read the body again.

    With CSRF checks on, as in production: the check is what reads the body first.
    """
    from tests.registrations.conftest import open_session

    session = open_session()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for url in (f"/en/sessions/{session.slug}/apply/", "/en/admin/login/"):
        client.get(url)
        body = f"csrfmiddlewaretoken={client.cookies['csrftoken'].value}&name=%E9t%E9&email=a%40example.jp"

        response = client.generic(
            "POST", url, body.encode(), content_type=f"application/x-www-form-urlencoded; charset={charset}"
        )

        if charset == "x-no-such-charset":
            # Django ignores a charset it does not know and reads UTF-8: the form answers as usual,
            # the application form with its errors (400), the admin's login form (200).
            assert response.status_code == (400 if "/apply/" in url else 200), url
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

    response = client.get("/en/test-only/fail/")

    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="en">' in body
    assert "<h1>Something went wrong</h1>" in body
    for leak in (*LEAKS, "manifest", "portal.css"):
        assert leak not in body, leak


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("prefix", "headers", "language"), LANGUAGES)
def test_a_database_out_of_reach_is_a_friendly_503_with_retry_after(prefix, headers, language):
    """A PostgreSQL restart or failover: a page that needs the database says to try again, in the visitor's language."""
    from tests.conftest import database_out_of_reach
    from tests.factories import SessionFactory

    session = SessionFactory()
    with database_out_of_reach():
        response = Client(raise_request_exception=False).get(f"{prefix}/sessions/{session.slug}/", **headers)

    _assert_friendly(response, status=503, language=language, heading="Temporarily unavailable")
    assert response["Retry-After"] == "30"

"""Public pages are cached per language (each has its own URLs) and carry nothing of one visitor to another."""
import re

import pytest
from django.core.cache import cache

from tests.factories import SessionFactory
from tests.languages import en

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_pages(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def test_cached_pages_are_kept_apart_per_language(client, cached_pages):
    session = SessionFactory(title_ja="カスタマーハラスメントの基礎", title_en="Basics of customer harassment")

    for path in ("/", session.get_absolute_url(), "/archive/"):
        japanese = [client.get(path) for _ in range(2)]
        english = [client.get(en(path)) for _ in range(2)]
        # The URL decides the language, cache or not: neither the browser's language nor an old cookie does.
        client.cookies["django_language"] = "en"
        asked_in_english = client.get(path, headers={"accept-language": "en"})
        client.cookies["django_language"] = "ja"
        asked_in_japanese = client.get(en(path), headers={"accept-language": "ja"})
        del client.cookies["django_language"]

        assert all('<html lang="ja">' in r.content.decode() for r in japanese + [asked_in_english]), path
        assert all('<html lang="en">' in r.content.decode() for r in english + [asked_in_japanese]), path
        if path != "/archive/":
            # Japanese titles carry U+200B between their phrases (seminar_tags.phrases).
            seen = [r.content.decode().replace("\u200b", "") for r in japanese + [asked_in_english]]
            assert all("カスタマーハラスメントの基礎" in text for text in seen), path
            assert all("Basics of customer harassment" in r.content.decode()
                       for r in english + [asked_in_japanese]), path


def test_cached_pages_hold_no_token_or_cookie_of_a_visitor(client, cached_pages):
    session = SessionFactory()

    for path in ("/", session.get_absolute_url(), "/archive/"):
        for url in (path, en(path)):
            response = client.get(url)

            assert response.status_code == 200
            assert "csrfmiddlewaretoken" not in response.content.decode(), url
            assert not response.cookies, url
            # Browsers may keep a copy but ask again each time, so an edit by the office shows at once.
            assert response["Cache-Control"] == "no-cache", url
            assert "Expires" not in response, url


def _switcher(response) -> list[str]:
    nav = re.search(r'<nav class="lang-switch".*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', nav)


def _alternates(response) -> list[str]:
    return re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]*)">', response.content.decode())


def test_language_switcher_returns_to_the_same_page_in_the_other_language(client, cached_pages):
    session = SessionFactory()
    path = session.get_absolute_url()

    for _ in range(2):  # rendered, then from the cache
        japanese, english = client.get(path), client.get(en(path))

        assert _switcher(japanese) == [(en(path), "en")]
        assert _switcher(english) == [(path, "ja")]
        # A plain link: no cookie is kept, so the cached pages stay the same for every visitor.
        assert not japanese.cookies and not english.cookies


def test_language_switcher_never_leads_to_another_site(client):
    SessionFactory()

    for path in ("//evil.example/", "//evil.example/sessions/session-1/", "/en//evil.example/"):
        # PATH_INFO as the server passes it on (the test client would read //evil.example as a host).
        response = client.get("/", PATH_INFO=path)

        assert response.status_code == 404, path
        assert all(href.startswith("/") and not href.startswith("//") for href, _ in _switcher(response)), path
        assert all(url.startswith("http://testserver/") for url in _alternates(response)), path


# Where nothing listens: as a Redis server that was stopped (CACHE_URL=redis://127.0.0.1:1/0).
UNREACHABLE_CACHE = {
    "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_pages_are_served_uncached_while_the_cache_is_away(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    session = SessionFactory(title_en="Basics of customer harassment")
    settings.CACHES = UNREACHABLE_CACHE

    session_path = session.get_absolute_url()
    pages = {path: client.get(en(path)) for path in ("/", session_path, "/archive/")}
    missing = client.get("/sessions/no-such-session/")

    assert {path: response.status_code for path, response in pages.items()} == dict.fromkeys(pages, 200)
    assert "Basics of customer harassment" in pages[session_path].content.decode()
    # The view's own outcome is kept: a page that does not exist is still a 404, not a page served uncached.
    assert missing.status_code == 404

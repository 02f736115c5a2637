"""Public pages are cached per language and carry nothing of one visitor to another."""
import pytest
from django.core.cache import cache

from tests.factories import SessionFactory

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
        japanese = [client.get(path, headers={"accept-language": "ja"}) for _ in range(2)]
        english = [client.get(path, headers={"accept-language": "en"}) for _ in range(2)]
        # The language chosen with the switcher wins over the browser's, cache or not.
        client.cookies["django_language"] = "en"
        chosen = client.get(path, headers={"accept-language": "ja"})
        del client.cookies["django_language"]

        assert all('<html lang="ja">' in r.content.decode() for r in japanese), path
        assert all('<html lang="en">' in r.content.decode() for r in english + [chosen]), path
        if path != "/archive/":
            # Japanese titles carry U+200B between their phrases (seminar_tags.phrases).
            seen = [r.content.decode().replace("\u200b", "") for r in japanese]
            assert all("カスタマーハラスメントの基礎" in text for text in seen), path
            assert all("Basics of customer harassment" in r.content.decode() for r in english + [chosen]), path


def test_cached_pages_hold_no_token_or_cookie_of_a_visitor(client, cached_pages):
    session = SessionFactory()

    for path in ("/", session.get_absolute_url(), "/archive/"):
        response = client.get(path)

        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode(), path
        assert not response.cookies, path
        assert "max-age=30" in response["Cache-Control"], path


def test_language_switcher_returns_to_the_page_and_refuses_other_sites(client):
    session = SessionFactory()

    back = client.get("/language/", {"language": "en", "next": session.get_absolute_url()})
    elsewhere = client.get("/language/", {"language": "ja", "next": "https://evil.example/"})
    unknown = client.get("/language/", {"language": "xx", "next": "/"})

    assert back.status_code == 302 and back["Location"] == session.get_absolute_url()
    assert back.cookies["django_language"].value == "en"
    assert elsewhere["Location"] == "/"
    assert "django_language" not in unknown.cookies


# Where nothing listens: as a Redis server that was stopped (CACHE_URL=redis://127.0.0.1:1/0).
UNREACHABLE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_pages_are_served_uncached_while_the_cache_is_away(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 30
    session = SessionFactory(title_en="Basics of customer harassment")
    settings.CACHES = UNREACHABLE_CACHE

    pages = {path: client.get(path, headers={"accept-language": "en"}) for path in (
        "/", session.get_absolute_url(), "/archive/",
    )}
    missing = client.get("/sessions/no-such-session/")

    assert {path: response.status_code for path, response in pages.items()} == dict.fromkeys(pages, 200)
    assert "Basics of customer harassment" in pages[session.get_absolute_url()].content.decode()
    # The view's own outcome is kept: a page that does not exist is still a 404, not a page served uncached.
    assert missing.status_code == 404
